/* Queued signals (SEMANTICS.md cases 47, 48, 82, 84, 86, 87, 57, 58): real-time signals
 * queued several times and received in order with their values, by sigwaitinfo and by a
 * handler; standard signals coalescing (the first siginfo kept); sigpending; sigtimedwait's
 * timeout, EINTR and argument errors; rt_sigqueueinfo's and rt_tgsigqueueinfo's checks; a
 * thread woken in sigwaitinfo by another thread's signal, to it and to the process; signals
 * queued by another process (the host's queue); the thread's own signals taken before the
 * process's, whatever their numbers; and (sigqueue exec) pending signals with their values
 * kept across execve (case 63).
 *   sigqueue all    everything but the exec
 *   sigqueue exec   signals queued, then execve of itself with "after-exec", which takes them */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "guest.h"
#include "signames.h"

static pid_t self;

static void show_info(const char *who, int sig, const siginfo_t *si)
{
	printf("%-10s %-11s %-9s value %d pid %s\n", who, signame(sig), codename(si->si_code),
	       si->si_code == SI_QUEUE ? si->si_value.sival_int : 0,
	       si->si_pid == self ? "self" : si->si_pid == 0 ? "0" : "other");
}

static int queue(int sig, int value)
{
	return sigqueue(self, sig, (union sigval){ .sival_int = value });
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void drain(const char *who, const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig;
	while ((sig = sigtimedwait(set, &si, &zero)) > 0)
		show_info(who, sig, &si);
	printf("%-10s then %s\n", who, errno_name(errno));
}

static void result(const char *what, long r)
{
	printf("%-44s %s\n", what, r < 0 ? errno_name(errno) : "ok");
}

/* ---- RT order, coalescing, sigpending ---- */

static void rt_order(void)
{
	sigset_t set;
	sigemptyset(&set);
	for (int s = 0; s < 3; s++)
		sigaddset(&set, SIGRTMIN + s);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int v = 1; v <= 3; v++)
		queue(SIGRTMIN + 2, v);
	queue(SIGRTMIN, 10);
	queue(SIGRTMIN + 1, 20);
	queue(SIGRTMIN, 11);
	kill(self, SIGRTMIN + 1);
	syscall(SYS_tgkill, self, gettid(), SIGRTMIN);
	/* A standard signal: the first of three is kept. */
	queue(SIGUSR1, 5);
	kill(self, SIGUSR1);
	queue(SIGUSR1, 6);
	sigset_t p;
	sigpending(&p);
	printf("pending:");
	for (int s = 1; s < 65; s++)
		if (sigismember(&p, s))
			printf(" %s", signame(s));
	printf("\n");
	siginfo_t si;
	int sig = sigwaitinfo(&set, &si);
	show_info("waitinfo", sig, &si);
	drain("timedwait", &set);
	sigpending(&p);
	printf("pending after: %d\n", sigismember(&p, SIGRTMIN) + sigismember(&p, SIGUSR1));
}

/* ---- handlers ---- */

static volatile int order[16], norder;
static volatile int codes[16];

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	if (norder < 16) {
		codes[norder] = si->si_code;
		order[norder++] = (sig - SIGRTMIN) * 100 + (si->si_code == SI_QUEUE ? si->si_value.sival_int : 0);
	}
}

static void handlers(void)
{
	struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 3, &sa, NULL);
	sigaction(SIGRTMIN + 4, &sa, NULL);
	block(SIGRTMIN + 3);
	block(SIGRTMIN + 4);
	queue(SIGRTMIN + 4, 1);
	queue(SIGRTMIN + 3, 2);
	queue(SIGRTMIN + 4, 3);
	queue(SIGRTMIN + 3, 4);
	kill(self, SIGRTMIN + 3);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN + 3);
	sigaddset(&s, SIGRTMIN + 4);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("handler order:");
	for (int i = 0; i < norder; i++)
		printf(" %d/%s", order[i], codename(codes[i]));
	printf("\n");
	/* Unblocked: delivered before sigqueue returns. */
	norder = 0;
	queue(SIGRTMIN + 4, 9);
	printf("unblocked: %d handled, value %d\n", norder, norder ? order[0] : -1);
}

