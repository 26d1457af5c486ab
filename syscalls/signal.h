/* Guest signals (minimal until the signal core): dispositions, masks, and dying of a signal. */
#ifndef SFDEMU_SIGNAL_H
#define SFDEMU_SIGNAL_H

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
 * syscall exit, as the kernel does on the way back to user mode). */
void sig_deliver_pending(struct thread *t);

#endif
