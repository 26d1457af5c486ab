/* The syscall layer, driven through sys_dispatch() with a hand-built thread, and checked
 * against what the host kernel answers for the same call wherever the call is safe to make
 * natively. Guest memory here is memory this process maps and records in the_process.mm;
 * everything else (this file's stack and globals, sfdemu's code) is "not the guest's".
 * Calls that end the process (exit_group, fatal signals) run in a forked child. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <asm/prctl.h>
#include "emu/flags.h"
#include "emu/mm.h"
#include "emu/process.h"
#include "syscalls/signal.h"
#include "syscalls/syscall.h"
#include "syscalls/linux_abi.h"

#define PAGE 4096ul

static struct thread th;

static long call6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	th.cpu.r[R_RAX] = (uint64_t)nr;
	th.cpu.r[R_RDI] = (uint64_t)a0;
	th.cpu.r[R_RSI] = (uint64_t)a1;
	th.cpu.r[R_RDX] = (uint64_t)a2;
	th.cpu.r[R_R10] = (uint64_t)a3;
	th.cpu.r[R_R8] = (uint64_t)a4;
	th.cpu.r[R_R9] = (uint64_t)a5;
	sys_dispatch(&th);
	return (long)th.cpu.r[R_RAX];
}
#define SYS(nr, ...) SYS_(nr, ##__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define SYS_(nr, a, b, c, d, e, f, ...) \
	call6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The host kernel's answer: the result or -errno, as a handler returns it. */
static long host(long nr, long a0, long a1, long a2, long a3)
{
	long r = syscall(nr, a0, a1, a2, a3, 0L, 0L);   /* no stray fifth and sixth argument */
	return r == -1 ? -errno : r;
}

/* Guest memory: mapped here and recorded as the guest's. */
static char *gmap(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	mm_add(&the_process.mm, (uint64_t)(uintptr_t)p, len, prot, MAP_PRIVATE | MAP_ANONYMOUS);
	return p;
}

static void gunmap(void *p, size_t len)
{
	munmap(p, len);
	mm_remove(&the_process.mm, (uint64_t)(uintptr_t)p, len);
}

static char *gmem;   /* one guest page for arguments */

static int suite_init(void)
{
	memset(&th, 0, sizeof th);
	th.proc = &the_process;
	th.cpu.thread = &th;
	th.cpu.rflags = 0x202;
	current = &th;
	/* The page after gmem stays mapped PROT_NONE and out of the guest's memory map, so no
	 * other guest mapping can land there and the EFAULT probes at gmem's end are exact. */
	gmem = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (gmem == MAP_FAILED || mprotect(gmem, PAGE, PROT_READ | PROT_WRITE))
		abort();
	mm_add(&the_process.mm, (uint64_t)(uintptr_t)gmem, PAGE, PROT_READ | PROT_WRITE,
	       MAP_PRIVATE | MAP_ANONYMOUS);
	return 0;
}

static int suite_cleanup(void)
{
	gunmap(gmem, PAGE);
	munmap(gmem + PAGE, PAGE);
	return 0;
}

static void test_ids_and_registers(void)
{
	th.cpu.rip = 0x401234;
	th.cpu.r[R_RCX] = th.cpu.r[R_R11] = 0xdead;
	CU_ASSERT_EQUAL(SYS(SYS_getpid), getpid());
	CU_ASSERT_EQUAL(th.cpu.r[R_RCX], 0x401234);
	CU_ASSERT_EQUAL(th.cpu.r[R_R11], flags_get(&th.cpu));
	CU_ASSERT_EQUAL(SYS(SYS_gettid), gettid());
	CU_ASSERT_EQUAL(SYS(SYS_getppid), getppid());
	CU_ASSERT_EQUAL(SYS(SYS_getuid), getuid());
	CU_ASSERT_EQUAL(SYS(SYS_set_tid_address, 0x5000), gettid());
	CU_ASSERT_EQUAL(th.clear_child_tid, 0x5000);
}

static void test_enosys(void)
{
	CU_ASSERT_EQUAL(SYS(999), -ENOSYS);
	CU_ASSERT_EQUAL(SYS(-1), -ENOSYS);
	CU_ASSERT_EQUAL(SYS(SYS_modify_ldt, 0, 0, 0), -ENOSYS);  /* known, not supported yet */
	CU_ASSERT_EQUAL(SYS(SYS_rseq, gmem, 32, 0, 0x53053053), -ENOSYS);
}

static void test_pipe_roundtrip(void)
{
	int *fds = (int *)gmem;
	char *buf = gmem + 64;
	CU_ASSERT_EQUAL_FATAL(SYS(SYS_pipe2, fds, O_CLOEXEC), 0);
	CU_ASSERT_EQUAL(fcntl(fds[0], F_GETFD), FD_CLOEXEC);
	CU_ASSERT_EQUAL(SYS(SYS_fcntl, fds[1], F_GETFD), FD_CLOEXEC);
	memcpy(buf, "hello, pipe", 11);
	CU_ASSERT_EQUAL(SYS(SYS_write, fds[1], buf, 11), 11);
	memset(buf, 0, 16);
	CU_ASSERT_EQUAL(SYS(SYS_read, fds[0], buf, 16), 11);
	CU_ASSERT(memcmp(buf, "hello, pipe", 11) == 0);
	int d = (int)SYS(SYS_dup, fds[0]);
	CU_ASSERT(d > fds[1]);
	CU_ASSERT_EQUAL(SYS(SYS_close, d), 0);
	CU_ASSERT_EQUAL(SYS(SYS_close, fds[0]), 0);
	CU_ASSERT_EQUAL(SYS(SYS_close, fds[1]), 0);
	CU_ASSERT_EQUAL(SYS(SYS_close, fds[1]), host(SYS_close, fds[1], 0, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_close, fds[1]), -EBADF);
}