/* ---- sigtimedwait ---- */

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { alarms++; }

static void timedwait(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	block(SIGUSR2);
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	result("sigtimedwait 50 ms, nothing sent", sigtimedwait(&set, NULL, &ts));
	ts.tv_nsec = 1000000000;
	result("sigtimedwait tv_nsec 1e9", sigtimedwait(&set, NULL, &ts));
	ts = (struct timespec){ -1, 0 };
	result("sigtimedwait tv_sec -1", sigtimedwait(&set, NULL, &ts));
	ts = (struct timespec){ 0, 0 };
	result("rt_sigtimedwait sigsetsize 4", syscall(SYS_rt_sigtimedwait, &set, NULL, &ts, 4));
	result("rt_sigtimedwait set NULL", syscall(SYS_rt_sigtimedwait, NULL, NULL, &ts, 8));
	result("rt_sigtimedwait timeout unmapped",
	       syscall(SYS_rt_sigtimedwait, &set, NULL, (void *)8, 8));
	kill(self, SIGUSR2);
	result("rt_sigtimedwait info unmapped", syscall(SYS_rt_sigtimedwait, &set, (void *)8, &ts, 8));
	sigset_t p;
	sigpending(&p);
	printf("SIGUSR2 taken all the same: %s\n", sigismember(&p, SIGUSR2) ? "no" : "yes");
	/* A handled signal it does not wait for interrupts it. */
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { .it_value = { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	ts = (struct timespec){ 5, 0 };
	result("sigtimedwait, SIGALRM handled meanwhile", sigtimedwait(&set, NULL, &ts));
	printf("alarm handler ran: %d\n", alarms);
}

/* ---- rt_sigqueueinfo checks ---- */

static long sqi(pid_t pid, int sig, int code, int value)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = self;
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static long tgsqi(pid_t tgid, pid_t tid, int sig, int code)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = code;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

static void *thread_checks(void *arg)
{
	result("thread: rt_sigqueueinfo self SI_USER", sqi(self, SIGRTMIN + 5, SI_USER, 0));
	result("thread: rt_sigqueueinfo self SI_TKILL", sqi(self, SIGRTMIN + 5, SI_TKILL, 0));
	result("thread: rt_tgsigqueueinfo own tid SI_USER",
	       tgsqi(self, gettid(), SIGRTMIN + 5, SI_USER));
	result("thread: rt_tgsigqueueinfo main SI_USER", tgsqi(self, self, SIGRTMIN + 5, SI_USER));
	return arg;
}

static void queueinfo_checks(void)
{
	block(SIGRTMIN + 5);
	result("rt_sigqueueinfo self SI_USER (main)", sqi(self, SIGRTMIN + 5, SI_USER, 0));
	result("rt_sigqueueinfo self SI_KERNEL", sqi(self, SIGRTMIN + 5, SI_KERNEL, 0));
	result("rt_sigqueueinfo self SI_QUEUE", sqi(self, SIGRTMIN + 5, SI_QUEUE, 31));
	result("rt_sigqueueinfo self sig 0", sqi(self, 0, SI_QUEUE, 0));
	result("rt_sigqueueinfo self sig 65", sqi(self, 65, SI_QUEUE, 0));
	result("rt_sigqueueinfo self sig -1", sqi(self, -1, SI_QUEUE, 0));
	result("rt_sigqueueinfo self info NULL", syscall(SYS_rt_sigqueueinfo, self, SIGRTMIN, NULL));
	result("rt_sigqueueinfo no such pid", sqi(0x3fffffff, SIGRTMIN + 5, SI_QUEUE, 0));
	result("rt_sigqueueinfo no such pid SI_USER", sqi(0x3fffffff, SIGRTMIN + 5, SI_USER, 0));
	result("rt_sigqueueinfo self unknown si_code 1000", sqi(self, SIGRTMIN + 5, 1000, 0));
	result("rt_tgsigqueueinfo tid 0", tgsqi(self, 0, SIGRTMIN + 5, SI_QUEUE));
	result("rt_tgsigqueueinfo tgid 0", tgsqi(0, self, SIGRTMIN + 5, SI_QUEUE));
	result("rt_tgsigqueueinfo no such tid", tgsqi(self, 0x3fffffff, SIGRTMIN + 5, SI_QUEUE));
	result("rt_tgsigqueueinfo self sig 65", tgsqi(self, self, 65, SI_QUEUE));
	result("rt_tgsigqueueinfo self sig 0", tgsqi(self, self, 0, SI_QUEUE));
	result("tgkill self sig 65", syscall(SYS_tgkill, self, self, 65));
	result("tkill no such tid", syscall(SYS_tkill, 0x3fffffff, SIGRTMIN + 5));
	result("kill self sig 65", kill(self, 65));
	pthread_t th;
	pthread_create(&th, NULL, thread_checks, NULL);
	pthread_join(th, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 5);
	drain("queueinfo", &set);
}

/* ---- threads ---- */

static pid_t waiter_tid;
static volatile int waiter_ready;

static void *waiter(void *arg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 6);
	sigaddset(&set, SIGUSR1);
	waiter_tid = gettid();
	__atomic_store_n(&waiter_ready, 1, __ATOMIC_SEQ_CST);
	static char out[4][96];
	for (int i = 0; i < 4; i++) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		snprintf(out[i], sizeof out[i], "%s %s value %d", signame(sig), codename(si.si_code),
			 si.si_code == SI_QUEUE ? si.si_value.sival_int : 0);
	}
	for (int i = 0; i < 4; i++)
		printf("waiter got %s\n", out[i]);
	return arg;
}

