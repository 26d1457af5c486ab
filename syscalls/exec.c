/* execve and execveat: the new program runs under a new sfdemu (exec.h), so the process tree
 * stays emulated. Everything the guest's execve can fail with is found out first, while this
 * process image still exists: the strings are copied (EFAULT, E2BIG), the file and its #!
 * chain are checked as the kernel would (binfmt.c). Then the host execve replaces sfdemu by
 * sfdemu; if that fails (E2BIG for the host's larger vector, ENOMEM), the guest gets the
 * error and goes on. The host execve does what Linux does to the rest: other threads end,
 * close-on-exec fds close, caught signals go back to their default action.
 *
 * The new sfdemu gets the options that change what the guest sees (--strace, -L), the
 * guest's argv[0] apart (-0), the state channel (--exec-state), and the guest's environment
 * exactly as the guest gave it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "exec.h"
#include "sys_impl.h"
#include "../emu/host_alloc.h"

#define MAX_ARG_STRLEN (32 * 4096)   /* the kernel's limit on one string */
#define MAX_ARG_STRINGS 0x7fffffff

static char self_exe[PATH_MAX];

void exec_init(void)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	self_exe[n > 0 ? n : 0] = '\0';
}

/* Append the strings of a guest vector (NULL-terminated array of pointers; NULL is empty). */
static long copy_vector(uint64_t gv, struct exec_image *out)
{
	static _Thread_local char small[PATH_MAX];
	for (uint64_t i = 0; gv; i++) {
		uint64_t p;
		if (guest_read(&p, gv + 8 * i, sizeof p) < 0)
			return -EFAULT;
		if (!p)
			break;
		if (i >= MAX_ARG_STRINGS)
			return -E2BIG;
		long n = guest_strncpy(small, p, sizeof small);
		const char *s = small;
		char *big = NULL;
		if (n == -ENAMETOOLONG) {
			if (!(big = malloc(MAX_ARG_STRLEN)))
				return -ENOMEM;
			n = guest_strncpy(big, p, MAX_ARG_STRLEN);
			s = big;
		}
		if (n >= 0)
			n = exec_image_push(out, s);
		free(big);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return n;
	}
	return 0;
}

/* The host's execve of sfdemu on img. Returns only on failure, with -errno. */
static long reexec(struct thread *t, const struct exec_image *img, char **envp, int carry_fd,
		   long nr, const long a[SYS_MAX_ARGS])
{
	char **hv = calloc((size_t)img->argc + 12, sizeof *hv);
	char fdstr[16];
	int sfd = exec_state_save(t, carry_fd);
	if (!hv || sfd < 0) {
		free(hv);
		return sfd < 0 ? sfd : -ENOMEM;
	}
	snprintf(fdstr, sizeof fdstr, "%d", sfd);
	int n = 0;
	hv[n++] = self_exe[0] ? self_exe : "sfdemu";
	if (the_process.opt.strace)
		hv[n++] = "--strace";
	if (the_process.opt.no_thunks)
		hv[n++] = "--no-thunks";
	if (the_process.opt.root) {
		hv[n++] = "-L";
		hv[n++] = (char *)the_process.opt.root;
	}
	hv[n++] = "-0";
	hv[n++] = img->argc ? img->argv[0] : "";
	hv[n++] = "--exec-state";
	hv[n++] = fdstr;
	hv[n++] = "--";
	hv[n++] = img->path;
	for (int i = 1; i < img->argc; i++)
		hv[n++] = img->argv[i];
	hv[n] = NULL;
	if (strace_on())
		strace_call(nr, a, 0);
	/* /proc/self/exe is sfdemu's own file even when it has been replaced or removed since;
	 * the path seen at start is for a machine without /proc. */
	unsigned long limit_off = ha_exec_begin();
	long r = host_syscall3(SYS_execve, "/proc/self/exe", hv, envp);
	if (r == -ENOENT && self_exe[0])
		r = host_syscall3(SYS_execve, self_exe, hv, envp);
	ha_exec_failed(limit_off);
	close(sfd);
	free(hv);
	return r;
}