/* Whether the host has something mapped at a (MAP_FIXED_NOREPLACE says EEXIST). */
static bool host_mapped(uint64_t a)
{
	void *p = mmap((void *)(uintptr_t)a, PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return errno == EEXIST;
	munmap(p, PAGE);
	return false;
}

/* Free address space of `pages` pages for a test break at its start, with a page of host
 * memory that is not the guest's (as sfdemu's own would be) at page `own`. */
static uint64_t brk_area(size_t pages, size_t own)
{
	char *base = mmap(NULL, pages * PAGE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return 0;
	munmap(base, own * PAGE);
	munmap(base + (own + 1) * PAGE, (pages - own - 1) * PAGE);
	the_process.mm.brk_start = the_process.mm.brk_cur = (uint64_t)(uintptr_t)base;
	the_process.mm.start_data = the_process.mm.end_data = 0;
	return (uint64_t)(uintptr_t)base;
}

static void brk_area_done(const struct mm *saved, uint64_t b, size_t pages)
{
	munmap((void *)(uintptr_t)b, pages * PAGE);
	mm_remove(&the_process.mm, b, pages * PAGE);
	the_process.mm.brk_start = saved->brk_start;
	the_process.mm.brk_cur = saved->brk_cur;
	the_process.mm.start_data = saved->start_data;
	the_process.mm.end_data = saved->end_data;
}

/* Linux's brk(): growth maps fresh pages, shrinking unmaps them; growth stops a page below a
 * guest mapping and below sfdemu's memory, and never maps over sfdemu's memory. */
static void test_brk(void)
{
	struct mm saved = the_process.mm;
	uint64_t b = brk_area(80, 64);
	CU_ASSERT_FATAL(b != 0);
	char *base = (char *)(uintptr_t)b;

	CU_ASSERT_EQUAL(SYS(SYS_brk, 0), b);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 10000), b + 10000);
	const struct mm_region *r = mm_find(&the_process.mm, b + 9000);
	CU_ASSERT(r && r->prot == (PROT_READ | PROT_WRITE) && r->start == b && r->end == b + 3 * PAGE);
	memset(base, 0xaa, 3 * PAGE);               /* writable up to the page end */
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 100), b + 100);  /* shrink */
	CU_ASSERT(mm_find(&the_process.mm, b + PAGE) == NULL && !host_mapped(b + PAGE));
	CU_ASSERT(base[50] == (char)0xaa);          /* the page holding the break stays */
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 3 * PAGE), b + 3 * PAGE);
	CU_ASSERT(base[2 * PAGE] == 0 && base[PAGE] == 0);  /* given back, comes back zeroed */
	CU_ASSERT_EQUAL(SYS(SYS_brk, b - 1), b + 3 * PAGE);              /* below the start */
	CU_ASSERT_EQUAL(SYS(SYS_brk, -PAGE), b + 3 * PAGE);              /* past the top */
	/* A guest mapping in the way (and its guard page) stops the break, as on Linux. */
	CU_ASSERT_EQUAL(SYS(SYS_mmap, b + 10 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			    MAP_FIXED, -1, 0), b + 10 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 9 * PAGE + 1), b + 3 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 9 * PAGE), b + 9 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, b + 10 * PAGE, PAGE), 0);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 20 * PAGE), b + 20 * PAGE);
	/* sfdemu's page at 64: the break stops a page below it and never maps over it. */
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 63 * PAGE + 1), b + 20 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 70 * PAGE), b + 20 * PAGE);
	CU_ASSERT(host_mapped(b + 64 * PAGE) && mm_find(&the_process.mm, b + 30 * PAGE) == NULL);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 63 * PAGE), b + 63 * PAGE);
	base[63 * PAGE - 1] = 1;
	CU_ASSERT_EQUAL(SYS(SYS_brk, b), b);
	CU_ASSERT(mm_find(&the_process.mm, b) == NULL && !host_mapped(b) && !host_mapped(b + 62 * PAGE));
	brk_area_done(&saved, b, 80);
}

/* check_data_rlimit(): the break's size plus the program's data (end_data - start_data)
 * within RLIMIT_DATA, checked first, so a shrink that stays over it is refused too. */