static void threads(void)
{
	block(SIGRTMIN + 6);
	block(SIGUSR1);
	pthread_t th;
	pthread_create(&th, NULL, waiter, NULL);
	while (!__atomic_load_n(&waiter_ready, __ATOMIC_SEQ_CST))
		usleep(1000);
	struct timespec d = { 0, 30 * 1000 * 1000 };
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = SI_QUEUE;
	si.si_pid = self;
	si.si_uid = getuid();
	/* To the thread, then to the process (only the waiter takes it), each after a pause that
	 * lets the waiter sleep. */
	nanosleep(&d, NULL);
	si.si_value.sival_int = 41;
	syscall(SYS_rt_tgsigqueueinfo, self, waiter_tid, SIGRTMIN + 6, &si);
	nanosleep(&d, NULL);
	queue(SIGRTMIN + 6, 42);
	nanosleep(&d, NULL);
	syscall(SYS_tgkill, self, waiter_tid, SIGUSR1);
	nanosleep(&d, NULL);
	kill(self, SIGUSR1);
	pthread_join(th, NULL);
	/* A signal to another thread is not the main thread's to take (case 57). */
	sigset_t set, p;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 6);
	sigpending(&p);
	printf("main pending SIGRTMIN+6: %d\n", sigismember(&p, SIGRTMIN + 6));
}

/* ---- sigsuspend woken by another thread ---- */

static volatile int usr2_tid_ok, usr2_count;
static pid_t suspender_tid;

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	usr2_count++;
	usr2_tid_ok = gettid() == suspender_tid;
}

static void *suspender(void *arg)
{
	sigset_t none;
	sigemptyset(&none);
	suspender_tid = gettid();
	__atomic_store_n(&waiter_ready, 2, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 2; i++) {
		int r = sigsuspend(&none);
		printf("suspender: sigsuspend %s, handler ran %d times, in this thread %d\n",
		       r < 0 ? errno_name(errno) : "ok", usr2_count, usr2_tid_ok);
	}
	return arg;
}

