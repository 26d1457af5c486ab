/* --strace: one line per guest syscall on stderr, in strace's format:
 *   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *   read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 1234
 *   close(99)                               = -1 EBADF (Bad file descriptor)
 * Arguments are printed after the call, so buffers the call filled show what it wrote. Guest
 * memory is read through guest_read, so a bad pointer prints as a pointer, never faults.
 * The stream is a private duplicate of stderr (at a high fd, close-on-exec), so a guest that
 * closes or redirects its fd 2 does not take the trace with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "strace.h"
#include "syscall.h"

#define MAX_STR 32          /* strace -s default */
#define ALIGN_COLUMN 40     /* strace puts "= result" at this column */
#define MAX_IOV_PRINT 8

static int trace_fd = 2;


bool strace_on(void) { return the_process.opt.strace; }

void strace_init(void)
{
	if (!strace_on())
		return;
	struct rlimit rl;
	int low = 100;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 200)
		low = (int)rl.rlim_cur - 50;
	int fd = fcntl(2, F_DUPFD_CLOEXEC, low);
	if (fd >= 0)
		trace_fd = fd;
}

/* Once the guest has made a thread or a process, each line names its thread as strace -f
 * does ("[pid 1234] "), so that the lines of several can be told apart. */
static bool many_tracees;

void strace_new_tracee(void)
{
	many_tracees = true;
}

bool strace_names_threads(void)
{
	return many_tracees;
}

static void write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(trace_fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && trace_fd != 2) {
			trace_fd = 2; /* the guest closed ours */
			continue;
		}
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void strace_write(const char *s, size_t n)
{
	if (!many_tracees) {
		write_all(s, n);
		return;
	}
	/* One write per line (but the longest), so that threads' lines do not interleave. */
	char out[2048];
	int k = snprintf(out, 32, "[pid %5ld] ", host_syscall0(SYS_gettid));
	if ((size_t)k + n > sizeof out) {
		write_all(out, (size_t)k);
		write_all(s, n);
		return;
	}
	memcpy(out + k, s, n);
	write_all(out, (size_t)k + n);
}

void strace_notice(const char *fmt, ...)
{
	if (!strace_on())
		return;
	char msg[512];
	int n = snprintf(msg, sizeof msg, "sfdemu: ");
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof msg - 2)
		n = (int)sizeof msg - 2;
	msg[n++] = '\n';
	strace_write(msg, (size_t)n);
}

void put(struct line *l, const char *s)
{
	size_t len = strlen(s);
	if (len > sizeof l->buf - 1 - l->n)
		len = sizeof l->buf - 1 - l->n;
	memcpy(l->buf + l->n, s, len);
	l->n += len;
}

void putf(struct line *l, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(l, tmp);
}

void put_ptr(struct line *l, uint64_t v)
{
	if (v)
		putf(l, "%#llx", (unsigned long long)v);
	else
		put(l, "NULL");
}

/* Bytes quoted as strace does: C escapes, other unprintables in the shortest octal that
 * cannot run into a following digit. */
void put_quoted(struct line *l, const unsigned char *s, size_t n, bool more)
{
	char out[MAX_STR * 4 + 8];
	size_t o = 0;
	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		}
		if (esc) {
			memcpy(out + o, esc, 2);
			o += 2;
		} else if (c >= ' ' && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			bool digit_next = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';
			if (digit_next || c >> 6)
				out[o++] = (char)('0' + (c >> 6));
			if (digit_next || c >> 3)
				out[o++] = (char)('0' + ((c >> 3) & 7));
			out[o++] = (char)('0' + (c & 7));
		}
		if (o > sizeof out - 8) {
			out[o] = 0;
			put(l, out);
			o = 0;
		}
	}
	out[o++] = '"';
	out[o] = 0;
	put(l, out);
	if (more)
		put(l, "...");
}

/* A guest buffer of n bytes, as a quoted string cut at MAX_STR. */
static void put_gbuf(struct line *l, uint64_t addr, uint64_t n)
{
	unsigned char tmp[MAX_STR];
	size_t shown = n < MAX_STR ? (size_t)n : MAX_STR;
	if (guest_read(tmp, addr, shown) < 0) {
		put_ptr(l, addr);
		return;
	}
	put_quoted(l, tmp, shown, n > MAX_STR);
}

/* A guest NUL-terminated string, whole (paths are never cut). */
static void put_gpath(struct line *l, uint64_t addr)
{
	char tmp[PATH_MAX];
	if (!addr) {
		put(l, "NULL");
		return;
	}
	long n = guest_strncpy(tmp, addr, sizeof tmp);
	if (n < 0) {
		put_ptr(l, addr);
		return;
	}
	put_quoted(l, (const unsigned char *)tmp, (size_t)n, false);
}