static void test_brk_rlimit_data(void)
{
	struct mm saved = the_process.mm;
	struct rlimit old, rl;
	uint64_t b = brk_area(16, 15);
	CU_ASSERT_FATAL(b != 0 && getrlimit(RLIMIT_DATA, &old) == 0);
	/* Far above what this process uses (under ASan its shadow counts as data too). */
	uint64_t limit = 1ull << 40;
	char line[256];
	FILE *st = fopen("/proc/self/status", "r");
	while (st && fgets(line, sizeof line, st))
		if (!strncmp(line, "VmData:", 7))
			limit += strtoull(line + 7, NULL, 10) * 1024;
	if (st)
		fclose(st);
	the_process.mm.start_data = 0x10000;
	the_process.mm.end_data = 0x10000 + limit - 5 * PAGE;
	rl = (struct rlimit){ limit, old.rlim_max };
	CU_ASSERT_FATAL(setrlimit(RLIMIT_DATA, &rl) == 0);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 5 * PAGE + 1), b);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 5 * PAGE), b + 5 * PAGE);
	rl.rlim_cur = limit - 3 * PAGE;
	CU_ASSERT_FATAL(setrlimit(RLIMIT_DATA, &rl) == 0);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 4 * PAGE), b + 5 * PAGE);   /* still over: refused */
	CU_ASSERT(mm_find(&the_process.mm, b + 4 * PAGE) != NULL);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 2 * PAGE), b + 2 * PAGE);
	CU_ASSERT(mm_find(&the_process.mm, b + 2 * PAGE) == NULL);
	CU_ASSERT(setrlimit(RLIMIT_DATA, &old) == 0);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b), b);
	brk_area_done(&saved, b, 16);
}

/* A guest region running across the break's start (the bss merges with the heap): munmap
 * unmaps both parts. The break stays where it was: a shrink with nothing mapped below it is
 * refused (as 6.x kernels refuse it); growth maps from the old break on. */
static void test_brk_area_munmap(void)
{
	struct mm saved = the_process.mm;
	uint64_t b = brk_area(16, 15);
	CU_ASSERT_FATAL(b != 0);
	char *base = (char *)(uintptr_t)b;
	CU_ASSERT_FATAL(mmap(base, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
			     MAP_FIXED_NOREPLACE, -1, 0) == base);
	mm_add(&the_process.mm, b, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	the_process.mm.brk_start = the_process.mm.brk_cur = b + PAGE;
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 3 * PAGE), b + 3 * PAGE);
	const struct mm_region *r = mm_find(&the_process.mm, b);
	CU_ASSERT(r && r->start == b && r->end == b + 3 * PAGE);   /* merged */
	CU_ASSERT_EQUAL(SYS(SYS_munmap, b, 3 * PAGE), 0);
	CU_ASSERT(mm_find(&the_process.mm, b) == NULL && mm_find(&the_process.mm, b + PAGE) == NULL);
	CU_ASSERT(!host_mapped(b) && !host_mapped(b + PAGE) && !host_mapped(b + 2 * PAGE));
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 2 * PAGE), b + 3 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + 5 * PAGE), b + 5 * PAGE);
	CU_ASSERT(mm_find(&the_process.mm, b + 3 * PAGE) != NULL && !host_mapped(b + 2 * PAGE));
	base[4 * PAGE] = 1;
	CU_ASSERT_EQUAL(SYS(SYS_brk, b + PAGE), b + PAGE);
	CU_ASSERT(mm_find(&the_process.mm, b + 3 * PAGE) == NULL && !host_mapped(b + 3 * PAGE));
	brk_area_done(&saved, b, 16);
}

static void test_mmap_recorded(void)
{
	long p = SYS(SYS_mmap, 0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	CU_ASSERT_FATAL(p > 0 && (p & (PAGE - 1)) == 0);
	uint64_t a = (uint64_t)p;
	const struct mm_region *r = mm_find(&the_process.mm, a);
	CU_ASSERT(r && r->prot == (PROT_READ | PROT_WRITE) && r->flags == (MAP_PRIVATE | MAP_ANONYMOUS));
	CU_ASSERT_EQUAL(mm_accessible(&the_process.mm, a, 3 * PAGE, PROT_READ | PROT_WRITE), 3 * PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_mprotect, a, PAGE, PROT_READ), 0);
	CU_ASSERT_EQUAL(mm_accessible(&the_process.mm, a, 3 * PAGE, PROT_READ), 3 * PAGE);
	CU_ASSERT_EQUAL(mm_accessible(&the_process.mm, a, 3 * PAGE, PROT_WRITE), 0);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, a + PAGE, PAGE), 0);
	CU_ASSERT(mm_find(&the_process.mm, a + PAGE) == NULL);
	CU_ASSERT(mm_find(&the_process.mm, a + 2 * PAGE) != NULL);
	((char *)(uintptr_t)(a + 2 * PAGE))[0] = 42;
	long n = SYS(SYS_mremap, a + 2 * PAGE, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT(((char *)(uintptr_t)n)[0] == 42);
	r = mm_find(&the_process.mm, (uint64_t)n + 3 * PAGE);
	CU_ASSERT(r && r->prot == (PROT_READ | PROT_WRITE));
	if ((uint64_t)n != a + 2 * PAGE)
		CU_ASSERT(mm_find(&the_process.mm, a + 2 * PAGE) == NULL);
	/* Linux's answers for bad arguments. */
	CU_ASSERT_EQUAL(SYS(SYS_munmap, a + 1, PAGE), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, a, 0), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_mprotect, a + 1, PAGE, PROT_READ), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_mremap, a, PAGE, PAGE, 8, 0), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			host(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS));
	CU_ASSERT_EQUAL(SYS(SYS_munmap, a, PAGE), 0);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, n, 4 * PAGE), 0);
	CU_ASSERT(mm_find(&the_process.mm, a) == NULL && mm_find(&the_process.mm, (uint64_t)n) == NULL);
	/* mprotect of memory nobody maps: ENOMEM, as the host says. */
	CU_ASSERT_EQUAL(SYS(SYS_mprotect, a, PAGE, PROT_READ), host(SYS_mprotect, (long)a, PAGE,
								       PROT_READ, 0));
}

