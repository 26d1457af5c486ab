/* emu/host_alloc.c: sfdemu's own memory once the address space is used up. Each test runs in
 * a forked child, which lowers RLIMIT_AS to what it uses plus a margin and maps until mmap
 * fails, as a guest would; the child's exit status says which check failed (0: all passed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <CUnit/CUnit.h>
#include "emu/host_alloc.h"

#define PAGE 4096ul
#define MAX_MAPS 1024

static void *maps[MAX_MAPS];
static size_t lens[MAX_MAPS];
static int nmaps;

static unsigned long vm_bytes(void)
{
	char buf[64] = "";
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (!fgets(buf, sizeof buf, f))
			buf[0] = 0;
		fclose(f);
	}
	return strtoul(buf, NULL, 10) * PAGE;
}

/* Lower RLIMIT_AS to VmSize + 8 MiB (the hard limit too if asked), then map until mmap fails,
 * in pieces down to a page. */
static int use_up(bool hard)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) != 0)
		return -1;
	rl.rlim_cur = vm_bytes() + (8ul << 20);
	if (hard)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return -1;
	if (!hard)
		ha_guest_set_limit();
	for (size_t len = 1ul << 20; len >= PAGE; len /= 4)
		for (;;) {
			void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED || nmaps == MAX_MAPS)
				break;
			maps[nmaps] = p;
			lens[nmaps++] = len;
		}
	return mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	       errno == ENOMEM ? 0 : -1;
}

/* Run fn in a child; its exit status (or 100 + the signal that ended it). */
static int in_child(int (*fn)(void), int *stderr_pipe)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (stderr_pipe) {
			dup2(stderr_pipe[1], 2);
			close(stderr_pipe[0]);
		}
		_exit(fn());
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* The soft limit below the hard one: sfdemu's memory comes, and the room the guest had below
 * its limit stays, and so does the limit it reads. */
static int child_soft(void)
{
	if (use_up(false))
		return 2;
	nmaps--;
	munmap(maps[nmaps], lens[nmaps]);   /* the guest's room: at least that piece */
	struct rlimit before, after;
	getrlimit(RLIMIT_AS, &before);
	char *p = ha_malloc(4ul << 20);
	memset(p, 1, 4ul << 20);
	char *q = ha_realloc(ha_calloc(16, 1000), 300000);
	memset(q, 2, 300000);
	getrlimit(RLIMIT_AS, &after);
	struct ha_stats s;
	ha_get_stats(&s);
	if (s.extra < (4ul << 20) || after.rlim_cur - before.rlim_cur != s.extra)
		return 3;
	void *g = mmap(NULL, lens[nmaps], PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g == MAP_FAILED)
		return 4;
	ha_guest_lock();
	unsigned long extra = ha_as_extra();
	ha_guest_unlock();
	return after.rlim_cur - extra == before.rlim_cur ? 0 : 5;   /* what the guest reads */
}

static void test_soft_limit(void)
{
	CU_ASSERT_EQUAL(in_child(child_soft, NULL), 0);
}

/* A large own mapping, made the same way; a failing attempt is false. */
static bool attempt_map(void *arg)
{
	void **p = arg;
	*p = mmap(NULL, 2ul << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return *p != MAP_FAILED;
}

static bool attempt_never(void *arg)
{
	return false;
}

static int child_own_map(void)
{
	if (use_up(false))
		return 2;
	void *p;
	if (!ha_own_map(attempt_map, &p, 2ul << 20))
		return 3;
	struct rlimit before, after;
	getrlimit(RLIMIT_AS, &before);
	if (ha_own_map(attempt_never, NULL, PAGE))
		return 4;
	getrlimit(RLIMIT_AS, &after);
	return before.rlim_cur == after.rlim_cur ? 0 : 5;
}

static void test_own_map(void)
{
	CU_ASSERT_EQUAL(in_child(child_own_map, NULL), 0);
}

/* Soft and hard limit the same and nothing to drop: one line naming RLIMIT_AS, exit 1. (The
 * sanitizer's allocator ends the process itself where malloc would return NULL.) */
static int child_hard(void)
{
	if (use_up(true))
		return 2;
	ha_malloc(64ul << 20);
	return 3;
}

static void test_hard_limit(void)
{
#ifndef __SANITIZE_ADDRESS__
	int fds[2];
	CU_ASSERT_FATAL(pipe(fds) == 0);
	CU_ASSERT_EQUAL(in_child(child_hard, fds), 1);
	close(fds[1]);
	char msg[256] = "";
	ssize_t n = read(fds[0], msg, sizeof msg - 1);
	close(fds[0]);
	msg[n > 0 ? n : 0] = 0;
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "sfdemu: out of memory (67108864 bytes for itself)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "RLIMIT_AS"));
	char *nl = strchr(msg, '\n');
	CU_ASSERT(nl && nl[1] == 0);   /* one line */
#endif
}

void register_host_alloc_tests(void)
{
	CU_pSuite s = CU_add_suite("host_alloc", NULL, NULL);
	CU_add_test(s, "soft RLIMIT_AS: own memory outside the guest's room", test_soft_limit);
	CU_add_test(s, "own large mappings; a failing attempt changes no limit", test_own_map);
	CU_add_test(s, "hard RLIMIT_AS used up: one line and exit status 1", test_hard_limit);
}
