/* Guest signals (minimal until the signal core): dispositions, masks, and dying of a signal. */
#ifndef SFDEMU_SIGNAL_H
#define SFDEMU_SIGNAL_H

/* End the process by signo as the host kernel would, so the parent sees the same status. */
_Noreturn void sig_die(int signo);

#endif
