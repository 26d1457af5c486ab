/* Guest signals: dispositions, masks, handlers and dying of a signal (signal.c); pending
 * signals, senders and waits (sigsend.c, on the queues of sigqueue.c). */
#ifndef SFDEMU_SIGNAL_H
#define SFDEMU_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "../emu/process.h"

#define SIGBIT(s) (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(9) | SIGBIT(19))       /* SIGKILL, SIGSTOP */
/* The signals sfdemu keeps on the host for its guest fault handling (emu/fault.c):
 * SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP; every other one is mirrored. */
#define HOST_OWN (SIGBIT(11) | SIGBIT(7) | SIGBIT(8) | SIGBIT(4) | SIGBIT(5) | UNBLOCKABLE)
#define MIRRORED (~HOST_OWN)
#define STOP_SIGS (SIGBIT(19) | SIGBIT(20) | SIGBIT(21) | SIGBIT(22))
#define KERNEL_IGNORE (SIGBIT(18) | SIGBIT(17) | SIGBIT(28) | SIGBIT(23)) /* CONT CHLD WINCH URG */

/* Signals pending for t (its own or the process's) that its mask lets through. A vfork
 * child shares its parent's memory but not its process-wide signals. */
static inline uint64_t sig_pending_unblocked(const struct thread *t)
{
	uint64_t p = __atomic_load_n(&t->pending.bits, __ATOMIC_SEQ_CST);
	if (!t->vfork_child)
		p |= __atomic_load_n(&the_process.shared_pending.bits, __ATOMIC_SEQ_CST);
	return p & ~t->sigmask;
}

/* End the process by signo as the host kernel would, so the parent sees the same status.
 * Async-signal-safe. */
_Noreturn void sig_die(int signo);

/* ---- sigsend.c ---- */
/* The pending sets' lock: a spin lock also taken by the host handler of guest handlers
 * (which, meeting it held by its own thread, leaves the signal to sig_unlock). Nests inside
 * the process's threads_lock. */
void sig_lock(void);
void sig_unlock(void);
/* Take the next signal of allow pending for t, its own first, then the process's. The
 * signal's number (its siginfo in *info), or 0. */
int sig_dequeue(struct thread *t, uint64_t allow, struct linux_siginfo *info);
/* In the host handler of a guest handler: the host signal (siginfo_t) pending for t, unless
 * it is only sfdemu waking t up. host_uc: the handler's ucontext_t. */
void sig_queue_from_host(struct thread *t, int signo, const void *host_siginfo, void *host_uc);
/* Drop sigs from every pending set of the process (SIG_IGN set, STOP/CONT rules). */
void sig_flush_all(uint64_t sigs);
/* A fork child's pending sets start empty; a thread's go with it. */
void sig_fork_child(struct thread *self);
void sig_thread_free(struct thread *t);

/* ---- signal.c ---- */
/* The disposition drops the signal at generation (SIG_IGN, or SIG_DFL of a default-ignore
 * signal). */
bool sig_ignored(int signo);
/* Set the host mask of the calling thread (the mirrored signals of mask). */
void sig_host_setmask(uint64_t mask);

/* Act on the thread's pending signals that its mask no longer blocks, lowest first (at
 * syscall exit and block boundaries, as the kernel does on the way back to user mode): the
 * default action, or the guest's handler (each handler's frame on top of the last). */
void sig_deliver_pending(struct thread *t);
/* The thread's guest fault (cpu->fault): to the guest's handler, or death by the signal. */
void sig_deliver_fault(struct thread *t);
/* After the first host thread is created: the guest's dispositions of the signals the host
 * libc takes for itself then (32, 33) are set again. */
void sig_host_thread_created(void);
/* Set the thread's blocked mask (SIGKILL and SIGSTOP dropped), and the host's to match. */
void sig_set_mask(struct thread *t, uint64_t mask);

struct linux_siginfo;
struct linux_sigaction;
/* sigframe.c: make the thread run ka's handler for sig: the rt_sigframe (siginfo, ucontext
 * with the registers and saved_mask, fxsave image) on its stack or sigaltstack, registers
 * set for the handler. fault: the signal is the thread's own fault (trapno, cr2). False
 * when the frame cannot be written: the kernel then forces SIGSEGV. */
bool sig_setup_frame(struct thread *t, int sig, const struct linux_siginfo *info,
		     const struct linux_sigaction *ka, uint64_t saved_mask, bool fault);

#endif
