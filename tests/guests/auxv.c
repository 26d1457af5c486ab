/* argc, argv, one environment variable the runner sets, and the auxiliary vector: the
 * values a program may rely on are printed, the random ones only as "non-zero". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
	const char *var = getenv("GUEST_GREETING");
	const unsigned char *rnd;
	int i, n, last_null;

	printf("argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
	printf("GUEST_GREETING=[%s]\n", var ? var : "(unset)");
	printf("unset variable: %s\n", getenv("GUEST_NOT_SET_ANYWHERE") ? "set" : "(unset)");
	for (n = 0; envp[n]; n++)
		;
	printf("envp follows argv: %d\n", envp == argv + argc + 1);
	last_null = envp[n] == NULL;
	printf("envp ends with NULL: %d\n", last_null);

	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("AT_UID=%d AT_EUID=%d AT_GID=%d AT_EGID=%d\n",
	       getauxval(AT_UID) == getuid(), getauxval(AT_EUID) == geteuid(),
	       getauxval(AT_GID) == getgid(), getauxval(AT_EGID) == getegid());
	printf("AT_UID value=%lu AT_GID value=%lu\n", getauxval(AT_UID), getauxval(AT_GID));
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	printf("AT_PHENT=%lu AT_PHNUM=%lu\n", getauxval(AT_PHENT), getauxval(AT_PHNUM));
	printf("AT_RANDOM non-zero=%d AT_PHDR non-zero=%d AT_ENTRY non-zero=%d\n",
	       getauxval(AT_RANDOM) != 0, getauxval(AT_PHDR) != 0, getauxval(AT_ENTRY) != 0);
	printf("AT_EXECFN non-zero=%d AT_PLATFORM non-zero=%d\n",
	       getauxval(AT_EXECFN) != 0, getauxval(AT_PLATFORM) != 0);
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	printf("AT_BASE=%lu (static: 0)\n", getauxval(AT_BASE));
	if (getauxval(AT_EXECFN))
		printf("AT_EXECFN=[%s]\n", (const char *)getauxval(AT_EXECFN));
	if (getauxval(AT_PLATFORM))
		printf("AT_PLATFORM=[%s]\n", (const char *)getauxval(AT_PLATFORM));
	rnd = (const unsigned char *)getauxval(AT_RANDOM);
	if (rnd) {
		int zeros = 0;
		for (i = 0; i < 16; i++)
			zeros += rnd[i] == 0;
		printf("AT_RANDOM has 16 bytes, not all zero: %d\n", zeros < 16);
	}
	printf("sysconf pagesize=%ld\n", sysconf(_SC_PAGESIZE));
	printf("stack is 16-aligned in main: %d\n", ((unsigned long)__builtin_frame_address(0) & 15) == 0);
	return 0;
}
