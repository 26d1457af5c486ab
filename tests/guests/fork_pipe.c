/* Processes: a chain of forked processes passing a token through pipes, each waited for by
 * its parent; exit codes coming back through waitpid; children killed by SIGTERM (sent by
 * the parent) and by SIGSEGV (their own fault), the parent reading the wait status; vfork
 * whose child writes to the parent's memory before _exit; fork in a threaded process; and
 * wait4/waitid/getppid/process groups. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Each link reads a number, adds its depth and passes it on to a child it forks; the last
 * one writes it back to the top through the result pipe. Every process exits with its depth
 * once its child has exited with the next one. */
static _Noreturn void chain(int max, int in, int result)
{
	for (int depth = 0;; depth++) {
		long v;
		if (read(in, &v, sizeof v) != sizeof v)
			_exit(100);
		v = v * 3 + depth;
		if (depth == max) {
			if (write(result, &v, sizeof v) != sizeof v)
				_exit(101);
			_exit(depth);
		}
		int p[2];
		if (pipe(p) != 0)
			_exit(102);
		pid_t c = fork();
		if (c == 0) {
			close(p[1]);
			in = p[0];
			continue;
		}
		close(p[0]);
		if (write(p[1], &v, sizeof v) != sizeof v)
			_exit(103);
		close(p[1]);
		int st;
		if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != depth + 1)
			_exit(104);
		_exit(depth);
	}
}

static void describe(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d (%s)\n", what, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		printf("%s: status %#x\n", what, st);
}

static void *thread_fn(void *p)
{
	for (;;)
		pause();
	return p;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);

	int in[2], res[2];
	pipe(in);
	pipe(res);
	pid_t c = fork();
	if (c == 0) {
		close(in[1]);
		close(res[0]);
		chain(12, in[0], res[1]);
	}
	close(in[0]);
	close(res[1]);
	long v = 1;
	write(in[1], &v, sizeof v);
	close(in[1]);
	int st;
	waitpid(c, &st, 0);
	long got = 0;
	read(res[0], &got, sizeof got);
	printf("chain of 13 processes: %ld\n", got);
	describe("chain head", st);

	for (int code = 0; code < 256; code += 85) {
		if ((c = fork()) == 0)
			_exit(code);
		waitpid(c, &st, 0);
		describe("exit code", st);
	}

	int ready[2];
	pipe(ready);
	if ((c = fork()) == 0) {
		close(ready[0]);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	char ch;
	close(ready[1]);
	read(ready[0], &ch, 1);
	kill(c, SIGTERM);
	waitpid(c, &st, 0);
	describe("SIGTERM child", st);

	if ((c = fork()) == 0) {
		int *volatile bad = (int *)(uintptr_t)64;
		*bad = 1;
		_exit(0);
	}
	waitpid(c, &st, 0);
	describe("SIGSEGV child", st);

	if ((c = fork()) == 0)
		abort();
	waitpid(c, &st, 0);
	describe("abort child", st);

	if ((c = fork()) == 0) {
		kill(getpid(), SIGKILL);
		_exit(0);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)c, &si, WEXITED);
	printf("waitid: code %s, signal %d, pid matches %d\n",
	       si.si_code == CLD_KILLED ? "CLD_KILLED" : "other", si.si_status, si.si_pid == c);

	volatile int shared = 0;
	c = vfork();
	if (c == 0) {
		shared = 77;
		_exit(5);
	}
	waitpid(c, &st, 0);
	printf("vfork: parent sees %d, ", shared);
	describe("child", st);

	if ((c = fork()) == 0) {
		int ok = getppid() != getpid() && setpgid(0, 0) == 0 && getpgid(0) == getpid();
		_exit(ok ? 0 : 1);
	}
	struct rusage ru;
	pid_t w = wait4(c, &st, 0, &ru);
	printf("wait4 pid matches %d, ", w == c);
	describe("setpgid child", st);

	pthread_t th;
	pthread_create(&th, NULL, thread_fn, NULL);
	if ((c = fork()) == 0) {
		/* Only the forking thread lives on in the child. */
		int p[2];
		pipe(p);
		_exit(write(p[1], "x", 1) == 1 ? 21 : 22);
	}
	waitpid(c, &st, 0);
	describe("fork from a threaded process", st);
	printf("waitpid with no children left: %s\n",
	       waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD ? "ECHILD" : "?");
	return 0;
}
