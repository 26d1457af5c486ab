/* Code that changes while threads run it: each thread rewrites a function in its own page
 * and calls it again (self-modifying code, one thread per page), one thread maps, runs and
 * unmaps code pages in a loop, others run code that never changes, and two threads share a
 * page whose code one rewrites between barriers. Every call must run the code as last
 * written: the block cache of an emulator must drop what changed and never free what another
 * thread may still be running. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define WRITERS 4
#define ROUNDS 1000
#define PAGE 4096

typedef int (*fn_t)(int);

/* mov eax, imm32; add eax, edi; ret */
static void emit(uint8_t *p, int32_t imm)
{
	p[0] = 0xb8;
	memcpy(p + 1, &imm, 4);
	p[5] = 0x01;
	p[6] = 0xf8;
	p[7] = 0xc3;
}

static void *rewriter(void *arg)
{
	long id = (long)arg, bad = 0;
	uint8_t *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return (void *)-1L;
	for (int i = 0; i < ROUNDS; i++) {
		int32_t v = (int32_t)(id * 100000 + i);
		emit(page + (i % 8) * 64, v);
		fn_t f = (fn_t)(page + (i % 8) * 64);
		bad += f(3) != v + 3;
	}
	munmap(page, PAGE);
	return (void *)bad;
}

static void *mapper(void *arg)
{
	long bad = 0;
	for (int i = 0; i < ROUNDS / 4; i++) {
		uint8_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (void *)-1L;
		emit(p, i);
		emit(p + PAGE, -i);
		mprotect(p, 2 * PAGE, PROT_READ | PROT_EXEC);
		bad += ((fn_t)p)(1) != i + 1;
		bad += ((fn_t)(p + PAGE))(1) != 1 - i;
		munmap(p, 2 * PAGE);
	}
	return (void *)bad;
}

static volatile int stop;

static int stable(int x)
{
	return x * 3 + 1;
}

static void *runner(void *arg)
{
	long n = 0, bad = 0;
	while (!stop) {
		bad += stable((int)n) != (int)n * 3 + 1;
		n++;
	}
	return (void *)bad;
}

/* One page, two threads: the writer changes the code while the reader waits at a barrier,
 * then the reader calls it. */
static pthread_barrier_t bar;
static uint8_t *shared;

static void *shared_reader(void *arg)
{
	long bad = 0;
	for (int i = 0; i < 500; i++) {
		pthread_barrier_wait(&bar);
		bad += ((fn_t)shared)(10) != i * 7 + 10;
		pthread_barrier_wait(&bar);
	}
	return (void *)bad;
}

int main(void)
{
	pthread_t w[WRITERS], m, r[2], sr;
	stop = 0;
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i], NULL, runner, NULL);
	for (long i = 0; i < WRITERS; i++)
		pthread_create(&w[i], NULL, rewriter, (void *)i);
	pthread_create(&m, NULL, mapper, NULL);

	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&sr, NULL, shared_reader, NULL);
	for (int i = 0; i < 500; i++) {
		emit(shared, i * 7);
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
	}

	long bad = 0;
	void *v;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(w[i], &v);
		bad += (long)v;
	}
	pthread_join(m, &v);
	bad += (long)v;
	pthread_join(sr, &v);
	bad += (long)v;
	stop = 1;
	for (int i = 0; i < 2; i++) {
		pthread_join(r[i], &v);
		bad += (long)v;
	}
	printf("%d rewriting threads, %d rounds each, a mapping thread, a shared page: %ld wrong "
	       "results\n", WRITERS, ROUNDS, bad);
	return bad != 0;
}