static void suspend(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	block(SIGUSR2);
	pthread_t th;
	pthread_create(&th, NULL, suspender, NULL);
	while (__atomic_load_n(&waiter_ready, __ATOMIC_SEQ_CST) != 2)
		usleep(1000);
	struct timespec d = { 0, 30 * 1000 * 1000 };
	nanosleep(&d, NULL);
	pthread_kill(th, SIGUSR2);
	nanosleep(&d, NULL);
	/* To the process: the only thread that does not block it takes it. */
	kill(self, SIGUSR2);
	pthread_join(th, NULL);
}

/* ---- another process ---- */

/* A child process sends SIGUSR1 to this one with kill() and is waited for; its pid. */
static pid_t child_sends_usr1(void)
{
	pid_t c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return c;
}

static void from_child(void)
{
	block(SIGRTMIN + 7);
	pid_t c = fork();
	if (c == 0) {
		for (int v = 1; v <= 3; v++)
			sigqueue(getppid(), SIGRTMIN + 7, (union sigval){ .sival_int = 70 + v });
		_exit(0);
	}
	waitpid(c, NULL, 0);
	sigset_t set, p;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 7);
	sigpending(&p);
	printf("from child pending: %d\n", sigismember(&p, SIGRTMIN + 7));
	for (int i = 0; i < 3; i++) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		printf("from child %s %s value %d pid %s\n", signame(sig), codename(si.si_code),
		       si.si_value.sival_int, si.si_pid == c ? "child" : "other");
	}
	/* A standard signal from here and one from the child: one pending signal when both
	 * are for the process, two when the first is for this thread. */
	block(SIGUSR1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int private = 0; private < 2; private++) {
		if (private)
			syscall(SYS_tgkill, self, gettid(), SIGUSR1);
		else
			kill(self, SIGUSR1);
		c = child_sends_usr1();
		struct timespec zero = { 0, 0 };
		siginfo_t si;
		int sig;
		while ((sig = sigtimedwait(&set, &si, &zero)) > 0)
			printf("%s + child: %s %s pid %s\n", private ? "tgkill" : "kill", signame(sig),
			       codename(si.si_code), si.si_pid == self ? "self" : si.si_pid == c ? "child"
			       : "other");
	}
	/* The same with a handler: it runs once. */
	struct sigaction sa = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	usr2_count = 0;
	kill(self, SIGUSR1);
	c = child_sends_usr1();
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("kill + child, then unblocked: handler ran %d times\n", usr2_count);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 7);
	/* A fork child starts with nothing pending. */
	queue(SIGRTMIN + 7, 1);
	c = fork();
	if (c == 0) {
		sigpending(&p);
		_exit(sigismember(&p, SIGRTMIN + 7));
	}
	int st;
	waitpid(c, &st, 0);
	printf("fork child had it pending: %d\n", WEXITSTATUS(st));
	drain("parent", &set);
}

/* ---- the thread's own first; execve ---- */

static void own_first_setup(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 8);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int v = 1; v <= 3; v++)
		queue(SIGRTMIN + 8, v);
	kill(self, SIGUSR2);
	syscall(SYS_tgkill, self, gettid(), SIGRTMIN + 8);
}

static void own_first_take(const char *who)
{
	sigset_t set, p;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 8);
	sigaddset(&set, SIGUSR2);
	sigpending(&p);
	printf("%s pending: SIGUSR2 %d SIGRTMIN+8 %d\n", who, sigismember(&p, SIGUSR2),
	       sigismember(&p, SIGRTMIN + 8));
	drain(who, &set);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	self = getpid();
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		own_first_take("after exec");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		own_first_setup();
		char *args[] = { argv[0], "after-exec", NULL };
		execv("/proc/self/exe", args);
		perror("execv");
		return 1;
	}
	own_first_setup();
	own_first_take("own first");
	rt_order();
	handlers();
	timedwait();
	queueinfo_checks();
	threads();
	suspend();
	from_child();
	return 0;
}