/* sfdemu's own memory (here: a host mapping not in the map, and this file's code) is never
 * the guest's to replace, unmap or change. */
static void test_foreign_memory(void)
{
	char *own = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(own != MAP_FAILED);
	strcpy(own, "sfdemu's");
	uint64_t o = (uint64_t)(uintptr_t)own;
	CU_ASSERT_EQUAL(SYS(SYS_mmap, o, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			    -1, 0), -ENOMEM);
	CU_ASSERT_EQUAL(SYS(SYS_mmap, o, PAGE, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), -ENOMEM);
	uint64_t code = (uint64_t)(uintptr_t)&test_foreign_memory & ~(PAGE - 1);
	CU_ASSERT_EQUAL(SYS(SYS_mmap, code, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			    MAP_FIXED, -1, 0), -ENOMEM);
	CU_ASSERT_EQUAL(SYS(SYS_mprotect, o, PAGE, PROT_NONE), -ENOMEM);
	CU_ASSERT_EQUAL(SYS(SYS_madvise, o, PAGE, MADV_DONTNEED), -ENOMEM);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, o, PAGE), 0);   /* unmapped for the guest already */
	CU_ASSERT_EQUAL(SYS(SYS_mremap, o, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0), -EFAULT);
	CU_ASSERT(strcmp(own, "sfdemu's") == 0);       /* still there, still writable */
	own[PAGE] = 1;

	/* Free memory is fine for MAP_FIXED, and becomes the guest's. */
	munmap(own + PAGE, PAGE);
	CU_ASSERT_EQUAL(SYS(SYS_mmap, o + PAGE, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), o + PAGE);
	CU_ASSERT(mm_find(&the_process.mm, o + PAGE) != NULL);
	/* Now the range is half the guest's: still refused as a whole. */
	CU_ASSERT_EQUAL(SYS(SYS_mmap, o, 2 * PAGE, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -ENOMEM);
	CU_ASSERT_EQUAL(SYS(SYS_madvise, o + PAGE, PAGE, MADV_DONTNEED), 0);
	CU_ASSERT_EQUAL(SYS(SYS_munmap, o, 2 * PAGE), 0);
	CU_ASSERT(mm_find(&the_process.mm, o + PAGE) == NULL);
	CU_ASSERT(strcmp(own, "sfdemu's") == 0);
	munmap(own, PAGE);
}

static const char exe_content[] = "#!/bin/sh\necho guest\n";
static char exe_file[64];

static void set_exe(void)
{
	strcpy(exe_file, "/tmp/sfdemu-sys-XXXXXX");
	int fd = mkstemp(exe_file);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, exe_content, sizeof exe_content - 1) == sizeof exe_content - 1);
	close(fd);
	strcpy(the_process.exe_path, exe_file);
}

static void test_proc_self_exe(void)
{
	set_exe();
	char *path = gmem, *buf = gmem + 256;
	size_t len = strlen(exe_file);
	const char *names[] = { "/proc/self/exe", "/proc/thread-self/exe", NULL, NULL };
	char own[64], task[96];
	snprintf(own, sizeof own, "/proc/%d/exe", getpid());
	snprintf(task, sizeof task, "/proc/self/task/%d/exe", gettid());
	names[2] = own;
	names[3] = task;
	for (int i = 0; i < 4; i++) {
		strcpy(path, names[i]);
		memset(buf, '#', 128);
		CU_ASSERT_EQUAL(SYS(SYS_readlink, path, buf, 128), (long)len);
		CU_ASSERT(memcmp(buf, exe_file, len) == 0 && buf[len] == '#');
		CU_ASSERT_EQUAL(SYS(SYS_readlinkat, AT_FDCWD, path, buf, 128), (long)len);
	}
	strcpy(path, "/proc/self/exe");
	memset(buf, '#', 128);
	CU_ASSERT_EQUAL(SYS(SYS_readlink, path, buf, 5), 5);   /* cut, no NUL */
	CU_ASSERT(memcmp(buf, exe_file, 5) == 0 && buf[5] == '#');
	CU_ASSERT_EQUAL(SYS(SYS_readlink, path, buf, 0), host(SYS_readlink, (long)path, (long)buf, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_readlink, path, buf, 0), -EINVAL);
	strcpy(path, "/proc/self/cwd");
	char cwd[PATH_MAX];
	CU_ASSERT_FATAL(getcwd(cwd, sizeof cwd) != NULL);
	CU_ASSERT_EQUAL(SYS(SYS_readlink, path, buf, 256), (long)strlen(cwd));

	/* open and stat reach the guest binary; lstat sees the link. */
	strcpy(path, "/proc/self/exe");
	int fd = (int)SYS(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(SYS(SYS_read, fd, buf, 128), (long)sizeof exe_content - 1);
	CU_ASSERT(memcmp(buf, exe_content, sizeof exe_content - 1) == 0);
	SYS(SYS_close, fd);
	struct stat *st = (struct stat *)(gmem + 2048), real;
	CU_ASSERT_FATAL(stat(exe_file, &real) == 0);
	CU_ASSERT_EQUAL(SYS(SYS_stat, path, st), 0);
	CU_ASSERT(st->st_ino == real.st_ino && st->st_dev == real.st_dev);
	CU_ASSERT_EQUAL(SYS(SYS_newfstatat, AT_FDCWD, path, st, 0), 0);
	CU_ASSERT(st->st_ino == real.st_ino);
	CU_ASSERT_EQUAL(SYS(SYS_newfstatat, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW), 0);
	CU_ASSERT(S_ISLNK(st->st_mode));
	CU_ASSERT_EQUAL(SYS(SYS_access, path, X_OK), -EACCES);  /* the guest file: mode 0600 */
	CU_ASSERT_EQUAL(SYS(SYS_faccessat, AT_FDCWD, path, R_OK), 0);
	unlink(exe_file);
	the_process.exe_path[0] = 0;
}

static void test_efault(void)
{
	char stack_buf[64] = "/proc/self/exe";
	strcpy(gmem, "/proc/self/exe");
	strcpy(the_process.exe_path, "/guest");
	CU_ASSERT_EQUAL(SYS(SYS_readlink, gmem, stack_buf, 64), -EFAULT);
	CU_ASSERT_EQUAL(SYS(SYS_openat, AT_FDCWD, stack_buf, O_RDONLY), -EFAULT);
	CU_ASSERT_EQUAL(SYS(SYS_stat, stack_buf, gmem + 512), -EFAULT);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, stack_buf, 0, 8), -EFAULT);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, stack_buf, 0, 8), -EFAULT);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_GET_FS, stack_buf), -EFAULT);
	/* Read-only guest memory cannot be written either. */
	char *ro = gmap(PAGE, PROT_READ);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_GET_FS, ro), -EFAULT);
	gunmap(ro, PAGE);
	/* A passthrough call: the kernel checks the pointer itself. */
	CU_ASSERT_EQUAL(SYS(SYS_clock_gettime, CLOCK_MONOTONIC, 8),
			host(SYS_clock_gettime, CLOCK_MONOTONIC, 8, 0, 0));
	the_process.exe_path[0] = 0;
}

