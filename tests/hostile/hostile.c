/* hostile: call every syscall of sfdemu's table (syscalls/syscalls.def, included here) with
 * hostile arguments and print what each call returned: "ok", a value for the calls whose
 * value is stable (byte counts), or the errno name. Run natively and under sfdemu, the two
 * outputs must be the same, and sfdemu must survive every call.
 *
 * Each row is called in seven rounds. A round fixes one value per argument class, taken from
 * the row's argument kinds in syscalls.def:
 *
 *   round     pointer                         fd           length   flags       int
 *   null      NULL                            -1           ~0       ~0          -1
 *   unmapped  a page nobody maps              0x7fffffff   ~2^48 *  0x7fffff00  0x7fffffff
 *   kernel    0xffff800000000000              -100         2^31-4K  0x80000000  -2
 *   zero      a zeroed page + 1 (misaligned)  -1           8192     ~0          -1
 *   ff        0xff bytes (two pages) + 5      -1           8192     ~0          -1
 *   edge      3 bytes before a guard page     -1           8192     ~0          -1
 *   file      the zeroed page + 1             a file       8192     ~0          -1
 *
 * (* 0x10000fffffff0: huge as a 64-bit and as a 32-bit length, which poll's count is.)
 * Pointers are the guest's own memory, laid out so that every access ends in a guard page
 * the guest owns (PROT_NONE): a length of 8192 from a valid pointer always runs into one, so
 * what the kernel reads or writes does not depend on what lies around the guest (under sfdemu
 * that is sfdemu's memory). The pages are refilled before each call.
 *
 * Not called, or called with safe values, on purpose (the rest of the table is called as is):
 *   - rows sfdemu marks TODO (-ENOSYS by design; counted on the last line);
 *   - calls that end or split the process, or block for good with valid arguments: exit,
 *     exit_group, fork, vfork, clone, clone3, pause, rt_sigreturn; setsid and vhangup (they
 *     would change the session or hang up the terminal), sync (slow, no arguments);
 *   - rseq: sfdemu answers ENOSYS to every call so that libc does not use it, while natively
 *     glibc registered an rseq area at startup, and the kernel's answers depend on that;
 *   - arguments that name a process (kill, tkill, tgkill, ...) are a pid that cannot exist;
 *   - set*id calls get -1 (no change): as root they would drop privileges for the rest of
 *     the run; personality only queries (0xffffffff): setting it would change the memory
 *     layout rules of the rest of the run;
 *   - *get IPC calls and mq_open lose IPC_CREAT/O_CREAT (no system-wide objects left behind);
 *   - calls that set the clock (settimeofday, clock_settime, adjtimex, clock_adjtime) get
 *     invalid pointers only: with readable memory they would set the time;
 *   - alarm is cancelled after each call.
 * A call that creates file descriptors has them closed after it. */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hguest.h"

struct row {
	long nr;
	const char *name, *how, *kinds;
};

static const struct row rows[] = {
#define SC(nr, name, how, ...) { nr, #name, #how, #__VA_ARGS__ },
#include "syscalls/syscalls.def"
#undef SC
};

enum cls { C_INT, C_PTR, C_FD, C_LEN, C_FLAGS };

/* The class of an argument kind (syscalls/sys_impl.h, enum sys_kind); new kinds are ints. */
static enum cls kind_class(const char *k)
{
	static const char *ptrs[] = { "K_PTR", "K_PATH", "K_OPATH", "K_IBUF", "K_OBUF",
		"K_IOV_IN", "K_IOV_OUT", "K_STAT", "K_FDPAIR", "K_TIMESPEC", "K_OTIMESPEC",
		"K_SIGSET", "K_OSIGSET", "K_SIGACTION", "K_OSIGACTION", "K_STACK", "K_OSTACK",
		"K_UTSNAME", "K_ORLIMIT", "K_DIRENTS", "K_RANDBUF" };
	static const char *flags[] = { "K_HEX", "K_OFLAGS", "K_FDFLAGS", "K_ATFLAGS",
		"K_MAPFLAGS", "K_MREMAP", "K_PROT", "K_GRND", "K_AMODE", "K_MADV", "K_WHENCE",
		"K_MODE", "K_OMODE" };
	for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
		if (!strcmp(k, ptrs[i]))
			return C_PTR;
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (!strcmp(k, flags[i]))
			return C_FLAGS;
	if (!strcmp(k, "K_FD") || !strcmp(k, "K_DIRFD"))
		return C_FD;
	if (!strcmp(k, "K_UINT"))
		return C_LEN;
	return C_INT;
}

