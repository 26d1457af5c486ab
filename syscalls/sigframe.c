/* Running a guest signal handler, as arch/x86/kernel/signal.c does it for a 64-bit task,
 * and rt_sigreturn, which undoes it.
 *
 * The frame goes below the interrupted stack pointer and its 128-byte red zone, or at the
 * top of the sigaltstack for an SA_ONSTACK handler when the thread is not on it already:
 *     fxsave image (512 bytes, 64-aligned)            <- uc_mcontext.fpstate
 *     struct rt_sigframe { pretcode, ucontext, siginfo }   (rsp % 16 == 8 at the handler,
 *                                                           as after a call)
 * pretcode is the SA_RESTORER trampoline (libc's __restore_rt, which calls rt_sigreturn).
 * The handler starts with rdi = signo, rsi = &info, rdx = &uc, rax = 0, DF clear and a fresh
 * FPU (x87 reset, MXCSR 0x1f80, XMM zero). The emulated CPU has FXSR and no XSAVE, so the
 * FPU image is a plain fxsave area and uc_flags has no UC_FP_XSTATE.
 * The blocked mask and SA_RESETHAND are signal.c's (sig_act).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "signal.h"
#include "sys_impl.h"
#include "../emu/flags.h"
#include "../emu/sse.h"
#include "../emu/x87.h"

#define REDZONE 128
#define FXSAVE_SIZE 512
#define USER_CS 0x33
#define USER_DS 0x2b
/* The flags a frame may change (the kernel's FIX_EFLAGS). */
#define FIX_EFLAGS (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_TF | FL_DF | FL_OF | FL_AC | \
		    (1u << 16) /* RF */)

struct rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};
_Static_assert(sizeof(struct rt_sigframe) == 440, "the kernel's rt_sigframe is 440 bytes");