static void test_arch_prctl(void)
{
	uint64_t *out = (uint64_t *)gmem;
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_SET_FS, 0x12345000), 0);
	CU_ASSERT_EQUAL(th.cpu.segbase[SEG_FS], 0x12345000);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_SET_GS, 0x777000), 0);
	CU_ASSERT_EQUAL(th.cpu.segbase[SEG_GS], 0x777000);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_GET_FS, out), 0);
	CU_ASSERT_EQUAL(*out, 0x12345000);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_GET_GS, out), 0);
	CU_ASSERT_EQUAL(*out, 0x777000);
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, 0x9999, 0), host(SYS_arch_prctl, 0x9999, 0, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_SET_GS, 0x800000000000),
			host(SYS_arch_prctl, ARCH_SET_GS, 0x800000000000, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_arch_prctl, ARCH_GET_CPUID, 0), host(SYS_arch_prctl, ARCH_GET_CPUID, 0, 0, 0));
	CU_ASSERT_EQUAL(th.cpu.segbase[SEG_GS], 0x777000);
}

static void test_robust_list(void)
{
	CU_ASSERT_EQUAL(SYS(SYS_set_robust_list, gmem, 23), host(SYS_set_robust_list, 0, 23, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_set_robust_list, gmem, 23), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_set_robust_list, gmem + 8, 24), 0);
	uint64_t *head = (uint64_t *)(gmem + 512), *len = head + 1;
	CU_ASSERT_EQUAL(SYS(SYS_get_robust_list, 0, head, len), 0);
	CU_ASSERT(*head == (uint64_t)(uintptr_t)(gmem + 8) && *len == 24);
}

#define SIGBIT(s) (1ull << ((s) - 1))

static void test_sigaction_rules(void)
{
	struct linux_sigaction *act = (void *)gmem, *old = (void *)(gmem + 64), hact, hold;
	memset(act, 0, sizeof *act);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, 0, 0, old, 8), host(SYS_rt_sigaction, 0, 0, (long)&hold, 8));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, 65, 0, old, 8), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGKILL, act, 0, 8),
			host(SYS_rt_sigaction, SIGKILL, (long)act, 0, 8));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGSTOP, act, 0, 8), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGKILL, 0, old, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, act, old, 4), -EINVAL);

	/* The kernel keeps only the flags it knows and never KILL/STOP in the mask. */
	*act = (struct linux_sigaction){ .handler = 0x1234, .flags = ~0ull, .restorer = 0x5678,
					 .mask = ~0ull };
	hact = *act;
	hact.handler = LINUX_SIG_IGN;
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, act, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, 0, old, 8), 0);
	CU_ASSERT_EQUAL_FATAL(host(SYS_rt_sigaction, SIGUSR2, (long)&hact, 0, 8), 0);
	CU_ASSERT_EQUAL(host(SYS_rt_sigaction, SIGUSR2, 0, (long)&hold, 8), 0);
	CU_ASSERT_EQUAL(old->flags, hold.flags);
	CU_ASSERT_EQUAL(old->mask, hold.mask);
	CU_ASSERT(old->handler == 0x1234 && old->restorer == 0x5678);
	memset(&hact, 0, sizeof hact);
	host(SYS_rt_sigaction, SIGUSR2, (long)&hact, 0, 8);
	memset(act, 0, sizeof *act);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, act, old, 8), 0);
	CU_ASSERT_EQUAL(old->handler, 0x1234);
}

