/* Process and thread syscalls that touch emulated state: the thread's TLS bases
 * (arch_prctl), set_tid_address, the robust futex list, rseq. Creating and ending threads and
 * processes (clone, fork, vfork, exit) is clone.c's. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/prctl.h>
#include <linux/sched.h>
#include "sys_impl.h"

#define TASK_SIZE_MAX 0x7ffffffff000ull

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