/* Split "K_INT, K_FD, K_OBUF" into the result kind and up to six argument classes. */
static int parse_kinds(const char *kinds, enum cls cls[6])
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", kinds);
	int n = -1;
	for (char *save, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (n >= 0 && n < 6)
			cls[n] = kind_class(t);
		n++;
	}
	return n < 0 ? 0 : n > 6 ? 6 : n;
}

/* ---- the guest's memory for pointers ---- */

#define PAGE 4096
/* [guard][zero][guard][ff][ff][guard][hole][guard] */
static char *area;
static char *zero_page(void) { return area + 1 * PAGE; }
static char *ff_pages(void) { return area + 3 * PAGE; }
static char *hole(void) { return area + 6 * PAGE; }

static void setup_memory(void)
{
	area = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || mprotect(zero_page(), PAGE, PROT_READ | PROT_WRITE) != 0 ||
	    mprotect(ff_pages(), 2 * PAGE, PROT_READ | PROT_WRITE) != 0 ||
	    munmap(hole(), PAGE) != 0) {
		perror("hostile: setup");
		exit(2);
	}
}

static void refill(void)
{
	memset(zero_page(), 0, PAGE);
	memset(ff_pages(), 0xff, 2 * PAGE);
}

/* ---- rounds ---- */

struct round {
	const char *name;
	long ptr, fd, len, flags, i;
	bool valid_ptr;      /* the pointer is readable memory */
};

#define FILE_FD 3
#define FILE_FD_KEEP 4

static struct round rounds[7];

static void setup_rounds(void)
{
	struct round r[] = {
		{ "null", 0, -1, -1, -1, -1, false },
		{ "unmapped", (long)hole(), 0x7fffffff, 0x10000fffffff0l, 0x7fffff00, 0x7fffffff, false },
		{ "kernel", (long)0xffff800000000000ul, -100, 0x7ffff000, 0x80000000l, -2, false },
		{ "zero", (long)zero_page() + 1, -1, 8192, -1, -1, true },
		{ "ff", (long)ff_pages() + 5, -1, 8192, -1, -1, true },
		{ "edge", (long)ff_pages() + 2 * PAGE - 3, -1, 8192, -1, -1, true },
		{ "file", (long)zero_page() + 1, FILE_FD, 8192, -1, -1, true },
	};
	memcpy(rounds, r, sizeof r);
}

/* An empty temporary file at FILE_FD, and a copy at FILE_FD_KEEP to restore it from. */
static void setup_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/hostile.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0 || unlink(path) != 0 || dup2(fd, FILE_FD) != FILE_FD ||
	    dup2(fd, FILE_FD_KEEP) != FILE_FD_KEEP) {
		perror("hostile: temporary file");
		exit(2);
	}
	if (fd != FILE_FD && fd != FILE_FD_KEEP)
		close(fd);
}

/* ---- per-row rules ---- */

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

static const char *const never[] = { "exit", "exit_group", "fork", "vfork", "clone", "clone3",
	"pause", "rt_sigreturn", "setsid", "vhangup", "sync", "rseq", NULL };
static const char *const set_ids[] = { "setuid", "setgid", "setreuid", "setregid",
	"setresuid", "setresgid", "setfsuid", "setfsgid", "setgroups", NULL };
static const char *const set_clock[] = { "settimeofday", "clock_settime", "adjtimex",
	"clock_adjtime", NULL };
static const char *const ipc_get[] = { "shmget", "semget", "msgget", NULL };
/* Syscalls whose non-negative result is printed (counts that do not depend on the run). */
static const char *const show_value[] = { "read", "write", "pread64", "pwrite64", "readv",
	"writev", "preadv", "pwritev", "preadv2", "pwritev2", "sendfile", "splice", "tee",
	"vmsplice", "copy_file_range", "getdents", "getdents64", "readlink", "readlinkat",
	"getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
	"getrandom", "lseek", NULL };

