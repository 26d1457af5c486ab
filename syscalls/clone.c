/* Creating and ending threads and processes: clone, clone3, fork, vfork, exit, exit_group.
 *
 * What each kind of clone becomes on the host:
 *   - a thread (CLONE_VM|CLONE_THREAD, what pthread_create asks): a new host thread running
 *     the emulator on a copy of the caller's CPU (emu/thread.c); the host tid is the guest's.
 *   - a process (no CLONE_VM: fork, and clone as libc's fork uses it): a host fork. The child
 *     holds only the forking thread, with the same guest memory at the same addresses.
 *   - a vfork child (CLONE_VM|CLONE_VFORK: vfork, posix_spawn): a host
 *     clone(CLONE_VM|CLONE_VFORK) that runs the emulator on a stack of its own. The child
 *     shares the parent's memory, as the guest asked, so whatever it writes before its exec
 *     or exit is seen by the parent: posix_spawn reports a failed exec through that memory.
 *     The calling host thread sleeps until the child has exec'd or exited, as the guest's
 *     would; sfdemu's thread-local state (the child runs on the parent thread's) is idle
 *     meanwhile. The child's sigactions live in the shared emulator state, so the parent's
 *     are put back when it resumes (the kernel gives such a child a copy of them).
 *   - CLONE_VM without CLONE_THREAD or CLONE_VFORK (a process sharing memory that runs
 *     alongside its parent) is not supported: -ENOSYS and a notice.
 *
 * exit ends the calling thread only (the process when it is the last); exit_group ends them
 * all, which the host's exit_group does.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/sched.h>
#include "signal.h"
#include "syscall.h"
#include "sys_impl.h"
#include "../emu/host_alloc.h"
#include "../emu/run.h"
#include "../emu/thread.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ull
#endif

#define VFORK_HOST_STACK (1u << 20)
#define CLONE_ARGS_SIZE_VER0 64

/* Flags with no effect here: the host thread or process has them anyway (FS, FILES, SIGHAND,
 * SYSVSEM, IO for a thread), or they only concern tracers. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
		      CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_IO | CLONE_PTRACE | \
		      CLONE_UNTRACED)
#define PROCESS_FLAGS (CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		       CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PIDFD | CLONE_IO | \
		       CLONE_PTRACE | CLONE_UNTRACED | CLONE_CLEAR_SIGHAND)

struct clone_req {
	uint64_t flags;        /* without the exit signal */
	int exit_signal;
	uint64_t stack;        /* the child's rsp; 0: the caller's */
	uint64_t ptid, ctid, tls;
	uint64_t pidfd;        /* CLONE_PIDFD: where the pidfd goes */
};

static _Noreturn void exit_process(long status)
{
	if (strace_on()) {
		char msg[64];
		int n = snprintf(msg, sizeof msg, "+++ exited with %d +++\n", (int)(status & 0xff));
		strace_write(msg, (size_t)n);
	}
	for (;;)
		host_syscall1(SYS_exit_group, status);
}

long sys_exit(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	exit_process(thread_exit(t, (int)a0 & 0xff));
}

long sys_exit_group(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	exit_process(a0);
}

/* The kernel writes the new tid for CLONE_PARENT_SETTID and CLONE_CHILD_SETTID before the
 * child runs, ignoring a bad address. */
static void write_tids(const struct clone_req *r, int tid)
{
	int32_t v = tid;
	if (r->flags & CLONE_PARENT_SETTID)
		guest_write(r->ptid, &v, sizeof v);
	if (r->flags & CLONE_CHILD_SETTID)
		guest_write(r->ctid, &v, sizeof v);
}

