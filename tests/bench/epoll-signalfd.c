/* epoll-signalfd: 100k rounds of kill-to-self of a blocked SIGUSR1, epoll_wait on an epoll
 * set holding a signalfd, and a read of the signalfd. */
#include <signal.h>
#include <sys/epoll.h>
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
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		bench_fail("signalfd");
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		bench_fail("epoll_create1");
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x5f5f };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev))
		bench_fail("epoll_ctl");
	pid_t self = getpid();
	for (long i = 0; i < n; i++) {
		struct signalfd_siginfo si;
		struct epoll_event out;
		if (kill(self, SIGUSR1))
			bench_fail("kill");
		if (epoll_wait(ep, &out, 1, -1) != 1)
			bench_fail("epoll_wait");
		if (read(sfd, &si, sizeof si) != sizeof si)
			bench_fail("read signalfd");
		good += out.data.u64 == 0x5f5f && (out.events & EPOLLIN) && si.ssi_signo == SIGUSR1;
	}
	printf("epoll-signalfd %ld sent, %ld seen by epoll and read\n", n, good);
	return 0;
}