static void test_sigprocmask(void)
{
	uint64_t *set = (uint64_t *)gmem, *old = set + 1, base, hset = 0, hold;
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, 0, old, 8), 0);
	base = *old;
	*set = SIGBIT(SIGUSR1) | SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, set, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, 0, old, 8), 0);
	CU_ASSERT_EQUAL(*old, base | SIGBIT(SIGUSR1));
	sigset_t hs;
	sigprocmask(SIG_BLOCK, NULL, &hs);
	CU_ASSERT(sigismember(&hs, SIGUSR1));   /* mirrored on the host */
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, 5, set, 0, 8),
			host(SYS_rt_sigprocmask, 5, (long)&hset, 0, 8));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, 5, 0, old, 8),
			host(SYS_rt_sigprocmask, 5, 0, (long)&hold, 8));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, set, 0, 4),
			host(SYS_rt_sigprocmask, SIG_BLOCK, (long)&hset, 0, 4));
	*set = base;
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_SETMASK, set, old, 8), 0);
	CU_ASSERT_EQUAL(*old, base | SIGBIT(SIGUSR1));
	sigprocmask(SIG_BLOCK, NULL, &hs);
	CU_ASSERT(!sigismember(&hs, SIGUSR1));
}

static void test_kill_self(void)
{
	uint64_t *set = (uint64_t *)gmem, *pend = set + 1;
	struct linux_sigaction *act = (void *)(gmem + 64);
	*set = SIGBIT(SIGUSR1);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_BLOCK, set, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_kill, getpid(), SIGUSR1), 0);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigpending, pend, 8), 0);
	CU_ASSERT(*pend & SIGBIT(SIGUSR1));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigpending, pend, 9), host(SYS_rt_sigpending, (long)pend, 9, 0, 0));
	/* SIG_IGN discards it (POSIX; kernel/signal.c do_sigaction). */
	*act = (struct linux_sigaction){ .handler = LINUX_SIG_IGN };
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, act, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigpending, pend, 8), 0);
	CU_ASSERT_FALSE(*pend & SIGBIT(SIGUSR1));
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigprocmask, SIG_UNBLOCK, set, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_tgkill, getpid(), gettid(), SIGUSR1), 0);  /* ignored */
	act->handler = LINUX_SIG_DFL;
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGUSR1, act, 0, 8), 0);
	CU_ASSERT_EQUAL(SYS(SYS_tkill, gettid(), SIGCHLD), 0);  /* ignored by default */
	CU_ASSERT_EQUAL(SYS(SYS_kill, getpid(), SIGWINCH), 0);
	CU_ASSERT_EQUAL(SYS(SYS_kill, getpid(), 0), 0);
	CU_ASSERT_EQUAL(SYS(SYS_kill, getpid(), 65), host(SYS_kill, getpid(), 65, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_tgkill, 0, gettid(), 0), host(SYS_tgkill, 0, gettid(), 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_tkill, -1, 0), host(SYS_tkill, -1, 0, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_kill, 0x7ffffff0, 0), host(SYS_kill, 0x7ffffff0, 0, 0, 0));
}

static void test_sigpipe_ignored(void)
{
	struct linux_sigaction *act = (void *)(gmem + 64);
	int *fds = (int *)gmem;
	*act = (struct linux_sigaction){ .handler = LINUX_SIG_IGN };
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGPIPE, act, 0, 8), 0);
	CU_ASSERT_EQUAL_FATAL(SYS(SYS_pipe2, fds, 0), 0);
	SYS(SYS_close, fds[0]);
	CU_ASSERT_EQUAL(SYS(SYS_write, fds[1], gmem + 100, 1), -EPIPE);
	SYS(SYS_close, fds[1]);
	act->handler = LINUX_SIG_DFL;
	CU_ASSERT_EQUAL(SYS(SYS_rt_sigaction, SIGPIPE, act, 0, 8), 0);
	struct sigaction hs;
	sigaction(SIGPIPE, NULL, &hs);
	CU_ASSERT(hs.sa_handler == SIG_DFL);
}

/* Run fn in a child; its wait status, and what it wrote to stderr in err. */
static int in_child(void (*fn)(void), char *err, size_t errlen)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };
		setrlimit(RLIMIT_CORE, &nocore);
		dup2(p[1], 2);
		fn();
		_exit(99);
	}
	close(p[1]);
	ssize_t n = read(p[0], err, errlen - 1);
	err[n > 0 ? n : 0] = 0;
	close(p[0]);
	int status = -1;
	waitpid(pid, &status, 0);
	return status;
}

static void native_term(void) { kill(getpid(), SIGTERM); }
static void guest_term(void) { SYS(SYS_kill, getpid(), SIGTERM); }
static void guest_term_unblocked(void)
{
	uint64_t *set = (uint64_t *)gmem;
	*set = SIGBIT(SIGTERM);
	SYS(SYS_rt_sigprocmask, SIG_BLOCK, set, 0, 8);
	if (SYS(SYS_tgkill, getpid(), gettid(), SIGTERM) != 0)
		_exit(1);
	SYS(SYS_rt_sigprocmask, SIG_UNBLOCK, set, 0, 8);
}
static void guest_handler(void)
{
	struct linux_sigaction *act = (void *)(gmem + 64);
	*act = (struct linux_sigaction){ .handler = 0x401000 };
	SYS(SYS_rt_sigaction, SIGUSR1, act, 0, 8);
	SYS(SYS_kill, getpid(), SIGUSR1);
}
static void native_abrt(void) { signal(SIGABRT, SIG_DFL); kill(getpid(), SIGABRT); }
static void guest_abrt(void) { SYS(SYS_tkill, gettid(), SIGABRT); }
static void native_exit(void) { syscall(SYS_exit_group, 300); }
static void guest_exit(void) { SYS(SYS_exit, 300); }
static void guest_exit_group(void) { SYS(SYS_exit_group, 7); }
static void guest_segv(void) { sig_die(SIGSEGV); }

