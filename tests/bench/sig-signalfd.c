/* sig-signalfd: 100k kill-to-self of a blocked SIGUSR1, each read back from a signalfd. */
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "bench.h"

#define SIGNALS 100000

int main(int argc, char **argv)
{
	long n = SIGNALS * bench_scale(argc, argv), good = 0;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		bench_fail("sigprocmask");
	int fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		bench_fail("signalfd");
	pid_t self = getpid();
	for (long i = 0; i < n; i++) {
		struct signalfd_siginfo si;
		if (kill(self, SIGUSR1))
			bench_fail("kill");
		if (read(fd, &si, sizeof si) != sizeof si)
			bench_fail("read signalfd");
		good += si.ssi_signo == SIGUSR1 && si.ssi_code == SI_USER && si.ssi_pid == (uint32_t)self;
	}
	printf("sig-signalfd %ld sent, %ld read with the right siginfo\n", n, good);
	return 0;
}
