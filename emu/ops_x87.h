/* The x87 ops (emu/ops_x87_*.c) and what they share, for the lowering in emu/decode_x87.c.
 *
 * Operand fields: op->rd is i of st(i); op->aux is form-specific (below); op->imm is the
 * instruction's 11-bit x87 opcode (FOP), recorded with FIP and FDP by every non-control
 * instruction, as the CPU does.
 *
 * Results are the host CPU's own: each op runs the same x87 instruction on the host, on the
 * guest's values, under the guest's precision and rounding control, and takes the exception
 * flags and condition bits from the host status word. The host control word is checked per
 * op (x87_host_prepare: one fnstcw, and an fldcw only when it differs) rather than kept equal
 * to the guest's while guest code runs: the kernel resets the host FPU for every host signal
 * handler and a guest fault leaves its handler by siglongjmp, and sfdemu's own code may use
 * long double, so a control word loaded once would not stay loaded. The guest's unmasked
 * exceptions are emulated (ES in the status word, SIGFPE at the next waiting instruction,
 * x87_fpe); the host never traps on an x87 op.
 *
 * Where the CPU leaves condition bits alone, or stops an op on an unmasked exception, the
 * rules below are the CPU's, as tests/unit/test_x87.c checks (every form, random states).
 */
#ifndef SFDEMU_OPS_X87_H
#define SFDEMU_OPS_X87_H

#include "op.h"
#include "x87.h"

/* ---- the register stack ---- */

union x87_bits {
	long double v;
	struct {
		uint64_t mant;
		uint16_t se;   /* sign and exponent */
	} b;
};

static inline long double x87_make(uint64_t mant, uint16_t se)
{
	union x87_bits u = { .b = { mant, se } };
	return u.v;
}

/* The "real indefinite" QNaN: the masked response to an invalid operation. */
#define X87_INDEF x87_make(0xc000000000000000ull, 0xffff)

static inline unsigned x87_phys(const struct cpu *cpu, unsigned i)
{
	return (cpu->x87.top + i) & 7;
}
static inline long double *x87_st(struct cpu *cpu, unsigned i)
{
	return &cpu->x87.phys[x87_phys(cpu, i)];
}
static inline bool x87_full(const struct cpu *cpu, unsigned i)
{
	return cpu->x87.tag_valid >> x87_phys(cpu, i) & 1;
}
static inline void x87_set(struct cpu *cpu, unsigned i, long double v)
{
	unsigned p = x87_phys(cpu, i);
	cpu->x87.phys[p] = v;
	cpu->x87.tag_valid |= (uint8_t)(1u << p);
}
static inline void x87_push(struct cpu *cpu, long double v)
{
	cpu->x87.top = (cpu->x87.top - 1) & 7;
	x87_set(cpu, 0, v);
}
static inline void x87_pop(struct cpu *cpu)
{
	cpu->x87.tag_valid &= (uint8_t)~(1u << cpu->x87.top);
	cpu->x87.top = (cpu->x87.top + 1) & 7;
}

/* ---- status ---- */

/* ES and B summarise the exception flags the control word leaves unmasked. */
static inline void x87_update_es(struct cpu *cpu)
{
	if (cpu->x87.fsw & ~cpu->x87.fcw & FSW_EXC)
		cpu->x87.fsw |= FSW_ES | FSW_B;
	else
		cpu->x87.fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

/* The unmasked exceptions that stop an op before it stores anything (the destination and
 * the stack stay as they were): IE, DE and ZE for arithmetic, only IE for a load (this CPU
 * loads a denormal even when DE is unmasked), and OE and UE too for a store to memory. */
#define X87_STOP_ARITH (FSW_IE | FSW_DE | FSW_ZE)
#define X87_STOP_LOAD FSW_IE
#define X87_STOP_STORE (FSW_IE | FSW_DE | FSW_ZE | FSW_OE | FSW_UE)

/* Merge the host status word of one op: its exception flags accumulate, the condition bits
 * in `cc` are taken from it. False when an exception the guest unmasked, among `stop`, stops
 * the op: then only the exceptions found before computing are raised (IE DE ZE), and C1 and
 * C2 (where in `cc`) are cleared; C0 and C3 stay. */
static inline bool x87_merge(struct cpu *cpu, uint16_t hsw, uint16_t cc, uint16_t stop)
{
	uint16_t unmasked = hsw & ~cpu->x87.fcw & FSW_EXC;
	if (likely(!unmasked)) {
		cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~cc) | (hsw & (cc | FSW_EXC)));
		return true;
	}
	if (unmasked & stop) {
		uint16_t raised = unmasked & (FSW_IE | FSW_DE | FSW_ZE) ?
				  hsw & (FSW_IE | FSW_DE | FSW_ZE) : hsw & FSW_EXC;
		cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~(cc & (FSW_C1 | FSW_C2))) | raised |
					  FSW_ES | FSW_B);
		cpu->x87.host_stale = 1;
		return false;
	}
	cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~cc) | (hsw & (cc | FSW_EXC)) | FSW_ES | FSW_B);
	return true;
}

