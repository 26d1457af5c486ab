/* sigpending: run out of real-time signal queue slots. With RLIMIT_SIGPENDING at 16, a
 * blocked SIGRTMIN is sigqueue'd to oneself until that fails (EAGAIN), and then, beyond the
 * limit (SEMANTICS.md "An RT signal over RLIMIT_SIGPENDING", kernel __send_signal_locked):
 *   - kill() of SIGRTMIN+1 still makes it pending, without its siginfo (it is dequeued as
 *     SI_USER with pid 0);
 *   - kill() of SIGUSR1 is queued with its siginfo (a standard signal with si_code >= 0 may
 *     exceed the limit);
 *   - sigqueue() of SIGUSR2 is made pending without its siginfo;
 *   - tgkill() of SIGRTMIN fails with EAGAIN (SI_TKILL is not SI_USER).
 * Everything is drained with sigtimedwait (lowest signal first, each SIGRTMIN with its value
 * in order), and then as many slots are there again. Last, with the address space used up
 * (RLIMIT_AS), thousands of signals are queued and taken in order all the same: the kernel's
 * queue entries are not the process's memory. The slots count for the whole user
 * (other processes of the user may hold some: SigQ of /proc/self/status), so what is printed
 * is the signals queued here plus those held elsewhere when the test started. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "../hostile/hguest.h"
#include "../guests/signames.h"

#define LIMIT 16

static int elsewhere;

static int fill(void)
{
	int n = 0;
	elsewhere = (int)hg_status_number("SigQ");
	while (n < 10 * LIMIT && sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 100 + n }) == 0)
		n++;
	int e = errno;
	printf("sigqueue SIGRTMIN: %d queued (with the user's others), then %s\n", n + elsewhere,
	       hg_errname(e));
	return n;
}

static int drain(const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int n = 0, rtmin = 0, in_order = 1, sig;
	while ((sig = sigtimedwait(set, &si, &zero)) > 0) {
		n++;
		if (sig == SIGRTMIN && si.si_code == SI_QUEUE && si.si_pid == getpid()) {
			in_order &= si.si_value.sival_int == 100 + rtmin++;
			continue;
		}
		printf("  %-11s %-8s value %d pid %s\n", signame(sig), codename(si.si_code),
		       si.si_code == SI_QUEUE ? si.si_value.sival_int : 0,
		       si.si_pid == getpid() ? "self" : si.si_pid == 0 ? "0" : "other");
	}
	int e = errno;
	printf("  SIGRTMIN    SI_QUEUE %d (with the user's others), values 100.. in order: %s\n",
	       rtmin + elsewhere, in_order ? "yes" : "no");
	printf("drained %d more, then %s\n", n - rtmin, hg_errname(e));
	return n;
}

static int pending(int sig)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig);
}


#define MAX_MAPS 4096
static struct { void *p; size_t len; } maps[MAX_MAPS];

/* With RLIMIT_AS at what is used now plus 16 MiB, mapped until mmap fails: then 2000
 * signals queued and taken. */
static void address_space_full(void)
{
	struct rlimit old;
	printf("setrlimit RLIMIT_AS: %s\n",
	       hg_result(hg_limit_above_use(RLIMIT_AS, "VmSize", 16ul << 20, &old), 0));
	int n = 0, err = 0;
	for (size_t len = 4ul << 20; len >= 4096; len /= 4)
		while (n < MAX_MAPS) {
			void *p = mmap(NULL, len, n & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED) {
				err = errno;
				break;
			}
			maps[n].p = p;
			maps[n++].len = len;
		}
	int queued = 0;
	while (queued < 2000 &&
	       sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = queued }) == 0)
		queued++;
	int e = errno;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int got = 0, in_order = 1;
	while (sigtimedwait(&set, &si, &zero) > 0)
		in_order &= si.si_value.sival_int == got++;
	while (n > 0) {
		n--;
		munmap(maps[n].p, maps[n].len);
	}
	setrlimit(RLIMIT_AS, &old);
	printf("address space used up (mmap %s): %d queued%s%s, %d taken, in order: %s\n",
	       hg_errname(err), queued, queued < 2000 ? ", then " : "",
	       queued < 2000 ? hg_errname(e) : "", got, in_order ? "yes" : "no");
}

int main(void)
{
	struct rlimit old, rl;
	getrlimit(RLIMIT_SIGPENDING, &old);
	rl = (struct rlimit){ LIMIT, old.rlim_max };
	printf("setrlimit RLIMIT_SIGPENDING %d: %s\n", LIMIT,
	       setrlimit(RLIMIT_SIGPENDING, &rl) ? hg_errname(errno) : "ok");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);

	int n = fill();
	const char *r = kill(getpid(), SIGRTMIN + 1) ? hg_errname(errno) : "ok";
	printf("kill SIGRTMIN+1: %s, pending %d\n", r, pending(SIGRTMIN + 1));
	r = kill(getpid(), SIGUSR1) ? hg_errname(errno) : "ok";
	printf("kill SIGUSR1: %s, pending %d\n", r, pending(SIGUSR1));
	r = sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 7 }) ? hg_errname(errno) : "ok";
	printf("sigqueue SIGUSR2: %s, pending %d\n", r, pending(SIGUSR2));
	printf("tgkill SIGRTMIN: %s\n",
	       syscall(SYS_tgkill, getpid(), gettid(), SIGRTMIN) ? hg_errname(errno) : "ok");
	printf("sigqueue SIGRTMIN again: %s\n",
	       sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 1 }) ? hg_errname(errno)
	       : "ok");
	drain(&set);

	int before = n + elsewhere, again = fill();
	printf("as many again: %s\n", again + elsewhere == before ? "yes" : "no");
	drain(&set);
	/* The limit back: as many signals as before the test fit. */
	setrlimit(RLIMIT_SIGPENDING, &old);
	int m = 0;
	while (m < 64 && sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = m }) == 0)
		m++;
	printf("limit restored: %d queued\n", m);
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int got = 0, in_order = 1;
	while (sigtimedwait(&set, &si, &zero) > 0)
		in_order &= si.si_value.sival_int == got++;
	printf("drained %d, in order: %s\n", got, in_order ? "yes" : "no");
	sigaddset(&set, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	address_space_full();
	return 0;
}
