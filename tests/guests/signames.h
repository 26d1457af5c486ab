/* Names of the signals and si_codes the signal tests print (the same on every libc, where
 * strsignal's texts differ). */
#ifndef SIGNAMES_H
#define SIGNAMES_H

#include <signal.h>
#include <stdio.h>

static inline const char *signame(int sig)
{
	static char buf[32];
	switch (sig) {
	case SIGUSR1: return "SIGUSR1";
	case SIGUSR2: return "SIGUSR2";
	case SIGALRM: return "SIGALRM";
	default:
		snprintf(buf, sizeof buf, "SIGRTMIN+%d", sig - SIGRTMIN);
		return buf;
	}
}

static inline const char *codename(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	case SI_KERNEL: return "SI_KERNEL";
	default: return "other";
	}
}

#endif
