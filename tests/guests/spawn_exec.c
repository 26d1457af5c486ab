/* posix_spawn and friends: a successful spawn with file actions (a pipe on stdout, an fd
 * closed), a spawn whose exec fails (the error comes back from posix_spawn itself, as the
 * libc's child reports it through memory it shares with the parent), posix_spawnp through
 * PATH, spawn attributes (signal mask and defaults, process group), system() and popen(). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "guest.h"

extern char **environ;

static void describe(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
}

static void spawn_echo(void)
{
	int p[2];
	pipe(p);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	char *av[] = { "echo", "spawned", "echo", NULL };
	pid_t pid;
	int r = posix_spawn(&pid, "/bin/echo", &fa, NULL, av, environ);
	close(p[1]);
	char buf[128] = { 0 };
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	printf("posix_spawn: %s, read %zd: %s", errno_name(r), n, buf);
	describe("  echo", st);
	posix_spawn_file_actions_destroy(&fa);
}

static void spawn_fail(void)
{
	char *av[] = { "nothing", NULL };
	pid_t pid = 0;
	int r = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, av, environ);
	printf("posix_spawn of a missing program: %s\n", errno_name(r));
	r = posix_spawn(&pid, "/etc/hostname", NULL, NULL, av, environ);
	printf("posix_spawn of a data file: %s\n", errno_name(r));
	r = posix_spawnp(&pid, "no-such-command-anywhere", NULL, NULL, av, environ);
	printf("posix_spawnp of an unknown command: %s\n", errno_name(r));
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void spawn_attrs(void)
{
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t mask, def;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigemptyset(&def);
	sigaddset(&def, SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
			     POSIX_SPAWN_SETPGROUP);
	char *av[] = { "spawned", "report", NULL };
	pid_t pid;
	fflush(stdout);
	int r = posix_spawn(&pid, "/proc/self/exe", NULL, &at, av, environ);
	int st;
	waitpid(pid, &st, 0);
	printf("posix_spawn with attributes: %s, ", errno_name(r));
	describe("child", st);
	signal(SIGUSR2, SIG_DFL);
	posix_spawnattr_destroy(&at);
}

/* The spawned child's view of the attributes. */
static int report(void)
{
	sigset_t cur;
	struct sigaction sa;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	sigaction(SIGUSR2, NULL, &sa);
	printf("  child: USR1 blocked %d, USR2 blocked %d, USR2 ignored %d, own group %d\n",
	       sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2), sa.sa_handler == SIG_IGN,
	       getpgrp() == getpid());
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report();
	spawn_echo();
	spawn_fail();
	spawn_attrs();
	int st = system("echo from system; exit 3");
	describe("system", st);
	FILE *f = popen("printf 'line %s\\n' a b c | tr a-c A-C", "r");
	char line[64];
	while (fgets(line, sizeof line, f))
		printf("popen: %s", line);
	describe("pclose", pclose(f));
	f = popen("wc -c", "w");
	fprintf(f, "twelve bytes");
	describe("pclose writer", pclose(f));
	return 0;
}
