/* Guest signals (minimal until the signal core): dispositions, masks, handlers, and dying of a
 * signal. */
#ifndef SFDEMU_SIGNAL_H
#define SFDEMU_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

/* End the process by signo as the host kernel would, so the parent sees the same status.
 * Async-signal-safe. */
_Noreturn void sig_die(int signo);

/* Send signo to the calling guest thread itself (kill/tgkill/tkill of its own pid or tid):
 * it becomes pending; sys_dispatch acts on it at syscall exit unless it is blocked (an
 * ignored one is dropped then). si_code: SI_USER (kill) or SI_TKILL (tkill, tgkill).
 * 0 or -errno. */
long sig_send_self(struct thread *t, int signo, int si_code);

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