void put_flags(struct line *l, const struct sys_name *t, uint64_t v)
{
	const struct sys_name *t0 = t;
	bool any = false;
	for (; t->name && v; t++) {
		if (t->value && (v & t->value) == t->value) {
			if (any)
				put(l, "|");
			put(l, t->name);
			any = true;
			v &= ~t->value;
		}
	}
	if (v && any) {
		putf(l, "|%#llx", (unsigned long long)v);
	} else if (v) {
		const char *us = strchr(t0->name, '_');
		putf(l, "%#llx /* %.*s??? */", (unsigned long long)v,
		     us ? (int)(us - t0->name + 1) : 0, t0->name);
	} else if (!any) {
		put(l, "0");
	}
}

/* A named value, or as strace shows an unknown one: hex and a comment naming the table's
 * prefix, SIG_??? (its first name up to the first '_'). */
static void put_enum(struct line *l, const struct sys_name *t, long v)
{
	const char *n = sys_name_of(t, (uint64_t)v);
	if (n) {
		put(l, n);
		return;
	}
	const char *us = strchr(t->name, '_');
	putf(l, "%#lx /* %.*s??? */", v, us ? (int)(us - t->name + 1) : 0, t->name);
}

static void put_signal(struct line *l, long sig, bool prefix)
{
	const char *n = sys_signal_name((int)sig);
	if (n)
		put(l, prefix ? n : n + 3);
	else
		putf(l, "%ld", sig);
}

static void put_sigset(struct line *l, uint64_t addr)
{
	uint64_t set;
	if (!addr) {
		put(l, "NULL");
		return;
	}
	if (guest_read(&set, addr, sizeof set) < 0) {
		put_ptr(l, addr);
		return;
	}
	put_sigmask(l, set);
}

void put_sigmask(struct line *l, uint64_t set)
{
	if (__builtin_popcountll(set) > 32) {
		put(l, "~");
		set = ~set;
	}
	put(l, "[");
	for (int sig = 1; sig <= 64; sig++) {
		if (!(set & (1ull << (sig - 1))))
			continue;
		put_signal(l, sig, false);
		set &= ~(1ull << (sig - 1));
		if (set)
			put(l, " ");
	}
	put(l, "]");
}

static void put_timespec(struct line *l, uint64_t addr)
{
	int64_t ts[2];
	if (!addr)
		put(l, "NULL");
	else if (guest_read(ts, addr, sizeof ts) < 0)
		put_ptr(l, addr);
	else
		putf(l, "{tv_sec=%lld, tv_nsec=%lld}", (long long)ts[0], (long long)ts[1]);
}

static void put_stat(struct line *l, uint64_t addr)
{
	struct stat st;
	if (guest_read(&st, addr, sizeof st) < 0) {
		put_ptr(l, addr);
		return;
	}
	static const struct sys_name types[] = {
		{ S_IFREG, "S_IFREG" }, { S_IFDIR, "S_IFDIR" }, { S_IFCHR, "S_IFCHR" },
		{ S_IFBLK, "S_IFBLK" }, { S_IFIFO, "S_IFIFO" }, { S_IFLNK, "S_IFLNK" },
		{ S_IFSOCK, "S_IFSOCK" }, SYS_NAMES_END,
	};
	const char *type = sys_name_of(types, st.st_mode & S_IFMT);
	putf(l, "{st_mode=%s%s%#03o, ", type ? type : "", type ? "|" : "", st.st_mode & 07777);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		unsigned long long d = st.st_rdev;
		unsigned long long major = ((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffull);
		unsigned long long minor = (d & 0xff) | ((d >> 12) & ~0xffull);
		putf(l, "st_rdev=makedev(%#llx, %#llx), ...}", major, minor);
	} else {
		putf(l, "st_size=%lld, ...}", (long long)st.st_size);
	}
}

/* An iovec array; bytes: how many bytes its buffers hold (-1: each one's length). */
static void put_iov(struct line *l, uint64_t addr, long count, long bytes)
{
	if (count <= 0 || count > 1024) {
		put_ptr(l, addr);
		return;
	}
	put(l, "[");
	for (long i = 0; i < count; i++) {
		uint64_t iov[2];
		if (i == MAX_IOV_PRINT) {
			put(l, ", ...");
			break;
		}
		if (guest_read(iov, addr + 16 * (uint64_t)i, sizeof iov) < 0) {
			put(l, i ? ", ...]" : "...]");
			return;
		}
		uint64_t shown = iov[1];
		if (bytes >= 0) {
			shown = (uint64_t)bytes < iov[1] ? (uint64_t)bytes : iov[1];
			bytes -= (long)shown;
		}
		put(l, i ? ", {iov_base=" : "{iov_base=");
		put_gbuf(l, iov[0], shown);
		putf(l, ", iov_len=%llu}", (unsigned long long)iov[1]);
	}
	put(l, "]");
}

