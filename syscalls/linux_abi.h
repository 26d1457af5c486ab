/* Guest ABI types: the x86-64 kernel's own layouts, never the host libc's. A kernel sigset
 * is 8 bytes; glibc's sigset_t (128 bytes) never goes into a guest buffer. */
#ifndef SFDEMU_LINUX_ABI_H
#define SFDEMU_LINUX_ABI_H

#include <stdint.h>

#define LINUX_NSIG 64

typedef uint64_t linux_sigset_t;
_Static_assert(sizeof(linux_sigset_t) == 8, "kernel sigset is 8 bytes");

struct linux_sigaction {
	uint64_t handler;   /* SIG_DFL 0, SIG_IGN 1, or a guest address */
	uint64_t flags;     /* SA_* */
	uint64_t restorer;
	linux_sigset_t mask;
};
_Static_assert(sizeof(struct linux_sigaction) == 32, "kernel struct sigaction is 32 bytes");

#endif
