/* File syscalls that cannot simply pass through: the ones whose path may name the running
 * program. On the host /proc/self/exe is sfdemu; for the guest it is the guest binary
 * (the_process.exe_path), so open, stat, access and readlink of /proc/self/exe,
 * /proc/thread-self/exe and /proc/<own pid>[/task/<own tid>]/exe are redirected there.
 * A call that does not follow the final symlink (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, lstat) sees
 * the link itself, as natively. Every other file syscall is a PASS row of syscalls.def. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include "sys_impl.h"

/* Parse a decimal number at *p (no sign, no leading zero), advancing *p; -1 if none. */
static long parse_id(const char **p)
{
	const char *s = *p;
	if (*s < '1' || *s > '9')
		return -1;
	long v = 0;
	while (*s >= '0' && *s <= '9' && v < 1000000000L)
		v = v * 10 + (*s++ - '0');
	*p = s;
	return v;
}

bool path_is_self_exe(const char *path)
{
	if (!the_process.exe_path[0] || strncmp(path, "/proc/", 6) != 0)
		return false;
	const char *p = path + 6;
	if (!strncmp(p, "thread-self/", 12))
		return !strcmp(p + 12, "exe");
	if (!strncmp(p, "self/", 5)) {
		p += 5;
	} else {
		if (parse_id(&p) != (long)getpid() || *p++ != '/')
			return false;
	}
	if (!strncmp(p, "task/", 5)) {
		p += 5;
		if (parse_id(&p) != host_syscall0(SYS_gettid) || *p++ != '/')
			return false;
	}
	return !strcmp(p, "exe");
}

/* A path the guest cannot give (not readable, or no NUL within PATH_MAX bytes) goes to the
 * host as a stand-in that fails the same way (EFAULT: an address the kernel never reads;
 * ENAMETOOLONG: PATH_MAX bytes without a NUL), so that the kernel checks the call's other
 * arguments first and the guest sees the errors in the kernel's order. */
#define UNREADABLE_PATH ((const char *)0xffff800000000000ull)
static const char *too_long_path(void)
{
	static char p[PATH_MAX];
	if (!p[0])
		memset(p, 'x', sizeof p);
	return p;
}

/* The path a host call should use for the guest's path argument: the guest string itself
 * (under -L DIR first: root.c), or the guest binary when it names /proc/self/exe and the call
 * follows the link. A NULL
 * guest pointer stays NULL: the kernel gives it its meaning (EFAULT, or the empty path of
 * AT_EMPTY_PATH on recent kernels). Returns 0 or -errno. */
static long host_path(uint64_t gpath, bool follow, char buf[PATH_MAX], const char **out)
{
	if (gpath == 0) {
		*out = NULL;
		return 0;
	}
	long n = guest_strncpy(buf, gpath, PATH_MAX);
	if (n == -EFAULT || n == -ENAMETOOLONG) {
		*out = n == -EFAULT ? UNREADABLE_PATH : too_long_path();
		return 0;
	}
	if (n < 0)
		return n;
	*out = (follow && path_is_self_exe(buf)) ? the_process.exe_path : sys_root_path(buf);
	return 0;
}

long sys_open(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys_openat(t, AT_FDCWD, a0, a1, a2, 0, 0);
}

long sys_openat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, !(a2 & O_NOFOLLOW), buf, &path);
	if (r < 0)
		return r;
	return host_syscall4(SYS_openat, a0, path, a2, a3);
}

long sys_openat2(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct open_how how;
	bool follow = true;
	if ((size_t)a3 >= sizeof how && a2 && guest_read(&how, (uint64_t)a2, sizeof how) == 0)
		follow = !(how.flags & O_NOFOLLOW) &&
			 !(how.resolve & (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS));
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, follow, buf, &path);
	if (r < 0)
		return r;
	return host_syscall4(SYS_openat2, a0, path, a2, a3);
}

long sys_stat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys_newfstatat(t, AT_FDCWD, a0, a1, 0, 0, 0);
}

long sys_newfstatat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, !(a3 & AT_SYMLINK_NOFOLLOW), buf, &path);
	if (r < 0)
		return r;
	return host_syscall4(SYS_newfstatat, a0, path, a2, a3);
}

long sys_statx(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, !(a2 & AT_SYMLINK_NOFOLLOW), buf, &path);
	if (r < 0)
		return r;
	return host_syscall(SYS_statx, a0, (long)path, a2, a3, a4, 0);
}

long sys_access(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys_faccessat(t, AT_FDCWD, a0, a1, 0, 0, 0);
}

long sys_faccessat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, true, buf, &path);
	if (r < 0)
		return r;
	return host_syscall3(SYS_faccessat, a0, path, a2);
}

long sys_faccessat2(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, !(a3 & AT_SYMLINK_NOFOLLOW), buf, &path);
	if (r < 0)
		return r;
	return host_syscall4(SYS_faccessat2, a0, path, a2, a3);
}

/* readlink of the running program: the guest's path, cut at bufsiz with no NUL, as the
 * kernel's readlink_copy does. */
long sys_readlinkat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	int bufsiz = (int)a3;
	if (bufsiz <= 0)
		return -EINVAL;
	char buf[PATH_MAX];
	const char *path;
	long r = host_path((uint64_t)a1, false, buf, &path);
	if (r < 0)
		return r;
	if (path == buf && path_is_self_exe(path)) {
		size_t len = strlen(the_process.exe_path);
		if (len > (size_t)bufsiz)
			len = (size_t)bufsiz;
		r = guest_write((uint64_t)a2, the_process.exe_path, len);
		return r < 0 ? r : (long)len;
	}
	return host_syscall4(SYS_readlinkat, a0, path, a2, a3);
}

long sys_readlink(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys_readlinkat(t, AT_FDCWD, a0, a1, a2, 0, 0);
}