static bool on_altstack(const struct linux_stack *ss, uint64_t sp)
{
	if ((uint32_t)ss->ss_flags & LINUX_SS_AUTODISARM)
		return false;
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* The registers of the interrupted context, as sigcontext keeps them. */
static void save_regs(struct cpu *c, struct linux_sigcontext *sc)
{
	const uint64_t *r = c->r;
	*sc = (struct linux_sigcontext){
		.r8 = r[R_R8], .r9 = r[R_R9], .r10 = r[R_R10], .r11 = r[R_R11],
		.r12 = r[R_R12], .r13 = r[R_R13], .r14 = r[R_R14], .r15 = r[R_R15],
		.rdi = r[R_RDI], .rsi = r[R_RSI], .rbp = r[R_RBP], .rbx = r[R_RBX],
		.rdx = r[R_RDX], .rax = r[R_RAX], .rcx = r[R_RCX], .rsp = r[R_RSP],
		.rip = c->rip, .eflags = flags_get(c), .cs = USER_CS, .ss = USER_DS,
	};
}

/* Trap number, error code and cr2 of a fault, as the CPU exception would leave them. */
static void fault_regs(const struct linux_siginfo *info, struct linux_sigcontext *sc)
{
	switch (info->si_signo) {
	case SIGSEGV:
	case SIGBUS:
		sc->trapno = info->si_code == 0x80 /* SI_KERNEL: #GP */ ? 13 : 14;
		sc->err = sc->trapno == 14 ? 4u | (info->si_code == SEGV_ACCERR) : 0;
		sc->cr2 = info->u.addr;
		break;
	case SIGILL:
		sc->trapno = 6;
		break;
	case SIGTRAP:
		sc->trapno = 3;
		break;
	case SIGFPE:
		sc->trapno = info->si_code == FPE_INTDIV ? 0 : 19;
		break;
	}
}

bool sig_setup_frame(struct thread *t, int sig, const struct linux_siginfo *info,
		     const struct linux_sigaction *ka, uint64_t saved_mask, bool fault)
{
	struct cpu *c = &t->cpu;
	if (!(ka->flags & LINUX_SA_RESTORER))
		return false;     /* x86-64 has no vDSO trampoline to fall back on */
	uint64_t sp = c->r[R_RSP] - REDZONE;
	struct linux_stack *ss = &t->sigaltstack;
	bool was_on = ss->ss_size && on_altstack(ss, c->r[R_RSP]);
	struct linux_stack saved_ss = {
		.ss_sp = ss->ss_sp, .ss_size = ss->ss_size,
		.ss_flags = (int32_t)(((uint32_t)ss->ss_flags & LINUX_SS_AUTODISARM) |
				      (!ss->ss_size ? LINUX_SS_DISABLE : was_on ? LINUX_SS_ONSTACK : 0)),
	};
	if ((ka->flags & LINUX_SA_ONSTACK) && ss->ss_size && !was_on)
		sp = ss->ss_sp + ss->ss_size;
	uint64_t fx = (sp - FXSAVE_SIZE) & ~63ull;
	uint64_t frame = ((fx - sizeof(struct rt_sigframe)) & ~15ull) - 8;

	uint8_t image[FXSAVE_SIZE] __attribute__((aligned(16)));
	memset(image, 0, sizeof image);
	sse_get_mxcsr(c);
	x87_fxsave(c, image, true);
	struct rt_sigframe f;
	memset(&f, 0, sizeof f);
	f.pretcode = ka->restorer;
	f.uc.uc_flags = LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS;
	f.uc.uc_stack = saved_ss;
	save_regs(c, &f.uc.uc_mcontext);
	if (fault)
		fault_regs(info, &f.uc.uc_mcontext);
	f.uc.uc_mcontext.oldmask = saved_mask;
	f.uc.uc_mcontext.fpstate = fx;
	f.uc.uc_sigmask = saved_mask;
	f.info = *info;
	if (guest_write(fx, image, sizeof image) < 0 || guest_write(frame, &f, sizeof f) < 0)
		return false;

	if ((uint32_t)ss->ss_flags & LINUX_SS_AUTODISARM)
		*ss = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
	c->r[R_RDI] = (uint64_t)sig;
	c->r[R_RSI] = frame + offsetof(struct rt_sigframe, info);
	c->r[R_RDX] = frame + offsetof(struct rt_sigframe, uc);
	c->r[R_RAX] = 0;
	c->r[R_RSP] = frame;
	c->rip = ka->handler;
	flags_set(c, flags_get(c) & ~(uint64_t)(FL_DF | FL_TF | (1u << 16)));
	x87_reset(c);
	c->x87.host_stale = 1;
	memset(c->xmm, 0, sizeof c->xmm);
	sse_set_mxcsr(c, MXCSR_DEFAULT);
	return true;
}

/* The frame's sigaltstack comes back, as restore_altstack() does (errors but EFAULT are
 * ignored: a stack the thread is on is left alone). */
static void restore_altstack(struct thread *t, const struct linux_stack *uss, uint64_t sp)
{
	struct linux_stack *ss = &t->sigaltstack;
	if (ss->ss_size && on_altstack(ss, sp))
		return;
	uint32_t mode = (uint32_t)uss->ss_flags & ~LINUX_SS_AUTODISARM;
	if (mode == LINUX_SS_DISABLE)
		*ss = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
	else if ((mode == 0 || mode == LINUX_SS_ONSTACK) && uss->ss_size >= LINUX_MINSIGSTKSZ)
		*ss = (struct linux_stack){
			.ss_sp = uss->ss_sp, .ss_size = uss->ss_size,
			.ss_flags = (int32_t)((uint32_t)uss->ss_flags & LINUX_SS_AUTODISARM),
		};
}

/* The handler has returned through its trampoline: rsp is just past pretcode. A frame that
 * cannot be read, or an FPU image the CPU would refuse, is the kernel's "badframe": SIGSEGV. */
long sys_rt_sigreturn(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct cpu *c = &t->cpu;
	uint64_t frame = c->r[R_RSP] - 8;
	struct rt_sigframe f;
	uint8_t image[FXSAVE_SIZE] __attribute__((aligned(16)));
	if (guest_read(&f, frame, sizeof f) < 0)
		sig_die(SIGSEGV);
	const struct linux_sigcontext *sc = &f.uc.uc_mcontext;
	if (sc->fpstate) {
		if (guest_read(image, sc->fpstate, sizeof image) < 0 || !x87_fxrstor(c, image, true))
			sig_die(SIGSEGV);
		c->x87.host_stale = 1;
		sse_set_mxcsr(c, c->mxcsr);
	} else {
		x87_reset(c);
		c->x87.host_stale = 1;
		memset(c->xmm, 0, sizeof c->xmm);
		sse_set_mxcsr(c, MXCSR_DEFAULT);
	}
	uint64_t *r = c->r;
	r[R_R8] = sc->r8, r[R_R9] = sc->r9, r[R_R10] = sc->r10, r[R_R11] = sc->r11;
	r[R_R12] = sc->r12, r[R_R13] = sc->r13, r[R_R14] = sc->r14, r[R_R15] = sc->r15;
	r[R_RDI] = sc->rdi, r[R_RSI] = sc->rsi, r[R_RBP] = sc->rbp, r[R_RBX] = sc->rbx;
	r[R_RDX] = sc->rdx, r[R_RAX] = sc->rax, r[R_RCX] = sc->rcx, r[R_RSP] = sc->rsp;
	c->rip = sc->rip;
	flags_set(c, (flags_get(c) & ~(uint64_t)FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS));
	sig_set_mask(t, f.uc.uc_sigmask);
	restore_altstack(t, &f.uc.uc_stack, sc->rsp);
	return (long)sc->rax;
}
