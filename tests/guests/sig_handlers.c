/* Guest signal handlers, as shells and threaded programs use them: a SIGCHLD handler woken
 * in sigsuspend (how dash's `wait` waits), raise() and kill() to self with SA_SIGINFO, the
 * mask while a handler runs and after it returns, SA_RESETHAND, SA_NODEFER, a handler on a
 * sigaltstack, a SIGSEGV handler that leaves by siglongjmp, a handler that edits the
 * interrupted registers through its ucontext, syscalls restarted after an SA_RESTART handler
 * (and not otherwise), a signal pending across execve, and pthread_kill between threads. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile sig_atomic_t got, depth, max_depth, code, from_pid, in_altstack;
static sigjmp_buf jump;
static char altstack[65536];

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	got = sig;
	code = si->si_code;
	from_pid = si->si_pid;
}

static void on_usr1(int sig)
{
	got = sig;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	code = sigismember(&cur, SIGUSR1) * 10 + sigismember(&cur, SIGUSR2);
}

static void on_nodefer(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (depth < 3)
		raise(sig);
	depth--;
}

static void on_alt(int sig)
{
	char here;
	in_altstack = &here >= altstack && &here < altstack + sizeof altstack;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	code = si->si_code;
	from_pid = (int)(uintptr_t)si->si_addr;
	siglongjmp(jump, 1);
}

/* ud2 is two bytes: the handler moves rip past it and sets rax. */
static void on_ill(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;
	u->uc_mcontext.gregs[REG_RIP] += 2;
	u->uc_mcontext.gregs[REG_RAX] = 1234;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/* A blocking read interrupted by a handler: restarted with SA_RESTART, EINTR without; a
 * sleep is never restarted. */
static void restarts(void)
{
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		usleep(300000);
		write(p[1], "x", 1);
		_exit(0);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	char ch = '-';
	ssize_t n = read(p[0], &ch, 1);
	printf("SA_RESTART read: %zd '%c', handler ran %d\n", n, ch, alarms);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	n = read(p[0], &ch, 1);
	printf("read without SA_RESTART: %zd %s\n", n, n < 0 && errno == EINTR ? "EINTR" : "?");
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	struct timespec ts = { 2, 0 };
	int r = nanosleep(&ts, NULL);
	printf("nanosleep with SA_RESTART: %d %s\n", r, r < 0 && errno == EINTR ? "EINTR" : "?");
	waitpid(c, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static void *wait_for_signal(void *p)
{
	sigset_t set;
	sigemptyset(&set);
	while (!got)
		sigsuspend(&set);
	return (void *)(intptr_t)got;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa;
	if (argc > 1) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		sigset_t pend;
		sigpending(&pend);
		printf("after exec: USR1 pending %d, ", sigismember(&pend, SIGUSR1));
		sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
		printf("handled %d\n", got);
		return 0;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	pid_t c = fork();
	if (c == 0)
		_exit(4);
	while (got != SIGCHLD)
		sigsuspend(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int st;
	waitpid(c, &st, 0);
	printf("SIGCHLD in sigsuspend: code %s, pid matches %d, status %d\n",
	       code == CLD_EXITED ? "CLD_EXITED" : "?", from_pid == c, WEXITSTATUS(st));

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	got = 0;
	raise(SIGUSR1);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("raise: handled %d, mask in handler USR1 %d USR2 %d, after: USR1 %d USR2 %d\n", got,
	       code / 10, code % 10, sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));

	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	got = 0;
	kill(getpid(), SIGUSR1);
	sigaction(SIGUSR1, NULL, &sa);
	printf("SA_RESETHAND: handled %d, now default %d\n", got, sa.sa_handler == SIG_DFL);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_nodefer;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("SA_NODEFER: nested %d deep\n", max_depth);

	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGHUP, &sa, NULL);
	raise(SIGHUP);
	printf("SA_ONSTACK: handler on the alternate stack %d\n", in_altstack);

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(jump, 1)) {
		volatile int *bad = (int *)(uintptr_t)0x1000;
		*bad = 1;
	}
	printf("SIGSEGV handler: code %s, address %#x\n",
	       code == SEGV_MAPERR ? "SEGV_MAPERR" : "?", (unsigned)from_pid);

	sa.sa_sigaction = on_ill;
	sigaction(SIGILL, &sa, NULL);
	long rax;
	__asm__ volatile("xor %%eax, %%eax\n\tud2" : "=a"(rax));
	printf("SIGILL handler resumed past ud2 with rax %ld\n", rax);

	restarts();

	pthread_t t;
	got = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	pthread_create(&t, NULL, wait_for_signal, NULL);
	usleep(20000);
	pthread_kill(t, SIGUSR1);
	void *r;
	pthread_join(t, &r);
	printf("pthread_kill: thread woke with %ld\n", (long)(intptr_t)r);

	got = 0;
	raise(SIGUSR1);   /* blocked: stays pending across exec */
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "after-exec", (char *)NULL);
	return 1;
}
