/* execve: a chain of re-executions of this program checking argv and the environment at
 * each step; #! scripts (with an interpreter argument, nested); the errors execve gives
 * (ENOENT, EACCES, ENOEXEC, ELOOP, EFAULT) with the caller still there; execveat and
 * fexecve; close-on-exec fds closed and others kept; the blocked mask and ignored signals
 * kept across exec; exec from a threaded process. Scripts are written under $TMPDIR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guest.h"

extern char **environ;
static char self[4096];
static char tmp[4096];

static void show_args(int argc, char **argv)
{
	printf("argc=%d", argc);
	for (int i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
}

/* Run fn in a child and wait for it, so each case starts from a clean process. */
static void in_child(const char *label, void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fn();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("%s: %s %d\n", label, WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static void write_script(const char *name, const char *text, mode_t mode)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	write(fd, text, strlen(text));
	close(fd);
	chmod(path, mode);
}

static void try_exec(const char *what, const char *path)
{
	char *av[] = { "x", NULL };
	errno = 0;
	execve(path, av, environ);
	printf("execve %s: %s\n", what, errno_name(errno));
}

static void chain_step(void)
{
	char *av[] = { "renamed-0", "step", "3", "with space", "", NULL };
	char *ev[] = { "ONLY=this", "EMPTY=", "X=a=b", NULL };
	execve(self, av, ev);
	printf("execve failed: %s\n", errno_name(errno));
}

static void scripts(void)
{
	char path[4200];
	write_script("s-inner", "#!/bin/sh\necho \"inner: $0 [$1] [$2] [$3]\"\n", 0755);
	snprintf(path, sizeof path, "#!%s/s-inner  arg with  spaces \t\n", tmp);
	write_script("s-outer", path, 0755);
	snprintf(path, sizeof path, "%s/s-outer", tmp);
	char *av[] = { "ignored-argv0", "last", NULL };
	fflush(stdout);
	execve(path, av, environ);
	printf("script exec failed: %s\n", errno_name(errno));
}

static void errors(void)
{
	char p[4200];
	try_exec("missing", "/nonexistent/program");
	try_exec("directory", "/");
	write_script("plain", "just text\n", 0755);
	snprintf(p, sizeof p, "%s/plain", tmp);
	try_exec("text file", p);
	write_script("noexec", "#!/bin/sh\necho no\n", 0644);
	snprintf(p, sizeof p, "%s/noexec", tmp);
	try_exec("mode 0644", p);
	write_script("badinterp", "#!/nonexistent/interp\n", 0755);
	snprintf(p, sizeof p, "%s/badinterp", tmp);
	try_exec("missing interpreter", p);
	write_script("noname", "#!   \n", 0755);
	snprintf(p, sizeof p, "%s/noname", tmp);
	try_exec("empty #! line", p);
	/* Scripts each naming the next: five levels run, six are one more than the kernel
	 * follows. */
	char text[4300];
	write_script("loop0", "#!/bin/true\n", 0755);
	for (int i = 1; i <= 5; i++) {
		char name[16];
		snprintf(text, sizeof text, "#!%s/loop%d\n", tmp, i - 1);
		snprintf(name, sizeof name, "loop%d", i);
		write_script(name, text, 0755);
	}
	snprintf(p, sizeof p, "%s/loop4", tmp);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *av[] = { "x", NULL };
		execve(p, av, environ);
		_exit(99);
	}
	int st;
	waitpid(c, &st, 0);
	printf("five nested scripts: exit %d\n", WEXITSTATUS(st));
	snprintf(p, sizeof p, "%s/loop5", tmp);
	try_exec("six nested scripts", p);
	errno = 0;
	syscall(SYS_execve, self, (char **)16, environ);
	printf("execve bad argv: %s\n", errno_name(errno));
	errno = 0;
	syscall(SYS_execve, (char *)16, NULL, NULL);
	printf("execve bad path: %s\n", errno_name(errno));
	printf("still here\n");
}

