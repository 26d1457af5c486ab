/* setjmp/longjmp: plain, nested buffers, out of deep recursion, the value 0 becoming 1,
 * locals kept in volatile variables, sigsetjmp/siglongjmp with and without saving the
 * mask (no signal is raised), and callee-saved registers surviving a longjmp. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf outer, inner;
static sigjmp_buf sigbuf;
static int depth_reached;

static void recurse(int depth, int stop)
{
	volatile char pad[64];
	pad[depth % 64] = (char)depth;
	depth_reached = depth + pad[depth % 64] - (char)depth;
	if (depth == stop)
		longjmp(outer, depth);
	if (depth < 100000)
		recurse(depth + 1, stop);
	pad[0]++;
}

static int nested(void)
{
	volatile int steps = 0;
	int r = setjmp(inner);

	steps++;
	if (r == 0)
		longjmp(inner, 7);
	if (r == 7) {
		if (setjmp(outer) == 0)
			longjmp(inner, 8);
		return -1;
	}
	return r * 100 + steps;
}

static long callee_saved(long seed)
{
	/* Values live across setjmp in registers the ABI says longjmp restores. */
	volatile long v1 = seed * 3, v2 = seed * 5, v3 = seed * 7;
	jmp_buf b;
	long sum = 0;

	if (setjmp(b) == 0) {
		v1 += 1;
		v2 += 2;
		v3 += 3;
		longjmp(b, 1);
	}
	sum = v1 + v2 + v3;
	return sum;
}

static int mask_has_usr1(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGUSR1);
}

static void sig_jumps(int savemask)
{
	sigset_t usr1;
	volatile int before;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	before = mask_has_usr1();
	if (sigsetjmp(sigbuf, savemask) == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		siglongjmp(sigbuf, 3);
	}
	printf("sigsetjmp savemask=%d: blocked before=%d after=%d\n", savemask, before,
	       mask_has_usr1());
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

int main(void)
{
	volatile int count = 0;
	int r;

	r = setjmp(outer);
	printf("setjmp first=%d\n", r);
	r = setjmp(outer);
	if (r == 0)
		longjmp(outer, 0);
	printf("longjmp(0) gives %d\n", r);

	for (int stop = 1; stop <= 2000; stop *= 3) {
		r = setjmp(outer);
		if (r == 0)
			recurse(0, stop);
		count++;
		printf("recursion stop=%d jumped=%d depth=%d\n", stop, r, depth_reached);
	}
	printf("count=%d\n", count);
	printf("nested=%d\n", nested());
	printf("callee_saved=%ld %ld\n", callee_saved(1), callee_saved(1000));
	sig_jumps(0);
	sig_jumps(1);
	if (_setjmp(outer) == 0)
		_longjmp(outer, 5);
	printf("_setjmp ok\n");
	return 0;
}
