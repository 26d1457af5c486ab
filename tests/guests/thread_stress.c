/* 200 rounds of 8 threads that each start, compute a little, take a lock, and are joined:
 * thread creation and exit over and over must neither hang nor crash, and every result must
 * come back. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 200
#define THREADS 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t total;

static void *work(void *p)
{
	uint64_t id = (uintptr_t)p, s = id;
	for (int i = 0; i < 300; i++)
		s = s * 6364136223846793005ull + 1442695040888963407ull + (uint64_t)i;
	pthread_mutex_lock(&lock);
	total += s >> 32;
	pthread_mutex_unlock(&lock);
	return (void *)(uintptr_t)(s >> 40);
}

int main(void)
{
	uint64_t joined = 0;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_t th[THREADS];
		for (int i = 0; i < THREADS; i++)
			if (pthread_create(&th[i], NULL, work, (void *)(uintptr_t)(r * THREADS + i))) {
				printf("round %d: pthread_create failed\n", r);
				return 1;
			}
		for (int i = 0; i < THREADS; i++) {
			void *v;
			if (pthread_join(th[i], &v)) {
				printf("round %d: pthread_join failed\n", r);
				return 1;
			}
			joined += (uintptr_t)v;
		}
	}
	printf("%d threads joined, total %llx, results %llx\n", ROUNDS * THREADS,
	       (unsigned long long)total, (unsigned long long)joined);
	return 0;
}
