/* run-status: run a command with a time limit and record how it ended.
 *
 *   run-status SECONDS STATUSFILE command [args...]
 *
 * Writes one line to STATUSFILE: "exit N", "killed by signal N" or "timeout after S s".
 * A shell's $? cannot tell "exit 139" from "killed by SIGSEGV"; the test runners need to.
 * The command runs in its own process group with default signal dispositions, nothing blocked
 * and no core files; on timeout (or when this program is interrupted) the whole group is
 * killed. Exit status: 0 when the command ran, 2 on a usage or exec error. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_alarm;
static volatile sig_atomic_t got_stop_signal;
static pid_t child;

static void on_alarm(int sig __attribute__((unused)))
{
	got_alarm = 1;
}

static void on_stop(int sig)
{
	got_stop_signal = sig;
	if (child > 0)
		kill(-child, SIGKILL);
}

static void child_exec(char **argv)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t none;
	int sig;

	setpgid(0, 0);
	setrlimit(RLIMIT_CORE, &no_core);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "run-status: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int seconds, status, timed_out = 0;
	FILE *out;

	if (argc < 4 || (seconds = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: run-status SECONDS STATUSFILE command [args...]\n");
		return 2;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		fprintf(stderr, "run-status: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	child = fork();
	if (child < 0) {
		fprintf(stderr, "run-status: fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0)
		child_exec(argv + 3);
	setpgid(child, child);      /* also here, so the kill below never misses the group */
	alarm(seconds);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR)
			return 2;
		if (got_alarm && !timed_out) {
			timed_out = 1;
			kill(-child, SIGKILL);
		}
	}
	alarm(0);
	kill(-child, SIGKILL);      /* leftovers of the group (children of the command) */
	if (got_stop_signal) {
		signal(got_stop_signal, SIG_DFL);
		raise(got_stop_signal);
	}
	if (timed_out)
		fprintf(out, "timeout after %d s\n", seconds);
	else if (WIFSIGNALED(status))
		fprintf(out, "killed by signal %d\n", WTERMSIG(status));
	else
		fprintf(out, "exit %d\n", WEXITSTATUS(status));
	return fclose(out) == 0 ? 0 : 2;
}