static void put_rlim_value(struct line *l, uint64_t v)
{
	if (v == ~0ull)
		put(l, "RLIM64_INFINITY");
	else if (v && v % 1024 == 0)
		putf(l, "%llu*1024", (unsigned long long)(v / 1024));
	else
		putf(l, "%llu", (unsigned long long)v);
}

static void put_rlimit(struct line *l, uint64_t addr)
{
	uint64_t r[2];
	if (guest_read(r, addr, sizeof r) < 0) {
		put_ptr(l, addr);
		return;
	}
	put(l, "{rlim_cur=");
	put_rlim_value(l, r[0]);
	put(l, ", rlim_max=");
	put_rlim_value(l, r[1]);
	put(l, "}");
}

/* Random bytes, all in hex as strace shows them. */
static void put_hexbuf(struct line *l, uint64_t addr, uint64_t n)
{
	unsigned char tmp[MAX_STR];
	size_t shown = n < MAX_STR ? (size_t)n : MAX_STR;
	if (guest_read(tmp, addr, shown) < 0) {
		put_ptr(l, addr);
		return;
	}
	put(l, "\"");
	for (size_t i = 0; i < shown; i++)
		putf(l, "\\x%02x", tmp[i]);
	put(l, n > MAX_STR ? "\"..." : "\"");
}

/* A getdents buffer of n bytes: the pointer, and the number of records (d_reclen at 16). */
static void put_dirents(struct line *l, uint64_t addr, long n)
{
	long count = 0;
	for (long off = 0; off + 18 <= n; count++) {
		uint16_t reclen;
		if (guest_read(&reclen, addr + (uint64_t)off + 16, sizeof reclen) < 0 || !reclen)
			break;
		off += reclen;
	}
	put_ptr(l, addr);
	putf(l, " /* %ld entries */", count);
}

static void put_fcntl_arg(struct line *l, const long a[], int i)
{
	switch (a[i - 1]) {
	case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:
		return; /* F_GET*: no argument */
	case 2:
		put(l, ", ");
		put(l, a[i] == 1 ? "FD_CLOEXEC" : a[i] ? "" : "0");
		if (a[i] > 1)
			putf(l, "%#lx", a[i]);
		return;
	case 4:
		put(l, ", ");
		put_flags(l, names_open_flags, (uint64_t)a[i]);
		return;
	case 5: case 6: case 7: case 36: case 37: case 38: case 15: case 16:
		put(l, ", ");
		put_ptr(l, (uint64_t)a[i]);
		return;
	default:
		putf(l, ", %ld", a[i]);
	}
}

static void put_oflags(struct line *l, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	put(l, acc[v & 3]);
	if (v & ~3ull) {
		put(l, "|");
		put_flags(l, names_open_flags, v & ~3ull);
	}
}