static void test_fatal(void)
{
	char err[512];
	int native = in_child(native_term, err, sizeof err);
	CU_ASSERT(WIFSIGNALED(native) && WTERMSIG(native) == SIGTERM);
	CU_ASSERT_EQUAL(in_child(guest_term, err, sizeof err), native);
	CU_ASSERT_EQUAL(in_child(guest_term_unblocked, err, sizeof err), native);
	/* A handler without SA_RESTORER: x86-64 has no return trampoline, so the kernel cannot
	 * build the frame and forces SIGSEGV (the handlers themselves: tests/guests). */
	int st = in_child(guest_handler, err, sizeof err);
	CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	CU_ASSERT_EQUAL(in_child(guest_abrt, err, sizeof err), in_child(native_abrt, err, sizeof err));
	CU_ASSERT_EQUAL(in_child(guest_exit, err, sizeof err), in_child(native_exit, err, sizeof err));
	st = in_child(guest_exit_group, err, sizeof err);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	st = in_child(guest_segv, err, sizeof err);
	CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void native_tstp(void) { kill(getpid(), SIGTSTP); _exit(0); }
static void guest_tstp(void) { SYS(SYS_kill, getpid(), SIGTSTP); _exit(0); }

/* The stop status a child shows after fn, then its exit status once continued. */
static void stop_and_continue(void (*fn)(void), int *stopped, int *ended)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(99);
	}
	waitpid(pid, stopped, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, ended, 0);
}

static void test_stop_signal(void)
{
	int ns = -1, ne = -1, gs = -1, ge = -1;   /* a failed waitpid leaves them as they are */
	stop_and_continue(native_tstp, &ns, &ne);
	stop_and_continue(guest_tstp, &gs, &ge);
	CU_ASSERT(WIFSTOPPED(ns) && WSTOPSIG(ns) == SIGTSTP);
	CU_ASSERT_EQUAL(gs, ns);
	CU_ASSERT_EQUAL(ge, ne);
}

static void test_sigaltstack(void)
{
	struct linux_stack *ss = (void *)gmem, *old = (void *)(gmem + 64);
	stack_t hss = { .ss_sp = gmem, .ss_size = 2047 };
	th.cpu.r[R_RSP] = 0x1000;
	*ss = (struct linux_stack){ .ss_sp = 0x10000, .ss_size = 2047 };
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, 0), host(SYS_sigaltstack, (long)&hss, 0, 0, 0));
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, 0), -ENOMEM);
	ss->ss_size = 8192;
	ss->ss_flags = 4;
	hss.ss_size = 8192;
	hss.ss_flags = 4;
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, 0), host(SYS_sigaltstack, (long)&hss, 0, 0, 0));
	ss->ss_flags = 0;
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, old), 0);
	CU_ASSERT(old->ss_flags == LINUX_SS_DISABLE && old->ss_size == 0);
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, 0, old), 0);
	CU_ASSERT(old->ss_sp == 0x10000 && old->ss_size == 8192 && old->ss_flags == 0);
	th.cpu.r[R_RSP] = 0x10000 + 100;                 /* running on it */
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, 0, old), 0);
	CU_ASSERT_EQUAL(old->ss_flags, LINUX_SS_ONSTACK);
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, 0), -EPERM);
	th.cpu.r[R_RSP] = 0x1000;
	ss->ss_flags = (int32_t)(LINUX_SS_DISABLE | LINUX_SS_AUTODISARM);
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, ss, 0), 0);
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, 0, old), 0);
	CU_ASSERT(old->ss_sp == 0 && old->ss_size == 0 &&
		  (uint32_t)old->ss_flags == (LINUX_SS_DISABLE | LINUX_SS_AUTODISARM));
	CU_ASSERT_EQUAL(SYS(SYS_sigaltstack, (long)gmem + PAGE - 8, 0), -EFAULT);
}

