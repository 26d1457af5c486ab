/* sig-handler: 100k kill-to-self of SIGUSR1, each run by an SA_SIGINFO handler that checks
 * its siginfo. */
#include <signal.h>
#include <unistd.h>
#include "bench.h"

#define SIGNALS 100000

static volatile long handled, good;
static pid_t self;

static void on_usr1(int signo, siginfo_t *si, void *uc)
{
	handled++;
	if (signo == SIGUSR1 && si->si_signo == SIGUSR1 && si->si_code == SI_USER &&
	    si->si_pid == self && uc)
		good++;
}

int main(int argc, char **argv)
{
	long n = SIGNALS * bench_scale(argc, argv);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		bench_fail("sigaction");
	self = getpid();
	for (long i = 0; i < n; i++)
		if (kill(self, SIGUSR1))
			bench_fail("kill");
	printf("sig-handler %ld sent, %ld handled, %ld with the right siginfo\n", n, handled, good);
	return 0;
}
