/* Self-modifying and generated code: a guest writes machine code into memory, runs it, then
 * changes it by a store, by a read(2) into the code, and by remapping; each change must show. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn_t)(void);

/* mov eax, imm32; ret */
static void emit_return(unsigned char *p, int value)
{
	p[0] = 0xb8;
	memcpy(p + 1, &value, 4);
	p[5] = 0xc3;
}

int main(void)
{
	unsigned char *code = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED)
		return 1;
	fn_t f = (fn_t)code;

	emit_return(code, 1);
	printf("generated: %d\n", f());

	code[1] = 7;
	printf("after a store into its immediate: %d\n", f());

	/* A loop that rewrites the code it calls, many times. */
	int sum = 0;
	for (int i = 0; i < 1000; i++) {
		emit_return(code, i);
		sum += f();
	}
	printf("rewritten 1000 times: sum %d\n", sum);

	/* The kernel writes the new immediate. */
	int fds[2];
	int v = 99;
	if (pipe(fds) || write(fds[1], &v, 4) != 4 || read(fds[0], code + 1, 4) != 4)
		return 2;
	printf("after read(2) into the code: %d\n", f());

	/* Code in the second page, called from the first, and the first page changed. */
	emit_return(code + 4096, 5);
	/* call rel32 to code+4096; ret */
	int rel = 4096 - 5;
	code[0] = 0xe8;
	memcpy(code + 1, &rel, 4);
	code[5] = 0xc3;
	printf("call across pages: %d\n", f());

	/* Remap the page read-only and executable, then writable again. */
	if (mprotect(code, 8192, PROT_READ | PROT_EXEC))
		return 3;
	printf("read-only: %d\n", f());
	if (mprotect(code, 8192, PROT_READ | PROT_WRITE | PROT_EXEC))
		return 4;
	emit_return(code + 4096, 6);
	printf("writable again: %d\n", f());

	munmap(code, 8192);
	code = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	emit_return(code, 11);
	printf("fresh mapping at the same address: %d\n", f());
	return 0;
}