/* The child's registers: the caller's, returning 0, on its own stack and TLS if given. */
static void child_cpu(struct thread *c, const struct clone_req *r)
{
	c->cpu.r[R_RAX] = 0;
	if (r->stack)
		c->cpu.r[R_RSP] = r->stack;
	if (r->flags & CLONE_SETTLS)
		c->cpu.segbase[SEG_FS] = r->tls;
	if (r->flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->ctid;
}

/* CLONE_CLEAR_SIGHAND: the child's handled signals go back to their default action. */
static void clear_sighand(const struct clone_req *r)
{
	if (!(r->flags & CLONE_CLEAR_SIGHAND))
		return;
	for (int sig = 1; sig <= LINUX_NSIG; sig++)
		if (the_process.sigactions[sig].handler > LINUX_SIG_IGN)
			the_process.sigactions[sig] = (struct linux_sigaction){ .handler = LINUX_SIG_DFL };
}

/* ---- threads ---- */

static void thread_started(struct thread *c, void *arg)
{
	write_tids(arg, c->tid);
}

static long clone_thread(struct thread *t, const struct clone_req *r)
{
	if (r->flags & ~(uint64_t)THREAD_FLAGS) {
		strace_notice("clone of a thread with flags 0x%llx is not supported (-ENOSYS)",
			      (unsigned long long)r->flags);
		return -ENOSYS;
	}
	struct thread *c = thread_clone(t);
	if (!c)
		return -ENOMEM;
	child_cpu(c, r);
	thread_register(c);
	long tid = thread_spawn(c, thread_started, (void *)r);
	sig_host_thread_created();
	return tid;
}

/* ---- processes ---- */

static long pidfd_for(const struct clone_req *r, long pid)
{
	if (!(r->flags & CLONE_PIDFD))
		return 0;
	int32_t fd = (int32_t)host_syscall2(SYS_pidfd_open, pid, 0);   /* close-on-exec */
	return guest_write(r->pidfd, &fd, sizeof fd);
}

static long clone_fork(struct thread *t, const struct clone_req *r)
{
	thread_fork_prepare();
	long pid;
	if (r->exit_signal == SIGCHLD) {
		pid = fork();
		if (pid < 0)
			pid = -errno;
	} else {
		pid = host_syscall(SYS_clone, r->exit_signal, 0, 0, 0, 0, 0);
	}
	if (pid != 0) {
		thread_fork_parent();
		if (pid < 0)
			return pid;
		if (r->flags & CLONE_PARENT_SETTID) {
			int32_t v = (int32_t)pid;
			guest_write(r->ptid, &v, sizeof v);
		}
		pidfd_for(r, pid);
		return pid;
	}
	thread_fork_child(t);
	child_cpu(t, r);
	clear_sighand(r);
	if (r->flags & CLONE_CHILD_SETTID) {
		int32_t v = t->tid;
		guest_write(r->ctid, &v, sizeof v);
	}
	if (r->flags & CLONE_CHILD_CLEARTID)
		host_syscall1(SYS_set_tid_address, r->ctid);
	return 0;
}

struct vfork_start {
	struct thread *child;
	const struct clone_req *req;
};

/* The vfork child, on its own host stack in the parent's memory, with the parent thread's
 * thread-local state. It ends by exec or exit, never by returning. */
static int vfork_child_main(void *arg)
{
	struct vfork_start *vs = arg;
	struct thread *c = vs->child;
	current = c;
	c->tid = (int)host_syscall0(SYS_gettid);
	write_tids(vs->req, c->tid);
	clear_sighand(vs->req);
	run_thread(c);
}

static bool attempt_vfork_stack(void *arg)
{
	void **stack = arg;
	*stack = mmap(NULL, VFORK_HOST_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	return *stack != MAP_FAILED;
}

static long clone_vfork(struct thread *t, const struct clone_req *r)
{
	struct thread *c = thread_clone(t);
	if (!c)
		return -ENOMEM;
	void *stack;
	if (!ha_own_map(attempt_vfork_stack, &stack, VFORK_HOST_STACK)) {
		free(c);
		return -ENOMEM;
	}
	struct linux_sigaction *saved = ha_malloc(sizeof the_process.sigactions);
	memcpy(saved, the_process.sigactions, sizeof the_process.sigactions);
	child_cpu(c, r);
	c->vfork_child = true;
	c->sigaltstack = t->sigaltstack;   /* CLONE_VFORK keeps it */
	thread_register(c);
	struct vfork_start vs = { .child = c, .req = r };
	long pid = clone(vfork_child_main, (char *)stack + VFORK_HOST_STACK,
			 CLONE_VM | CLONE_VFORK | r->exit_signal, &vs);
	if (pid < 0)
		pid = -errno;
	/* Back from the child's exec or exit: its state goes, ours comes back. */
	current = t;
	thread_unregister(c);
	free(c);
	munmap(stack, VFORK_HOST_STACK);
	if (memcmp(saved, the_process.sigactions, sizeof the_process.sigactions) != 0)
		memcpy(the_process.sigactions, saved, sizeof the_process.sigactions);
	free(saved);
	if (pid > 0)
		pidfd_for(r, pid);
	return pid;
}

/* kernel/fork.c copy_process()'s checks, then the kind of child. */
static long do_clone(struct thread *t, const struct clone_req *r)
{
	uint64_t f = r->flags;
	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND)) ||
	    ((f & CLONE_SIGHAND) && !(f & CLONE_VM)) ||
	    ((f & CLONE_PIDFD) && (f & CLONE_THREAD)))
		return -EINVAL;
	strace_new_tracee();
	if (f & CLONE_THREAD)
		return clone_thread(t, r);
	if ((f & ~(uint64_t)PROCESS_FLAGS) || ((f & CLONE_VM) && !(f & CLONE_VFORK))) {
		strace_notice("clone with flags 0x%llx is not supported (-ENOSYS)",
			      (unsigned long long)f);
		return -ENOSYS;
	}
	if (f & CLONE_VM)
		return clone_vfork(t, r);
	return clone_fork(t, r);
}

