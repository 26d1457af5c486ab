/* Process and thread syscalls that touch emulated state: exit, the thread's TLS bases
 * (arch_prctl), set_tid_address, the robust futex list, rseq, and fork.
 * One guest thread per process for now: exit and exit_group both end the process.
 * fork is a host fork: the child is a copy of sfdemu with the same guest memory at the same
 * addresses, returning 0 from the guest's syscall. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/prctl.h>
#include <linux/sched.h>
#include "sys_impl.h"

#define TASK_SIZE_MAX 0x7ffffffff000ull

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
	exit_process(a0);
}

long sys_exit_group(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	exit_process(a0);
}

long sys_arch_prctl(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t *base;
	switch (a0) {
	case ARCH_SET_FS:
	case ARCH_GET_FS:
		base = &t->cpu.segbase[SEG_FS];
		break;
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		base = &t->cpu.segbase[SEG_GS];
		break;
	case ARCH_GET_CPUID:
		return 1; /* cpuid is never made to fault */
	default:
		return -EINVAL;
	}
	if (a0 == ARCH_GET_FS || a0 == ARCH_GET_GS)
		return guest_write((uint64_t)a1, base, sizeof *base);
	if ((uint64_t)a1 >= TASK_SIZE_MAX)
		return -EPERM;
	*base = (uint64_t)a1;
	return 0;
}

long sys_set_tid_address(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	t->clear_child_tid = (uint64_t)a0;
	return host_syscall0(SYS_gettid);
}

/* The kernel only records the list head; it walks it when the thread dies. sfdemu's own libc
 * has registered its list for the host thread, so the guest's is kept here. */
long sys_set_robust_list(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if ((uint64_t)a1 != LINUX_ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	t->robust_list = (uint64_t)a0;
	return 0;
}

long sys_get_robust_list(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if (a0 != 0 && a0 != host_syscall0(SYS_gettid))
		return host_syscall3(SYS_get_robust_list, a0, a1, a2);
	uint64_t len = LINUX_ROBUST_LIST_HEAD_SIZE;
	if (guest_write((uint64_t)a2, &len, sizeof len) < 0)
		return -EFAULT;
	return guest_write((uint64_t)a1, &t->robust_list, sizeof t->robust_list);
}

/* Not registered: sfdemu's own libc already registered an rseq area for the host thread, and
 * the guest's libc runs without one when the kernel says ENOSYS. */
long sys_rseq(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return -ENOSYS;
}

static long do_fork(void)
{
	pid_t pid = fork();
	return pid < 0 ? -errno : pid;
}

long sys_fork(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return do_fork();
}

/* vfork as fork: the child gets a copy of the memory instead of borrowing the parent's, and
 * the parent does not wait for the child's exec or exit. */
long sys_vfork(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return do_fork();
}

/* clone for a new process (what libc's fork does): no shared memory, no new stack. Threads
 * and CLONE_VM children are not supported yet. */
long sys_clone(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t flags = (uint64_t)a0;
	const uint64_t ok = CSIGNAL | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	if ((flags & ~ok) || a1 != 0 || (flags & CSIGNAL) != SIGCHLD) {
		strace_notice("clone with flags 0x%llx is not supported yet (-ENOSYS)",
			      (unsigned long long)flags);
		return -ENOSYS;
	}
	long pid = do_fork();
	if (pid < 0)
		return pid;
	if (pid > 0) {
		if (flags & CLONE_PARENT_SETTID) {
			int32_t v = (int32_t)pid;
			guest_write((uint64_t)a2, &v, sizeof v);
		}
		return pid;
	}
	int32_t tid = (int32_t)host_syscall0(SYS_gettid);
	if (flags & CLONE_CHILD_SETTID)
		guest_write((uint64_t)a3, &tid, sizeof tid);
	if (flags & CLONE_CHILD_CLEARTID) {
		t->clear_child_tid = (uint64_t)a3;
		host_syscall1(SYS_set_tid_address, a3);
	}
	return 0;
}
