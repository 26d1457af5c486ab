/* threads: run out of threads. With RLIMIT_AS lowered to what the process uses now plus
 * 64 MiB, threads are created (each waits on a pipe) until pthread_create fails; the main
 * thread goes on working; then the threads are released and joined, the limit restored, and
 * a thread can be created again. How many threads fit differs (under sfdemu each guest thread
 * also has a host thread with its own stack, in the same address space), so only whether
 * some were created, and the error that stopped it, are printed. (RLIMIT_NPROC cannot be the
 * limit here: it does not bind root, which the tests may run as.) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "../hostile/hguest.h"

#define MAX_THREADS 4000

static int release[2];

static void *waiter(void *arg)
{
	char c;
	while (read(release[0], &c, 1) > 0)
		;
	return arg;
}

static void *adder(void *arg)
{
	long *v = arg;
	*v += 1;
	return NULL;
}

int main(void)
{
	static pthread_t t[MAX_THREADS];
	if (pipe(release) != 0)
		return 1;
	/* Memory for the main thread's work, taken before the limit: whether a malloc finds a
	 * free chunk once the limit is used up depends on the allocator's state, not on the
	 * system under it. */
	char *p = malloc(4096);
	struct rlimit old;
	printf("setrlimit RLIMIT_AS: %s\n",
	       hg_result(hg_limit_above_use(RLIMIT_AS, "VmSize", 64ul << 20, &old), 0));
	int n = 0, r = 0;
	while (n < MAX_THREADS && (r = pthread_create(&t[n], NULL, waiter, NULL)) == 0)
		n++;
	printf("threads created: %s; stopped by: %s\n", n > 0 ? "some" : "none",
	       n == MAX_THREADS ? "the test's own cap" : hg_errname(r));
	/* The main thread still works: memory, output, arithmetic. */
	long sum = 0;
	for (int i = 0; p && i < 4096; i++)
		sum += (p[i] = (char)i);
	printf("main thread: memory %s, sum %ld\n", p ? "ok" : "failed", sum);
	free(p);
	close(release[1]);
	int joined = 0;
	for (int i = 0; i < n; i++)
		joined += pthread_join(t[i], NULL) == 0;
	printf("all joined: %s\n", joined == n ? "yes" : "no");
	printf("setrlimit RLIMIT_AS back: %s\n", setrlimit(RLIMIT_AS, &old) ? hg_errname(errno) : "ok");
	long v = 41;
	pthread_t a;
	r = pthread_create(&a, NULL, adder, &v);
	if (r == 0)
		pthread_join(a, NULL);
	printf("a new thread: %s, value %ld\n", r ? hg_errname(r) : "ok", v);
	return 0;
}