/* Which argument (0-based) is a process or thread id, per syscall; -1 ends. */
static const struct { const char *name; int args[3]; } pid_args[] = {
	{ "kill", { 0, -1 } }, { "tkill", { 0, -1 } }, { "tgkill", { 0, 1, -1 } },
	{ "rt_sigqueueinfo", { 0, -1 } }, { "rt_tgsigqueueinfo", { 0, 1, -1 } },
	{ "ptrace", { 1, -1 } }, { "kcmp", { 0, 1, -1 } }, { "prlimit64", { 0, -1 } },
	{ "process_vm_readv", { 0, -1 } }, { "process_vm_writev", { 0, -1 } },
	{ "migrate_pages", { 0, -1 } }, { "move_pages", { 0, -1 } },
	{ "perf_event_open", { 1, -1 } }, { "pidfd_open", { 0, -1 } },
	{ "sched_setaffinity", { 0, -1 } }, { "sched_getaffinity", { 0, -1 } },
	{ "sched_setscheduler", { 0, -1 } }, { "sched_setparam", { 0, -1 } },
	{ "sched_setattr", { 0, -1 } }, { "get_robust_list", { 0, -1 } },
	{ "wait4", { 0, -1 } }, { "setpgid", { 0, 1, -1 } }, { "getpgid", { 0, -1 } },
	{ "getsid", { 0, -1 } }, { "ioprio_set", { 1, -1 } }, { "setpriority", { 1, -1 } },
};
#define NO_SUCH_PID 0x3fffffffl   /* above PID_MAX_LIMIT (2^22): never a process */

static void apply_rules(const struct row *r, const struct round *rd, long a[6])
{
	for (size_t i = 0; i < sizeof pid_args / sizeof pid_args[0]; i++)
		if (!strcmp(r->name, pid_args[i].name))
			for (int k = 0; k < 3 && pid_args[i].args[k] >= 0; k++)
				a[pid_args[i].args[k]] = NO_SUCH_PID;
	if (name_in(r->name, set_ids))
		for (int k = 0; k < 6; k++)
			if (k > 0 || strcmp(r->name, "setgroups"))
				a[k] = -1;
	if (!strcmp(r->name, "personality"))
		a[0] = 0xffffffff;
	if (name_in(r->name, ipc_get))
		a[!strcmp(r->name, "msgget") ? 1 : 2] &= ~(long)01000;   /* IPC_CREAT */
	if (!strcmp(r->name, "mq_open"))
		a[1] &= ~(long)O_CREAT;
	(void)rd;
}

/* ---- file descriptors a call may create ---- */

static int lowest_free_fd(void)
{
	int fd = dup(0);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void close_new_fds(int lowest)
{
	for (int fd = lowest; fd < lowest + 64; fd++)
		close(fd);
}

/* ---- main ---- */

static void call_row(const struct row *r, const struct round *rd)
{
	enum cls cls[6] = { C_INT, C_INT, C_INT, C_INT, C_INT, C_INT };
	int n = parse_kinds(r->kinds, cls);
	long a[6] = { 0 };
	for (int k = 0; k < n; k++) {
		switch (cls[k]) {
		case C_PTR: a[k] = rd->ptr; break;
		case C_FD: a[k] = rd->fd; break;
		case C_LEN: a[k] = rd->len; break;
		case C_FLAGS: a[k] = rd->flags; break;
		case C_INT: a[k] = rd->i; break;
		}
	}
	apply_rules(r, rd, a);
	refill();
	if (fcntl(FILE_FD, F_GETFD) < 0)
		dup2(FILE_FD_KEEP, FILE_FD);
	int lowest = lowest_free_fd();
	long ret = hg_syscall(r->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (!strcmp(r->name, "alarm"))
		alarm(0);
	if (lowest_free_fd() != lowest)
		close_new_fds(lowest);
	printf("%-8s %-22s %s\n", rd->name, r->name, hg_result(ret, name_in(r->name, show_value)));
	fflush(stdout);
}

int main(void)
{
	setup_memory();
	setup_rounds();
	setup_file();
	/* Signals a hostile call might raise against the caller are not the point here. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	int called = 0, todo = 0, skipped = 0;
	size_t nrows = sizeof rows / sizeof rows[0];
	for (size_t ri = 0; ri < sizeof rounds / sizeof rounds[0]; ri++) {
		const struct round *rd = &rounds[ri];
		for (size_t i = 0; i < nrows; i++) {
			const struct row *r = &rows[i];
			if (!strcmp(r->how, "TODO")) {
				todo += ri == 0;
				continue;
			}
			if (name_in(r->name, never) || (rd->valid_ptr && name_in(r->name, set_clock))) {
				skipped++;
				continue;
			}
			call_row(r, rd);
			called++;
		}
	}
	printf("%d calls made; %d rows not supported by sfdemu yet (TODO) and %d calls left out "
	       "on purpose\n", called, todo, skipped);
	return 0;
}