long sys_clone(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct clone_req r = {
		.flags = (uint64_t)a0 & ~(uint64_t)CSIGNAL, .exit_signal = (int)(a0 & CSIGNAL),
		.stack = (uint64_t)a1, .ptid = (uint64_t)a2, .ctid = (uint64_t)a3,
		.tls = (uint64_t)a4, .pidfd = (uint64_t)a2,
	};
	/* The legacy call has one pointer for both. */
	if ((r.flags & CLONE_PIDFD) && (r.flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	return do_clone(t, &r);
}

/* kernel/fork.c copy_clone_args_from_user() and clone3_args_valid(). */
long sys_clone3(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct linux_clone_args {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
			 tls, set_tid, set_tid_size, cgroup;
	} ca;
	uint64_t size = (uint64_t)a1;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	memset(&ca, 0, sizeof ca);
	if (guest_read(&ca, (uint64_t)a0, size < sizeof ca ? size : sizeof ca) < 0)
		return -EFAULT;
	for (uint64_t off = sizeof ca; off < size; off++) {
		uint8_t b;
		if (guest_read(&b, (uint64_t)a0 + off, 1) < 0)
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	uint64_t legacy = 0xffffffffull & ~(uint64_t)CSIGNAL;
	if ((ca.flags & ~(legacy | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) ||
	    (ca.flags & CLONE_DETACHED) ||
	    (ca.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) ==
		    (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND) ||
	    ((ca.flags & (CLONE_THREAD | CLONE_PARENT)) && ca.exit_signal) ||
	    (ca.exit_signal & ~(uint64_t)CSIGNAL) ||
	    (!ca.stack && ca.stack_size) || (ca.stack && !ca.stack_size))
		return -EINVAL;
	if (ca.set_tid || ca.set_tid_size || (ca.flags & CLONE_INTO_CGROUP)) {
		strace_notice("clone3 with set_tid or a cgroup is not supported (-ENOSYS)");
		return -ENOSYS;
	}
	struct clone_req r = {
		.flags = ca.flags, .exit_signal = (int)ca.exit_signal,
		.stack = ca.stack ? ca.stack + ca.stack_size : 0,
		.ptid = ca.parent_tid, .ctid = ca.child_tid, .tls = ca.tls, .pidfd = ca.pidfd,
	};
	return do_clone(t, &r);
}

long sys_fork(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct clone_req r = { .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}

long sys_vfork(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}
