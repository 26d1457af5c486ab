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

/* AT_MINSIGSTKSZ: the kernel's get_sigframe_size() (arch/x86/kernel/signal.c
 * init_sigframe_size) for the CPU sfdemu reports, which has FXSR and no XSAVE:
 *   sizeof(struct sigframe_ia32) 732 (the larger frame, as kernels with IA32 emulation count)
 *   + MAX_FRAME_PADDING 15
 *   + fpu__get_fpstate_size(): the fxsave area 512 + the 32-bit fsave header 112
 *   + MAX_XSAVE_PADDING 63
 *   = 1434, rounded up to FRAME_ALIGNMENT 16 = 1440. */
#define LINUX_AT_MINSIGSTKSZ 1440

#define LINUX_SIG_DFL 0
#define LINUX_SIG_IGN 1
/* The sa_flags bits the kernel keeps (UAPI_SA_FLAGS on x86-64); it clears the others. */
#define LINUX_SA_NOCLDSTOP 0x00000001u
#define LINUX_SA_NOCLDWAIT 0x00000002u
#define LINUX_SA_SIGINFO   0x00000004u
#define LINUX_SA_EXPOSE_TAGBITS 0x00000800u
#define LINUX_SA_RESTORER  0x04000000u
#define LINUX_SA_ONSTACK   0x08000000u
#define LINUX_SA_RESTART   0x10000000u
#define LINUX_SA_NODEFER   0x40000000u
#define LINUX_SA_RESETHAND 0x80000000u
#define LINUX_SA_UAPI_FLAGS 0xdc000807u

/* stack_t of sigaltstack. */
struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};
_Static_assert(sizeof(struct linux_stack) == 24, "kernel stack_t is 24 bytes");
#define LINUX_SS_ONSTACK    1
#define LINUX_SS_DISABLE    2
#define LINUX_SS_AUTODISARM (1u << 31)
#define LINUX_MINSIGSTKSZ   2048

/* set_robust_list's only accepted length: sizeof(struct robust_list_head). */
#define LINUX_ROBUST_LIST_HEAD_SIZE 24

#endif