/* A stack overflow (a push onto a full register) or underflow (an empty operand): IE and
 * SF, C1 telling which. True when the masked response applies (the indefinite NaN is the
 * result and the op completes). */
static inline bool x87_stack_fault(struct cpu *cpu, bool overflow)
{
	cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~FSW_C1) | FSW_IE | FSW_SF |
				  (overflow ? FSW_C1 : 0));
	if (cpu->x87.fcw & FSW_IE)
		return true;
	cpu->x87.fsw |= FSW_ES | FSW_B;
	return false;
}

/* Clear C1 (what most ops do when they raise no stack fault). */
static inline void x87_c1_clear(struct cpu *cpu)
{
	cpu->x87.fsw &= (uint16_t)~FSW_C1;
}

/* An unmasked exception is pending: a waiting instruction raises SIGFPE instead of running. */
const struct op *x87_fpe(struct cpu *cpu, const struct op *op);
#define X87_WAIT(cpu, op)                                       \
	do {                                                    \
		if (unlikely((cpu)->x87.fsw & FSW_ES))          \
			return x87_fpe(cpu, op);                \
	} while (0)

/* FIP, FOP and FDP: the last non-control instruction and its memory operand (an offset
 * within its segment, as the CPU records it), with their selectors FCS and FDS. */
#define X87_GUEST_CS 0x33   /* the code selector of a 64-bit Linux process */
static inline void x87_note(struct cpu *cpu, const struct op *op)
{
	cpu->x87.fip = op->pc;
	cpu->x87.fop = (uint16_t)op->imm;
	cpu->x87.fcs = X87_GUEST_CS;
}
static inline void x87_note_mem(struct cpu *cpu, const struct op *op, uint64_t ea)
{
	x87_note(cpu, op);
	cpu->x87.fdp = ea - cpu->segbase[op->seg];
	cpu->x87.fds = 0;
}

/* ---- the host FPU ----
 *
 * The host's exception flags are kept a subset of the guest's, so that after a host op the
 * guest's flags are its old ones or'ed with the host's (fnclex costs tens of nanoseconds; it
 * is run only when the guest cleared or replaced its flags: x87.host_stale). They also tell
 * what the op raised among the flags the guest unmasked: none of those can be set before a
 * waiting op runs. The host runs with IE, DE and ZE masked, so that it always completes the
 * instruction and its stack depth is what the compiler expects; OE, UE and PE are masked or
 * not as the guest has them, for the CPU's own biased results on unmasked overflow and
 * underflow. X87_TAIL stores the status word and clears a pending host exception before
 * anything can wait on it. sfdemu's own code must not leave exception flags in the host FPU
 * of a thread that runs guest code (or it must set host_stale). */

#define X87_TAIL(sw) "\n\tfnstsw " sw "\n\ttestb $0x80, " sw "\n\tjz 1f\n\tfnclex\n1:"

static inline void x87_host_prepare(struct cpu *cpu)
{
	uint16_t want = cpu->x87.fcw | FSW_IE | FSW_DE | FSW_ZE, cur;
	if (unlikely(cpu->x87.host_stale)) {
		__asm__ volatile("fnclex");
		cpu->x87.host_stale = 0;
	}
	__asm__ volatile("fnstcw %0" : "=m"(cur));
	if (unlikely(cur != want))
		__asm__ volatile("fldcw %0" : : "m"(want));
}

