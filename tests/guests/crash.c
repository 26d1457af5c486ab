/* A guest that dies of a signal: `crash KIND` with KIND one of ud2 (SIGILL), div0 (SIGFPE),
 * segv (SIGSEGV, a NULL write), abort (SIGABRT), trap (int3: SIGTRAP), hlt (SIGSEGV), and
 * raise (SIGTERM by raise()). Output written before the fault is flushed first. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int zero;
static int *volatile null_ptr;

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "ud2";
	volatile int x = 42;

	printf("crashing by %s\n", kind);
	fflush(stdout);
	if (!strcmp(kind, "ud2"))
		__builtin_trap();
	if (!strcmp(kind, "div0"))
		x = x / zero;
	if (!strcmp(kind, "div_overflow")) {
		volatile long long m = -9223372036854775807LL - 1, minus1 = -1;
		x = (int)(m / minus1);
	}
	if (!strcmp(kind, "segv"))
		*null_ptr = x;
	if (!strcmp(kind, "segv_read"))
		x = *(volatile int *)(long)(0x1000 * zero + 16);
	if (!strcmp(kind, "abort"))
		abort();
	if (!strcmp(kind, "trap"))
		__asm__ volatile("int3");
	if (!strcmp(kind, "hlt"))
		__asm__ volatile("hlt");
	if (!strcmp(kind, "raise"))
		raise(SIGTERM);
	printf("still alive: x=%d\n", x);
	return 0;
}