static void put_arg(struct line *l, int kind, const long a[], int i, long ret)
{
	uint64_t v = (uint64_t)a[i];
	bool failed = ret < 0 && ret > -4096;
	switch (kind) {
	case K_INT: case K_FD: putf(l, "%d", (int)v); break;
	case K_UINT: putf(l, "%llu", (unsigned long long)v); break;
	case K_LONG: putf(l, "%ld", (long)v); break;
	case K_HEX: v ? putf(l, "%#llx", (unsigned long long)v) : put(l, "0"); break;
	case K_PTR: put_ptr(l, v); break;
	case K_DIRFD: (int)v == AT_FDCWD ? put(l, "AT_FDCWD") : putf(l, "%d", (int)v); break;
	case K_PATH: put_gpath(l, v); break;
	case K_OPATH: failed ? put_ptr(l, v) : put_gpath(l, v); break;
	case K_IBUF: put_gbuf(l, v, (uint64_t)a[i + 1]); break;
	case K_OBUF: failed ? put_ptr(l, v) : put_gbuf(l, v, (uint64_t)ret); break;
	case K_IOV_IN: put_iov(l, v, a[i + 1], -1); break;
	case K_IOV_OUT: failed ? put_ptr(l, v) : put_iov(l, v, a[i + 1], ret); break;
	case K_OFLAGS: put_oflags(l, v); break;
	case K_FDFLAGS: put_flags(l, names_open_flags, v); break;
	case K_MODE: case K_OMODE: putf(l, "%#03llo", (unsigned long long)v); break;
	case K_PROT: v ? put_flags(l, names_prot, v) : put(l, "PROT_NONE"); break;
	case K_MAPFLAGS:
		put_enum(l, names_map_type, (long)(v & 0xf));
		if (v & ~0xfull) {
			put(l, "|");
			put_flags(l, names_map_flags, v & ~0xfull);
		}
		break;
	case K_MREMAP: put_flags(l, names_mremap, v); break;
	case K_MADV: put_enum(l, names_madv, (long)v); break;
	case K_ATFLAGS: put_flags(l, names_at_flags, v); break;
	case K_AMODE: v ? put_flags(l, names_amode, v) : put(l, "F_OK"); break;
	case K_WHENCE: put_enum(l, names_whence, (long)v); break;
	case K_CLOCK: put_enum(l, names_clock, (int)v); break;
	case K_SIG: put_signal(l, (int)v, true); break;
	case K_SIGHOW: put_enum(l, names_sighow, (int)v); break;
	case K_SIGSET: put_sigset(l, v); break;
	case K_OSIGSET: failed ? put_ptr(l, v) : put_sigset(l, v); break;
	case K_SIGACTION: put_sigaction(l, v); break;
	case K_OSIGACTION: failed ? put_ptr(l, v) : put_sigaction(l, v); break;
	case K_STACK: put_stack(l, v); break;
	case K_OSTACK: failed ? put_ptr(l, v) : put_stack(l, v); break;
	case K_UTSNAME: failed ? put_ptr(l, v) : put_utsname(l, v); break;
	case K_FCNTL: put_enum(l, names_fcntl, (int)v); break;
	case K_IOCTL: {
		const char *n = sys_name_of(names_ioctl, v & 0xffffffff);
		n ? put(l, n) : putf(l, "%#llx", (unsigned long long)(v & 0xffffffff));
		break;
	}
	case K_TIMESPEC: put_timespec(l, v); break;
	case K_OTIMESPEC: failed ? put_ptr(l, v) : put_timespec(l, v); break;
	case K_STAT: failed ? put_ptr(l, v) : put_stat(l, v); break;
	case K_FDPAIR: {
		int32_t fds[2];
		if (failed || guest_read(fds, v, sizeof fds) < 0)
			put_ptr(l, v);
		else
			putf(l, "[%d, %d]", fds[0], fds[1]);
		break;
	}
	case K_RLIMIT: put_enum(l, names_rlimit, (int)v); break;
	case K_ORLIMIT: failed || !v ? put_ptr(l, v) : put_rlimit(l, v); break;
	case K_RANDBUF: failed ? put_ptr(l, v) : put_hexbuf(l, v, (uint64_t)ret); break;
	case K_GRND: put_flags(l, names_grnd, v); break;
	case K_PRCTL: put_enum(l, names_prctl, (int)v); break;
	case K_DIRENTS: failed ? put_ptr(l, v) : put_dirents(l, v, ret); break;
	case K_ARCHPRCTL: put_enum(l, names_arch_prctl, (int)v); break;
	default: putf(l, "%#llx", (unsigned long long)v); break;
	}
}

static void put_result(struct line *l, int kind, long ret, const long a[])
{
	if (kind == K_FCNTLRES && ret > 0 && (a[1] == F_GETFD || a[1] == F_GETFL)) {
		putf(l, "%#lx (flags ", ret);
		if (a[1] == F_GETFD)
			put(l, ret == FD_CLOEXEC ? "FD_CLOEXEC" : "?");
		else
			put_oflags(l, (uint64_t)ret);
		put(l, ")");
	} else if (kind == K_NORET) {
		put(l, "?");
	} else if (ret < 0 && ret > -4096) {
		const char *name = sys_errno_name(-ret);
		if (name)
			putf(l, "-1 %s (%s)", name, strerror((int)-ret));
		else
			putf(l, "-1 (errno %ld)", -ret);
	} else if (kind == K_HEX || kind == K_PTR) {
		putf(l, "%#lx", ret);
	} else if (kind == K_MODE) {
		putf(l, "%#03lo", ret);
	} else {
		putf(l, "%ld", ret);
	}
}

void strace_call(long nr, const long a[SYS_MAX_ARGS], long ret)
{
	if (!strace_on())
		return;
	const struct sys_entry *e = &sys_table[nr];
	int saved_errno = errno;
	struct line l = { .n = 0 };
	put(&l, e->name);
	put(&l, "(");
	for (int i = 0; i < SYS_MAX_ARGS && e->args[i] != K_NONE; i++) {
		if (e->args[i] == K_FCNTLARG) {
			put_fcntl_arg(&l, a, i);
			continue;
		}
		if (e->args[i] == K_OMODE && !(a[i - 1] & (O_CREAT | 020000000)))
			continue;
		if (i)
			put(&l, ", ");
		put_arg(&l, e->args[i], a, i, ret);
	}
	put(&l, ") ");
	while (l.n < ALIGN_COLUMN)
		l.buf[l.n++] = ' ';
	put(&l, "= ");
	put_result(&l, e->ret, ret, a);
	put(&l, "\n");
	if (l.buf[l.n - 1] != '\n')
		l.buf[l.n - 1] = '\n';
	strace_write(l.buf, l.n);
	errno = saved_errno;
}
