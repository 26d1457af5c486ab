/* How threads end a process: the main thread returning while others run (exit_group ends
 * them), a worker calling exit(), the main thread leaving with pthread_exit while a worker
 * finishes the work (the process's status is then what the last thread's libc gives), and
 * a fault in a worker killing the whole process. The mode is argv[1]. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int started;

static void *spin(void *p)
{
	started = 1;
	for (;;)
		sched_yield();
	return p;
}

static void *exit_from_worker(void *p)
{
	printf("worker exits with 9\n");
	fflush(stdout);
	exit(9);
}

static void *late_worker(void *p)
{
	usleep(100 * 1000);
	printf("late worker done\n");
	fflush(stdout);
	return NULL;
}

static void *faulting(void *p)
{
	usleep(20 * 1000);
	int *volatile bad = (int *)16;
	*bad = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "return";
	pthread_t t;
	if (!strcmp(mode, "return")) {
		for (int i = 0; i < 4; i++)
			pthread_create(&t, NULL, spin, NULL);
		while (!started)
			sched_yield();
		printf("main returns 4 while 4 threads spin\n");
		return 4;
	}
	if (!strcmp(mode, "worker-exit")) {
		pthread_create(&t, NULL, exit_from_worker, NULL);
		for (;;)
			pause();
	}
	if (!strcmp(mode, "main-pthread-exit")) {
		pthread_create(&t, NULL, late_worker, NULL);
		printf("main thread leaves\n");
		fflush(stdout);
		pthread_exit(NULL);
	}
	if (!strcmp(mode, "worker-fault")) {
		pthread_create(&t, NULL, faulting, NULL);
		pthread_create(&t, NULL, spin, NULL);
		pthread_join(t, NULL);
	}
	return 1;
}
