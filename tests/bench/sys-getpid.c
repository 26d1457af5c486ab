/* sys-getpid: 1M getppid system calls (getppid, because no libc caches it). */
#include <sys/syscall.h>
#include <unistd.h>
#include "bench.h"

#define CALLS 1000000

int main(int argc, char **argv)
{
	long calls = CALLS * bench_scale(argc, argv), same = 0;
	long first = syscall(SYS_getppid);
	if (first <= 0)
		bench_fail("getppid");
	for (long i = 0; i < calls; i++)
		same += syscall(SYS_getppid) == first;
	printf("sys-getpid %ld of %ld calls gave the first answer\n", same, calls);
	return 0;
}