/* Guest memory operands of the x87's own sizes. */
struct x87_m80 {
	uint8_t b[10];
};
static inline long double x87_ld80(uint64_t a)
{
	union x87_bits u = { .b = { 0, 0 } };
	memcpy(&u, (const void *)(uintptr_t)a, 10);
	return u.v;
}
static inline void x87_st80(uint64_t a, long double v)
{
	memcpy((void *)(uintptr_t)a, &v, 10);
}

/* ---- handlers ---- */

#define X87_OP(name) const struct op *name(struct cpu *cpu, const struct op *op)

/* Arithmetic: dst = dst OP src. Kinds in the order of the reg field of d8 /r. */
enum x87_kind { XK_ADD, XK_MUL, XK_SUB, XK_SUBR, XK_DIV, XK_DIVR, XK_N };
/* Memory source forms. */
enum x87_mform { XM_F32, XM_F64, XM_I16, XM_I32, XM_N };
/* Register forms; aux: bit 0 = the destination is st(i) (else st(0)), bit 1 = pop. */
#define XA_DST_STI 1
#define XA_POP 2
#define XA_QUIET 4
extern const op_fn x87_arith_st[XK_N];
extern const op_fn x87_arith_m[XK_N][XM_N];

/* Compares. fcom/fucom st(i): aux = pops (0, 1, 2). fcom m: aux = pops (0, 1). fcomi:
 * aux = XA_POP. */
X87_OP(op_fcom_st);
X87_OP(op_fucom_st);
extern const op_fn x87_fcom_m[XM_N];
X87_OP(op_fcomi);
X87_OP(op_fucomi);
X87_OP(op_ftst);
X87_OP(op_fxam);
/* fcmovcc st(0), st(i): aux = the condition code (flags.h CC_*). */
X87_OP(op_fcmov);

/* Loads and stores (ops_x87_ldst.c); st forms aux = XA_POP for the popping one. */
X87_OP(op_fld_m32);
X87_OP(op_fld_m64);
X87_OP(op_fld_m80);
X87_OP(op_fld_st);
X87_OP(op_fild_m16);
X87_OP(op_fild_m32);
X87_OP(op_fild_m64);
X87_OP(op_fbld);
X87_OP(op_fst_m32);
X87_OP(op_fst_m64);
X87_OP(op_fstp_m80);
X87_OP(op_fst_st);
X87_OP(op_fist_m16);
X87_OP(op_fist_m32);
X87_OP(op_fistp_m64);
X87_OP(op_fbstp);
/* fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz: aux = modrm & 7. */
X87_OP(op_fldconst);
X87_OP(op_fxch);
X87_OP(op_ffree);   /* aux = XA_POP for ffreep */
X87_OP(op_fincstp);
X87_OP(op_fdecstp);
X87_OP(op_fnop);

/* Arithmetic on the top of the stack (ops_x87_math.c). */
X87_OP(op_fchs);
X87_OP(op_fabs);
X87_OP(op_fsqrt);
X87_OP(op_frndint);
X87_OP(op_f2xm1);
X87_OP(op_fsin);
X87_OP(op_fcos);
X87_OP(op_fptan);
X87_OP(op_fsincos);
X87_OP(op_fxtract);
X87_OP(op_fscale);
X87_OP(op_fprem);
X87_OP(op_fprem1);
X87_OP(op_fyl2x);
X87_OP(op_fyl2xp1);
X87_OP(op_fpatan);

/* Control (ops_x87_env.c). fnstenv/fldenv/fnsave/frstor: aux = 1 for the 16-bit format
 * (66 prefix). fxsave/fxrstor: aux = 1 for the 64-bit form (REX.W). */
X87_OP(op_fnstsw_ax);
X87_OP(op_fnstsw_m16);
X87_OP(op_fnstcw);
X87_OP(op_fldcw);
X87_OP(op_fnstenv);
X87_OP(op_fldenv);
X87_OP(op_fnsave);
X87_OP(op_frstor);
X87_OP(op_fninit);
X87_OP(op_fnclex);
X87_OP(op_fwait);
X87_OP(op_fnop_control);   /* feni, fdisi, fsetpm: no-ops on a 387 and later */
X87_OP(op_fxsave);
X87_OP(op_fxrstor);

#endif
