/* What the hardening guests (tests/hostile, tests/exhaust) share: raw syscalls that bypass
 * libc (so a hostile argument reaches the kernel, or sfdemu, exactly as given, and errno is
 * the call's own), and errno names for printing. Header-only: each guest is one file. */
#ifndef SFDEMU_TESTS_HGUEST_H
#define SFDEMU_TESTS_HGUEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

static inline long hg_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The name of an errno value (the ones a syscall with bad arguments gives), or its number. */
static inline const char *hg_errname(long e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" }, { ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EMLINK, "EMLINK" }, { EPIPE, "EPIPE" },
		{ EDOM, "EDOM" }, { ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOLCK, "ENOLCK" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { ENOMSG, "ENOMSG" },
		{ EIDRM, "EIDRM" }, { ENODATA, "ENODATA" }, { ETIME, "ETIME" },
		{ EOVERFLOW, "EOVERFLOW" }, { EBADFD, "EBADFD" }, { EILSEQ, "EILSEQ" },
		{ ENOTSOCK, "ENOTSOCK" }, { EDESTADDRREQ, "EDESTADDRREQ" },
		{ EMSGSIZE, "EMSGSIZE" }, { EPROTOTYPE, "EPROTOTYPE" },
		{ ENOPROTOOPT, "ENOPROTOOPT" }, { EPROTONOSUPPORT, "EPROTONOSUPPORT" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EADDRINUSE, "EADDRINUSE" }, { ENOTCONN, "ENOTCONN" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ECANCELED, "ECANCELED" }, { ENOKEY, "ENOKEY" }, { EKEYREJECTED, "EKEYREJECTED" },
		{ ENOTSUP, "ENOTSUP" }, { ENOTBLK, "ENOTBLK" }, { ETXTBSY, "ETXTBSY" },
		{ ENOSTR, "ENOSTR" }, { EBADMSG, "EBADMSG" }, { ENOLINK, "ENOLINK" },
		{ EUSERS, "EUSERS" }, { ESTALE, "ESTALE" }, { EDQUOT, "EDQUOT" },
		{ EMEDIUMTYPE, "EMEDIUMTYPE" }, { EOWNERDEAD, "EOWNERDEAD" },
		{ ERFKILL, "ERFKILL" }, { EHWPOISON, "EHWPOISON" }, { EBADE, "EBADE" },
		{ EBADR, "EBADR" }, { EBADRQC, "EBADRQC" }, { ENOPKG, "ENOPKG" },
		{ EREMOTEIO, "EREMOTEIO" }, { EALREADY, "EALREADY" }, { EISCONN, "EISCONN" },
		{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
		{ 516, "ERESTART_RESTARTBLOCK" }, { 524, "ENOTSUPP" },
	};
	static char buf[32];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof buf, "errno %ld", e);
	return buf;
}

/* "ok", the value, or the errno name of a raw syscall result. */
static inline const char *hg_result(long ret, int show_value)
{
	static char buf[32];
	if (ret < 0 && ret > -4096)
		return hg_errname(-ret);
	if (!show_value)
		return "ok";
	snprintf(buf, sizeof buf, "%ld", ret);
	return buf;
}

/* The number a line of /proc/self/status starts with ("VmSize", "SigQ", ...); 0 if it cannot
 * be read. Read without stdio: a FILE from malloc could come from the break (musl's malloc
 * grows it), which some tests move back and forth, or from an address space a test has used
 * up. */
static inline unsigned long hg_status_number(const char *key)
{
	static char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	size_t k = strlen(key);
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, key, k) && line[k] == ':')
			return strtoul(line + k + 1, NULL, 10);
	return 0;
}

/* A size line of /proc/self/status ("VmSize", "VmData", ...), in bytes. */
static inline unsigned long hg_status_bytes(const char *key)
{
	return hg_status_number(key) * 1024;
}

/* Lower resource's soft limit to what the process uses now (the /proc/self/status line key:
 * sfdemu's own memory counts there too, so the room left is the same natively and under
 * sfdemu) plus margin bytes; the limits before in *old. 0, or -errno of setrlimit. */
static inline long hg_limit_above_use(int resource, const char *key, unsigned long margin,
				      struct rlimit *old)
{
	getrlimit(resource, old);
	struct rlimit rl = { hg_status_bytes(key) + margin, old->rlim_max };
	return setrlimit(resource, &rl) ? -errno : 0;
}

#endif
