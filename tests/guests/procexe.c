/* /proc/self/exe names the running program: readlink gives an absolute path equal to
 * realpath(argv[0]), and opening it reads an ELF file. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "guest.h"

int main(int argc, char **argv)
{
	char link[PATH_MAX + 1], real[PATH_MAX], small[4], head[4];
	ssize_t n;
	int fd;

	n = readlink("/proc/self/exe", link, PATH_MAX);
	if (n < 0) {
		printf("readlink failed: %s\n", errno_name(errno));
		return 1;
	}
	link[n] = 0;
	printf("absolute: %d\n", link[0] == '/');
	printf("equals realpath(argv[0]): %d\n", realpath(argv[0], real) && !strcmp(real, link));
	printf("basename: %s\n", strrchr(link, '/') + 1);
	printf("short buffer: %zd\n", readlink("/proc/self/exe", small, sizeof small));
	n = readlinkat(AT_FDCWD, "/proc/self/exe", real, sizeof real);
	printf("readlinkat same length: %d\n", n == (ssize_t)strlen(link));
	fd = open("/proc/self/exe", O_RDONLY);
	printf("opens as ELF: %d\n", fd >= 0 && read(fd, head, 4) == 4 && !memcmp(head, "\177ELF", 4));
	close(fd);
	printf("program_invocation_short_name: %s\n", program_invocation_short_name);
	return 0;
}