static void fds_and_signals(void)
{
	int keep = open("/dev/null", O_RDONLY);
	int drop = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGSEGV);
	sigaddset(&set, 40);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGBUS, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	char k[16], d[16];
	snprintf(k, sizeof k, "%d", keep);
	snprintf(d, sizeof d, "%d", drop);
	char *av[] = { "check", "fds", k, d, NULL };
	execve(self, av, environ);
	printf("execve failed: %s\n", errno_name(errno));
}

static void check_fds(char **argv)
{
	int keep = atoi(argv[2]), drop = atoi(argv[3]);
	printf("kept fd open %d, close-on-exec fd open %d\n", fcntl(keep, F_GETFD) >= 0,
	       fcntl(drop, F_GETFD) >= 0);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("blocked: USR1 %d SEGV %d 40 %d USR2 %d\n", sigismember(&cur, SIGUSR1),
	       sigismember(&cur, SIGSEGV), sigismember(&cur, 40), sigismember(&cur, SIGUSR2));
	struct sigaction sa;
	int ign[4], sigs[4] = { SIGUSR2, SIGBUS, SIGHUP, SIGTERM };
	for (int i = 0; i < 4; i++) {
		sigaction(sigs[i], NULL, &sa);
		ign[i] = sa.sa_handler == SIG_IGN;
	}
	printf("ignored: USR2 %d BUS %d HUP %d TERM %d\n", ign[0], ign[1], ign[2], ign[3]);
}

static void at_variants(void)
{
	int fd = open(self, O_RDONLY | O_CLOEXEC);
	char *av[] = { "via-fexecve", "hello", NULL };
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fexecve(fd, av, environ);
		printf("fexecve: %s\n", errno_name(errno));
		_exit(1);
	}
	waitpid(c, NULL, 0);
	char dir[4096], *slash;
	snprintf(dir, sizeof dir, "%s", self);
	slash = strrchr(dir, '/');
	*slash = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	char *av2[] = { "via-execveat", "hello", NULL };
	fflush(stdout);
	if ((c = fork()) == 0) {
		syscall(SYS_execveat, dfd, slash + 1, av2, environ, 0);
		printf("execveat: %s\n", errno_name(errno));
		_exit(1);
	}
	waitpid(c, NULL, 0);
	errno = 0;
	syscall(SYS_execveat, dfd, slash + 1, av2, environ, 0x1234);
	printf("execveat bad flags: %s\n", errno_name(errno));
	symlink(self, "link-to-self");
	errno = 0;
	syscall(SYS_execveat, AT_FDCWD, "link-to-self", av2, environ, AT_SYMLINK_NOFOLLOW);
	printf("execveat nofollow symlink: %s\n", errno_name(errno));
	unlink("link-to-self");
}

static void *idle(void *p)
{
	for (;;)
		pause();
	return p;
}

static void from_thread(void)
{
	pthread_t t;
	for (int i = 0; i < 3; i++)
		pthread_create(&t, NULL, idle, NULL);
	char *av[] = { "after-threads", "hello", NULL };
	execve(self, av, environ);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "step")) {
		show_args(argc, argv);
		for (char **e = environ; *e; e++)
			printf("  env %s\n", *e);
		int n = atoi(argv[2]);
		if (n > 0) {
			char num[16], *av[] = { "again", "step", num, NULL };
			char var[32], *ev[] = { var, NULL };
			snprintf(num, sizeof num, "%d", n - 1);
			snprintf(var, sizeof var, "DEPTH=%d", n);
			execve("/proc/self/exe", av, ev);
			printf("execve failed: %s\n", errno_name(errno));
		}
		return 10 + n;
	}
	if (argc > 1 && !strcmp(argv[1], "fds")) {
		check_fds(argv);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "hello")) {
		printf("hello from %s\n", argv[0]);
		return 0;
	}
	if (readlink("/proc/self/exe", self, sizeof self - 1) < 0)
		return 1;
	snprintf(tmp, sizeof tmp, "%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (chdir(tmp) != 0)
		return 1;
	in_child("chain", chain_step);
	in_child("scripts", scripts);
	in_child("errors", errors);
	in_child("fds and signals", fds_and_signals);
	in_child("execveat", at_variants);
	in_child("exec from a threaded process", from_thread);
	return 0;
}
