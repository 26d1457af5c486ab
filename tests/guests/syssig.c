/* Signals without handlers, and small syscalls: what a signal sent to oneself does when it is
 * blocked (pending), ignored (dropped) or default (the process dies of it: see syssig.args),
 * the validation of sigaction, sigprocmask and sigaltstack, SIGPIPE ignored, and pipes, dup,
 * fcntl, uname, getrandom, clocks, umask and the working directory.
 *   syssig checks     the checks, exit 0
 *   syssig term       kill(getpid(), SIGTERM)
 *   syssig pending    SIGTERM raised while blocked, then unblocked
 *   syssig ignored    SIGINT ignored, then raised: exits 3 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include "guest.h"

static void show(const char *what, long r)
{
	printf("%-40s %s\n", what, r < 0 ? errno_name(errno) : "ok");
}

static int pending(int sig)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig);
}

static void test_signals(void)
{
	sigset_t set, old;
	struct sigaction sa, osa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	show("sigprocmask block USR1 and KILL", sigprocmask(SIG_BLOCK, &set, &old));
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf("USR1 blocked, KILL not:                  %d %d\n", sigismember(&set, SIGUSR1),
	       sigismember(&set, SIGKILL));
	show("raise USR1 while blocked", raise(SIGUSR1));
	printf("USR1 pending:                            %d\n", pending(SIGUSR1));
	sa.sa_handler = SIG_IGN;
	show("sigaction USR1 SIG_IGN", sigaction(SIGUSR1, &sa, NULL));
	printf("SIG_IGN discarded it:                    %d\n", pending(SIGUSR1));
	show("kill self USR1 (ignored, blocked)", kill(getpid(), SIGUSR1));
	printf("pending again (blocked beats ignored):   %d\n", pending(SIGUSR1));
	show("unblock", sigprocmask(SIG_SETMASK, &old, NULL));
	printf("dropped at unblock:                      %d\n", pending(SIGUSR1));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, &osa);
	printf("old action was SIG_IGN:                  %d\n", osa.sa_handler == SIG_IGN);
	show("kill self CHLD (default ignore)", kill(getpid(), SIGCHLD));
	show("kill self WINCH (default ignore)", kill(getpid(), SIGWINCH));
	show("kill self signal 0", kill(getpid(), 0));
	show("kill self signal 65", kill(getpid(), 65));
	show("sigaction KILL", sigaction(SIGKILL, &sa, NULL));
	show("sigaction STOP query only", sigaction(SIGSTOP, NULL, &osa));
	show("sigaction 0", sigaction(0, &sa, NULL));
	show("rt_sigaction sigsetsize 4", syscall(SYS_rt_sigaction, SIGUSR2, NULL, &osa, 4));
	show("rt_sigprocmask how 7", syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8));
	show("rt_sigprocmask how 7, no set", syscall(SYS_rt_sigprocmask, 7, NULL, &old, 8));
	show("rt_sigpending size 16", syscall(SYS_rt_sigpending, &set, 16));
	show("tgkill tid 0", syscall(SYS_tgkill, getpid(), 0, 0));
}

static void test_altstack(void)
{
	static char mem[65536];
	stack_t ss = { .ss_sp = mem, .ss_size = 1024 }, os;
	show("sigaltstack too small", sigaltstack(&ss, NULL));
	ss.ss_flags = 4;
	ss.ss_size = sizeof mem;
	show("sigaltstack bad flags", sigaltstack(&ss, NULL));
	ss.ss_flags = 0;
	show("sigaltstack set", sigaltstack(&ss, &os));
	printf("old: disabled %d\n", os.ss_flags == SS_DISABLE);
	sigaltstack(NULL, &os);
	printf("now: sp %d size %zu flags %d\n", os.ss_sp == mem, os.ss_size, os.ss_flags);
	ss.ss_flags = SS_DISABLE;
	show("sigaltstack disable", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &os);
	printf("now: sp null %d size %zu flags %d\n", os.ss_sp == NULL, os.ss_size, os.ss_flags);
}

static void test_files(void)
{
	int p[2];
	char buf[16] = { 0 };
	signal(SIGPIPE, SIG_IGN);
	show("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
	printf("FD_CLOEXEC set:                          %d\n", fcntl(p[0], F_GETFD) == FD_CLOEXEC);
	int d = dup3(p[1], 50, 0);
	printf("dup3 to 50:                              %d, cloexec %d\n", d, fcntl(d, F_GETFD));
	show("write through the dup", write(d, "ping", 4));
	show("read", read(p[0], buf, sizeof buf));
	printf("got: %s\n", buf);
	show("dup2 onto itself", dup2(d, d));
	show("dup3 onto itself", dup3(d, d, 0));
	close(d);
	close(p[0]);
	show("write to a pipe without readers", write(p[1], "x", 1));
	close(p[1]);
	show("close closed", close(p[1]));
	show("fcntl F_GETFL of closed", fcntl(p[1], F_GETFL));
	struct utsname u;
	uname(&u);
	printf("uname: %s %s\n", u.sysname, u.machine);
	unsigned char rnd[16];
	printf("getrandom 16:                            %zd\n", getrandom(rnd, sizeof rnd, 0));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec nap = { 0, 2000000 };
	show("nanosleep 2ms", nanosleep(&nap, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("monotonic advanced 2ms:                  %d\n",
	       (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) >= 2000000);
	show("clock_gettime bad clock", clock_gettime(12345, &a));
	umask(022);
	printf("umask returns the old mask:              %03o\n", umask(077));
	char cwd[4096];
	show("chdir /", chdir("/"));
	printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
	show("getcwd small buffer", getcwd(cwd, 1) ? 0 : -1);
	show("chdir missing", chdir("/nonexistent-dir"));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "term")) {
		kill(getpid(), SIGTERM);
		return 1;
	}
	if (!strcmp(mode, "pending")) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGTERM);
		sigprocmask(SIG_BLOCK, &s, NULL);
		raise(SIGTERM);
		printf("still here while blocked\n");
		fflush(stdout);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		return 1;
	}
	if (!strcmp(mode, "ignored")) {
		signal(SIGINT, SIG_IGN);
		raise(SIGINT);
		return 3;
	}
	test_signals();
	test_altstack();
	test_files();
	return 0;
}
