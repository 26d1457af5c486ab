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

/* siginfo_t: 128 bytes, the union at offset 16 (si_pid/si_uid, si_addr, CLD status...). */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct { int32_t pid; uint32_t uid; int32_t status; } kill;  /* and sigchld */
		uint64_t addr;                                               /* sigfault */
		uint8_t bytes[112];
	} u;
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "kernel siginfo is 128 bytes");

/* The signal frame's register block (struct sigcontext, x86-64) and ucontext, as the kernel
 * writes them; glibc's ucontext_t and mcontext_t share this start. */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;          /* the fxsave image's address, or 0 */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "kernel sigcontext is 256 bytes");

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	linux_sigset_t uc_sigmask;
};
_Static_assert(sizeof(struct linux_ucontext) == 304, "kernel ucontext is 304 bytes");
#define LINUX_UC_SIGCONTEXT_SS     0x2
#define LINUX_UC_STRICT_RESTORE_SS 0x4

/* set_robust_list's only accepted length: sizeof(struct robust_list_head). */
#define LINUX_ROBUST_LIST_HEAD_SIZE 24

#endif