static void child_fork_exit(void)
{
	long r = SYS(SYS_fork);
	if (r == 0)
		_exit(5);
	int st;
	waitpid((pid_t)r, &st, 0);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

static void test_fork(void)
{
	char err[64];
	int st = in_child(child_fork_exit, err, sizeof err);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 5);

	int32_t *ptid = (int32_t *)gmem, *ctid = ptid + 1;
	*ptid = *ctid = 0;
	fflush(NULL);
	long pid = SYS(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, 0, ptid, ctid, 0);
	if (pid == 0)
		_exit(*ctid == gettid() && *ptid == 0 ? 6 : 1);
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_EQUAL(*ptid, pid);
	CU_ASSERT_EQUAL(*ctid, 0);
	waitpid((pid_t)pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 6);
	/* copy_process()'s refusals (threads themselves: tests/guests/thread_*.c). */
	CU_ASSERT_EQUAL(SYS(SYS_clone, CLONE_VM | CLONE_THREAD, gmem + 2048, 0, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(SYS(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), -EINVAL);
}

/* What --strace printed for the calls fn makes. */
static void strace_capture(void (*fn)(void), char *out, size_t len)
{
	int p[2];
	CU_ASSERT_FATAL(pipe(p) == 0);
	int saved = dup(2);
	dup2(p[1], 2);
	the_process.opt.strace = true;
	fn();
	the_process.opt.strace = false;
	dup2(saved, 2);
	close(saved);
	close(p[1]);
	ssize_t n = read(p[0], out, len - 1);
	out[n > 0 ? n : 0] = 0;
	close(p[0]);
}

static int devnull = -1;

static void traced_calls(void)
{
	static const unsigned char elf[32] = "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2";
	memset(gmem, 0, 1024);
	memcpy(gmem, elf, sizeof elf);
	SYS(SYS_write, devnull, gmem, 832);
	SYS(SYS_close, 9999);
	strcpy(gmem + 900, "/nonexistent/x");
	SYS(SYS_openat, AT_FDCWD, gmem + 900, O_RDONLY | O_CLOEXEC);
	SYS(SYS_openat, AT_FDCWD, gmem + 900, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	memcpy(gmem + 900, "a\tb\"\\\001\0019\001\0017\0018\377", 14);
	SYS(SYS_write, devnull, gmem + 900, 14);
	SYS(999);
	SYS(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void test_strace_output(void)
{
	char out[4096], want[4096], p[32] = "";
	SYS(SYS_getpid);   /* the first call sets up tracing state with --strace off */
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	/* Once a process or thread was made (earlier tests fork), lines name their thread. */
	if (strace_names_threads())
		snprintf(p, sizeof p, "[pid %5ld] ", syscall(SYS_gettid));
	strace_capture(traced_calls, out, sizeof out);
	snprintf(want, sizeof want,
		 "%swrite(%d, \"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"..., 832) = 832\n"
		 "%sclose(9999)                             = -1 EBADF (Bad file descriptor)\n"
		 "%sopenat(AT_FDCWD, \"/nonexistent/x\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)\n"
		 "%sopenat(AT_FDCWD, \"/nonexistent/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)\n"
		 "%swrite(%d, \"a\\tb\\\"\\\\\\1\\19\\1\\0017\\18\\377\", 14) = 14\n"
		 "%ssfdemu: unknown syscall 999 (-ENOSYS)\n"
		 "%smmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x",
		 p, devnull, p, p, p, p, devnull, p, p);
	CU_ASSERT_EQUAL(strncmp(out, want, strlen(want)), 0);
	if (strncmp(out, want, strlen(want)))
		fprintf(stderr, "\ngot:\n%s\nwant:\n%s\n", out, want);
	close(devnull);
	unsigned long long m = strtoull(strrchr(out, '=') + 2, NULL, 16);
	if (m)
		SYS(SYS_munmap, m, 8192);
}

static void traced_close(void)
{
	SYS(SYS_close, 9999);
}

/* After the guest made a thread or process, each line names the thread, as strace -f. */
static void test_strace_thread_names(void)
{
	char out[512], want[128];
	strace_new_tracee();
	strace_capture(traced_close, out, sizeof out);
	snprintf(want, sizeof want,
		 "[pid %5ld] close(9999)                             = -1 EBADF (Bad file descriptor)\n",
		 syscall(SYS_gettid));
	CU_ASSERT_STRING_EQUAL(out, want);
}

void register_syscalls_tests(void)
{
	CU_pSuite s = CU_add_suite("syscalls", suite_init, suite_cleanup);
	CU_add_test(s, "id calls; rcx and r11 as the kernel leaves them", test_ids_and_registers);
	CU_add_test(s, "-ENOSYS for unknown and unsupported numbers", test_enosys);
	CU_add_test(s, "pipe2, write, read, dup, close", test_pipe_roundtrip);
	CU_add_test(s, "brk maps, unmaps, stops below mappings and sfdemu's memory", test_brk);
	CU_add_test(s, "brk under RLIMIT_DATA (check_data_rlimit)", test_brk_rlimit_data);
	CU_add_test(s, "munmap across the break's start", test_brk_area_munmap);
	CU_add_test(s, "mmap family recorded in the memory map", test_mmap_recorded);
	CU_add_test(s, "sfdemu's own memory is refused or left alone", test_foreign_memory);
	CU_add_test(s, "/proc/self/exe and aliases name the guest", test_proc_self_exe);
	CU_add_test(s, "EFAULT for memory that is not the guest's", test_efault);
	CU_add_test(s, "arch_prctl", test_arch_prctl);
	CU_add_test(s, "set_robust_list / get_robust_list", test_robust_list);
	CU_add_test(s, "rt_sigaction: validation, flags and mask as Linux keeps them", test_sigaction_rules);
	CU_add_test(s, "rt_sigprocmask: validation; KILL and STOP never blocked", test_sigprocmask);
	CU_add_test(s, "signals to self: pending while blocked, dropped when ignored", test_kill_self);
	CU_add_test(s, "SIG_IGN mirrored on the host: EPIPE instead of death", test_sigpipe_ignored);
	CU_add_test(s, "fatal signals and exit give native's wait status", test_fatal);
	CU_add_test(s, "a stop signal stops by itself, then continues", test_stop_signal);
	CU_add_test(s, "sigaltstack as kernel/signal.c", test_sigaltstack);
	CU_add_test(s, "fork and fork-like clone", test_fork);
	CU_add_test(s, "--strace lines in strace's format", test_strace_output);
	CU_add_test(s, "--strace lines name their thread after a clone", test_strace_thread_names);
}
