/* Threads: 4 to 16 threads sharing work under a mutex, a condition variable hand-off, a
 * barrier between phases, __thread values that stay per thread, errno per thread, join
 * results, detached threads, thread ids, pthread_once, read-write locks, and thread exit while
 * others run. Every line printed is the same on every run. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "guest.h"

#define MAX_THREADS 16

static __thread int tls_value = 7;
static __thread char tls_name[32] = "main";
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static uint64_t shared_sum;
static int turn;                 /* condvar hand-off: whose turn it is */
static char order[MAX_THREADS * 4];
static int order_len;
static long tids[MAX_THREADS];

struct arg {
	int id, nthreads;
};

/* Phase 1: add to a shared sum under the mutex. Phase 2: take turns in id order through the
 * condition variable. Phase 3: check the thread's own __thread values and errno. */
static void *worker(void *p)
{
	struct arg *a = p;
	tls_value = a->id * 100;
	snprintf(tls_name, sizeof tls_name, "worker-%d", a->id);
	tids[a->id] = syscall(SYS_gettid);
	uint64_t s = FNV_INIT;
	for (int i = 0; i < 2000; i++) {
		s = fnv1a(s, &i, sizeof i);
		pthread_mutex_lock(&lock);
		shared_sum += (s & 0xff) + (uint64_t)a->id;
		pthread_mutex_unlock(&lock);
	}
	pthread_barrier_wait(&barrier);

	pthread_mutex_lock(&lock);
	while (turn != a->id)
		pthread_cond_wait(&cond, &lock);
	order[order_len++] = (char)('a' + a->id);
	turn++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_barrier_wait(&barrier);

	errno = 1000 + a->id;
	sched_yield();
	int ok = tls_value == a->id * 100 && errno == 1000 + a->id &&
		 strcmp(tls_name, "worker-") > 0 && atoi(tls_name + 7) == a->id;
	return (void *)(intptr_t)(ok ? a->id * 3 + 1 : -1);
}

static int run_group(int n)
{
	pthread_t th[MAX_THREADS];
	struct arg args[MAX_THREADS];
	shared_sum = 0;
	turn = 0;
	order_len = 0;
	pthread_barrier_init(&barrier, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		args[i] = (struct arg){ i, n };
		if (pthread_create(&th[i], NULL, worker, &args[i]) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	}
	long results = 0;
	for (int i = 0; i < n; i++) {
		void *r;
		pthread_join(th[i], &r);
		results += (intptr_t)r;
	}
	pthread_barrier_destroy(&barrier);
	int distinct = 1;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (tids[i] == tids[j] || tids[i] == getpid())
				distinct = 0;
	order[order_len] = 0;
	printf("%2d threads: sum %llu, order %s, join results %ld, distinct tids %d, main tls %d %s\n",
	       n, (unsigned long long)shared_sum, order, results, distinct, tls_value, tls_name);
	return 0;
}

static int once_count;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void once_fn(void) { once_count++; }

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int rw_data[64];

static void *rw_worker(void *p)
{
	int id = (int)(intptr_t)p;
	pthread_once(&once, once_fn);
	long bad = 0;
	for (int i = 0; i < 500; i++) {
		if (i % 10 == id % 10) {
			pthread_rwlock_wrlock(&rw);
			for (int k = 0; k < 64; k++)
				rw_data[k]++;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			for (int k = 1; k < 64; k++)
				bad += rw_data[k] != rw_data[0];
			pthread_rwlock_unlock(&rw);
		}
	}
	return (void *)bad;
}

static void *detached(void *p)
{
	pthread_mutex_lock(&lock);
	(*(int *)p)++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* A robust mutex left locked by a thread that ends: the next locker gets EOWNERDEAD (the
 * kernel releases a dead thread's robust futexes). */
static pthread_mutex_t robust;
static void *lock_and_leave(void *p)
{
	pthread_mutex_lock(&robust);
	return p;
}

/* Threads to cancel: one blocked in pause(), one polling for cancellation. The libcs cancel
 * (and broadcast set*id calls to every thread) with signals 32 and 33. */
static void *pauses(void *p)
{
	for (;;)
		pause();
	return p;
}

static int never_written[2];
static void *reads(void *p)
{
	char c;
	read(never_written[0], &c, 1);
	return p;
}

static void *polls(void *p)
{
	for (;;)
		pthread_testcancel();
	return p;
}

/* A thread that ends with pthread_exit, and one that outlives the others' exits. */
static void *exits_early(void *p)
{
	pthread_exit((void *)(intptr_t)((int)(intptr_t)p + 40));
}

int main(void)
{
	static const int sizes[] = { 4, 8, 16 };
	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (run_group(sizes[i]))
			return 1;

	pthread_t th[8];
	long bad = 0;
	for (int i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, rw_worker, (void *)(intptr_t)i);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(th[i], &r);
		bad += (long)r;
	}
	printf("rwlock: %d increments, %ld torn reads, once ran %d time(s)\n", rw_data[0], bad,
	       once_count);

	int done = 0;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 6; i++) {
		pthread_t t;
		pthread_create(&t, &attr, detached, &done);
	}
	pthread_mutex_lock(&lock);
	while (done < 6)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	printf("detached threads done: %d\n", done);

	long sum = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, exits_early, (void *)(intptr_t)i);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(th[i], &r);
		sum += (intptr_t)r;
	}
	printf("pthread_exit values: %ld\n", sum);
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_create(&th[0], NULL, lock_and_leave, NULL);
	pthread_join(th[0], NULL);
	int r = pthread_mutex_lock(&robust);
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	printf("robust mutex of a dead thread: %s, then %d\n", r == EOWNERDEAD ? "EOWNERDEAD" : "?",
	       pthread_mutex_lock(&robust));

	pipe(never_written);
	pthread_create(&th[0], NULL, pauses, NULL);
	pthread_create(&th[1], NULL, polls, NULL);
	pthread_create(&th[2], NULL, reads, NULL);
	int id_ok = setgid(getgid()) == 0 && setuid(getuid()) == 0;
	usleep(10000);
	void *c0, *c1, *c2;
	pthread_cancel(th[0]);
	pthread_cancel(th[1]);
	pthread_cancel(th[2]);
	pthread_join(th[0], &c0);
	pthread_join(th[1], &c1);
	pthread_join(th[2], &c2);
	printf("set*id with threads running: %d; cancelled in pause %d, while polling %d, in read "
	       "%d\n", id_ok, c0 == PTHREAD_CANCELED, c1 == PTHREAD_CANCELED, c2 == PTHREAD_CANCELED);

	errno = 0;
	printf("main errno untouched: %d, tls %d\n", errno, tls_value);
	return 0;
}
