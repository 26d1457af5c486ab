/* emfile: run out of file descriptors (RLIMIT_NOFILE lowered to 64), check that every call
 * that makes one fails with EMFILE and that the calls that need none still work, then close
 * everything and go on. Under sfdemu the limit binds sfdemu's own host process too: the calls
 * it emulates must not need a descriptor of their own to give the guest Linux's answer. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "../hostile/hguest.h"

#define LIMIT 64

static void say(const char *what, long ret)
{
	printf("%-40s %s\n", what, hg_result(ret, 0));
}

/* Calls that need a new descriptor: each must fail with EMFILE. */
static void fd_makers(void)
{
	int pair[2];
	say("open /dev/null", hg_syscall(SYS_open, (long)"/dev/null", O_RDONLY, 0, 0, 0, 0));
	say("openat /proc/self/exe", hg_syscall(SYS_openat, AT_FDCWD, (long)"/proc/self/exe",
						 O_RDONLY, 0, 0, 0));
	say("dup 1", hg_syscall(SYS_dup, 1, 0, 0, 0, 0, 0));
	say("fcntl F_DUPFD 1", hg_syscall(SYS_fcntl, 1, F_DUPFD, 0, 0, 0, 0));
	say("pipe", hg_syscall(SYS_pipe, (long)pair, 0, 0, 0, 0, 0));
	say("socketpair", hg_syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)pair, 0, 0));
	say("socket", hg_syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0));
	say("eventfd2", hg_syscall(SYS_eventfd2, 0, 0, 0, 0, 0, 0));
	say("epoll_create1", hg_syscall(SYS_epoll_create1, 0, 0, 0, 0, 0, 0));
	say("memfd_create", hg_syscall(SYS_memfd_create, (long)"x", 0, 0, 0, 0, 0));
	say("inotify_init1", hg_syscall(SYS_inotify_init1, 0, 0, 0, 0, 0, 0));
	say("timerfd_create", hg_syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0, 0, 0, 0, 0));
}

/* Calls that need no descriptor of the guest's, some emulated by sfdemu. */
static void fd_free_calls(void)
{
	char buf[256];
	struct stat st;
	say("stat /proc/self/exe", hg_syscall(SYS_stat, (long)"/proc/self/exe", (long)&st, 0, 0, 0, 0));
	say("readlink /proc/self/exe", hg_syscall(SYS_readlink, (long)"/proc/self/exe", (long)buf,
						  sizeof buf, 0, 0, 0) > 0 ? 0 : -1);
	say("access /", hg_syscall(SYS_access, (long)"/", R_OK, 0, 0, 0, 0));
	/* Memory calls: sfdemu reads /proc/self/maps for some of them. */
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("mmap", p == MAP_FAILED ? -errno : 0);
	say("munmap the middle page", munmap(p + 4096, 4096) ? -errno : 0);
	void *q = mmap(p, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	say("mmap MAP_FIXED over the hole", q == MAP_FAILED ? -errno : q == p ? 0 : -1);
	say("mprotect", mprotect(p, 3 * 4096, PROT_READ | PROT_WRITE) ? -errno : 0);
	say("munmap the middle page again", munmap(p + 4096, 4096) ? -errno : 0);
	say("mprotect across the hole", mprotect(p, 3 * 4096, PROT_READ) ? -errno : 0);
	say("madvise across the hole", madvise(p, 3 * 4096, MADV_DONTNEED) ? -errno : 0);
	say("munmap", munmap(p, 3 * 4096) ? -errno : 0);
	void *big = malloc(1 << 20);
	say("malloc 1 MiB", big ? 0 : -ENOMEM);
	free(big);
}

int main(void)
{
	struct rlimit rl = { LIMIT, LIMIT };
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		perror("setrlimit");
		return 1;
	}
	int last = -1, n = 0;
	long r;
	while ((r = hg_syscall(SYS_open, (long)"/dev/null", O_RDONLY, 0, 0, 0, 0)) >= 0) {
		last = (int)r;
		n++;
	}
	printf("opened until %s; the last fd is the limit - 1: %s\n", hg_errname(-r),
	       last == LIMIT - 1 ? "yes" : "no");
	fd_makers();
	fd_free_calls();
	fflush(stdout);
	/* Close what was opened (the fds above 2 that /dev/null filled), and go on. */
	for (int fd = 3; fd < LIMIT; fd++) {
		char path[64], target[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		ssize_t len = readlink(path, target, sizeof target - 1);
		if (len == 9 && !memcmp(target, "/dev/null", 9))
			close(fd);
	}
	printf("closed; open /dev/null again: %s\n",
	       hg_result(hg_syscall(SYS_open, (long)"/dev/null", O_RDONLY, 0, 0, 0, 0) >= 0 ? 0 : -1, 0));
	int pair[2];
	char c;
	printf("pipe: %s\n", pipe(pair) == 0 ? "ok" : hg_errname(errno));
	printf("write and read through it: %s\n",
	       write(pair[1], "x", 1) == 1 && read(pair[0], &c, 1) == 1 && c == 'x' ? "ok" : "no");
	return 0;
}