/* Whether fd is open with close-on-exec (a script read through /dev/fd/N would not be). */
static bool cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);
	return fl >= 0 && (fl & FD_CLOEXEC);
}

/* The host path to open for the program and the name the kernel gives it (what a script's
 * interpreter gets as argv), checking AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW. 0 or -errno. */
static long exec_paths(int dirfd, const char *path, int flags, char *host, char *name,
		       size_t size)
{
	bool via_fd = dirfd != AT_FDCWD && path[0] != '/';
	if (!path[0] && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (via_fd) {
		/* The kernel names such a program /dev/fd/N[/path]; the host opens it through
		 * /proc, which follows the fd the same way. */
		snprintf(host, size, "/proc/self/fd/%d%s%s", dirfd, path[0] ? "/" : "", path);
		snprintf(name, size, "/dev/fd/%d%s%s", dirfd, path[0] ? "/" : "", path);
	} else {
		snprintf(host, size, "%s", path_is_self_exe(path) ? the_process.exe_path
				    : sys_root_path(path));
		snprintf(name, size, "%s", path);
	}
	char link[8];
	if ((flags & AT_SYMLINK_NOFOLLOW) && !(via_fd && !path[0]) &&
	    readlink(host, link, sizeof link) >= 0)
		return -ELOOP;
	return 0;
}

/* A program named through an fd (fexecve, execveat with a directory fd): the new sfdemu
 * loads it through a duplicate that survives exec, and closes that once loaded. A script
 * read that way needs its fd after exec: ENOENT if it is close-on-exec, as the kernel says.
 * Sets *carry to the duplicate (or -1); 0 or -errno. */
static long exec_via_fd(int dirfd, const char *path, const char *host, struct exec_image *img,
			int *carry)
{
	if (strcmp(img->path, host) != 0)
		return cloexec(dirfd) ? -ENOENT : 0;
	if ((*carry = exec_dup_high(dirfd)) < 0)
		return *carry;
	free(img->path);
	if (asprintf(&img->path, "/proc/self/fd/%d%s%s", *carry, path[0] ? "/" : "", path) < 0) {
		img->path = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* execveat(dirfd, path, argv, envp, flags); execve is execveat(AT_FDCWD, path, ..., 0). */
static long do_exec(struct thread *t, int dirfd, uint64_t gpath, uint64_t gargv, uint64_t genvp,
		    int flags, long nr, const long a[SYS_MAX_ARGS])
{
	char path[PATH_MAX], host[PATH_MAX + 32], name[PATH_MAX + 32];
	struct exec_image img = { 0 }, env = { 0 };
	int carry = -1;
	long r = guest_strncpy(path, gpath, sizeof path);
	/* The kernel copies the path before it looks at the flags (getname, then
	 * do_open_execat). */
	if (r >= 0 && (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)))
		r = -EINVAL;
	if (r >= 0)
		r = copy_vector(gargv, &img);
	if (r >= 0)
		r = copy_vector(genvp, &env);
	/* Linux gives a program started with no arguments an empty argv[0]. */
	if (r >= 0 && img.argc == 0)
		r = exec_image_push(&img, "");
	if (r >= 0)
		r = exec_paths(dirfd, path, flags, host, name, sizeof host);
	if (r >= 0)
		r = exec_resolve(host, name, &img);
	if (r >= 0 && dirfd != AT_FDCWD && path[0] != '/')
		r = exec_via_fd(dirfd, path, host, &img, &carry);
	if (r >= 0)
		r = reexec(t, &img, env.argv ? env.argv : (char *[]){ NULL }, carry, nr, a);
	if (carry >= 0)
		close(carry);
	exec_image_free(&img);
	exec_image_free(&env);
	return r;
}

long sys_execve(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long a[SYS_MAX_ARGS] = { a0, a1, a2, a3, a4, a5 };
	return do_exec(t, AT_FDCWD, (uint64_t)a0, (uint64_t)a1, (uint64_t)a2, 0, 59, a);
}

long sys_execveat(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long a[SYS_MAX_ARGS] = { a0, a1, a2, a3, a4, a5 };
	return do_exec(t, (int)a0, (uint64_t)a1, (uint64_t)a2, (uint64_t)a3, (int)a4, 322, a);
}
