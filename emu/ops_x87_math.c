/* x87 arithmetic on the top of the stack: fchs fabs fsqrt frndint f2xm1 fsin fcos fptan
 * fsincos fxtract fscale fprem fprem1 fyl2x fyl2xp1 fpatan. The transcendental ones are the
 * host's own instructions, so every result bit and flag is the CPU's. */
#include "ops_x87.h"

/* An empty st(0) (or st(1)) read by an op whose result goes to st(dst): masked underflow
 * stores the indefinite NaN there. Returns whether the op completes. */
static bool underflow_to(struct cpu *cpu, unsigned dst, uint16_t clear)
{
	cpu->x87.fsw &= (uint16_t)~clear;
	if (!x87_stack_fault(cpu, false))
		return false;
	x87_set(cpu, dst, X87_INDEF);
	return true;
}

/* fchs and fabs only touch the sign: no exception, even for a signalling NaN. */
static const struct op *sign_op(struct cpu *cpu, const struct op *op, uint16_t clear,
				uint16_t flip)
{
	X87_WAIT(cpu, op);
	if (unlikely(!x87_full(cpu, 0))) {
		underflow_to(cpu, 0, 0);
	} else {
		union x87_bits u = { .v = *x87_st(cpu, 0) };
		u.b.se = (uint16_t)((u.b.se & ~clear) ^ flip);
		*x87_st(cpu, 0) = u.v;
		x87_c1_clear(cpu);
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fchs)
{
	return sign_op(cpu, op, 0, 0x8000);
}

X87_OP(op_fabs)
{
	return sign_op(cpu, op, 0x8000, 0);
}

/* st(0) = f(st(0)); cc are the condition bits the instruction defines. */
#define UNARY(name, insn, cc)                                                                \
	X87_OP(name)                                                                         \
	{                                                                                    \
		X87_WAIT(cpu, op);                                                           \
		if (unlikely(!x87_full(cpu, 0))) {                                           \
			underflow_to(cpu, 0, (cc) & FSW_C2);                                 \
		} else {                                                                     \
			long double r;                                                       \
			uint16_t sw;                                                         \
			x87_host_prepare(cpu);                                               \
			__asm__ volatile(insn X87_TAIL("%1")                                \
					 : "=t"(r), "=m"(sw) : "0"(*x87_st(cpu, 0)) : "cc"); \
			if (x87_merge(cpu, sw, cc, X87_STOP_ARITH))                          \
				*x87_st(cpu, 0) = r;                                         \
		}                                                                            \
		x87_note(cpu, op);                                                           \
		return OP_NEXT(cpu, op);                                                      \
	}

UNARY(op_fsqrt, "fsqrt", FSW_C1)
UNARY(op_frndint, "frndint", FSW_C1)
UNARY(op_f2xm1, "f2xm1", FSW_C1)
/* C2 set: the operand is out of range (|x| >= 2^63) and st(0) is left as it was. */
UNARY(op_fsin, "fsin", FSW_C1 | FSW_C2)
UNARY(op_fcos, "fcos", FSW_C1 | FSW_C2)

/* fprem and fprem1 leave C0 and C3 alone when they compute no quotient (a NaN operand, an
 * invalid operation): give the host the guest's, through a remainder whose quotient has
 * them as bits 2 and 1 (and is not zero: 0 % 1 computes no quotient either). */
static inline void seed_c0_c3(const struct cpu *cpu)
{
	long double q = 8 + (cpu->x87.fsw & FSW_C0 ? 4 : 0) + (cpu->x87.fsw & FSW_C3 ? 2 : 0), r;
	__asm__ volatile("fprem" : "=t"(r) : "0"(q), "u"(1.0L));
}
static inline void seed_none(const struct cpu *cpu)
{
}

/* st(0) = f(st(0), st(1)), no pop. */
#define BINARY(name, insn, cc, seed)                                                           \
	X87_OP(name)                                                                           \
	{                                                                                      \
		X87_WAIT(cpu, op);                                                             \
		if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, 1))) {                        \
			underflow_to(cpu, 0, (cc) & FSW_C2);                                   \
		} else {                                                                       \
			long double r;                                                         \
			uint16_t sw;                                                           \
			x87_host_prepare(cpu);                                                 \
			seed(cpu);                                                             \
			__asm__ volatile(insn X87_TAIL("%1")                                   \
					 : "=t"(r), "=m"(sw)                                   \
					 : "0"(*x87_st(cpu, 0)), "u"(*x87_st(cpu, 1)) : "cc"); \
			if (x87_merge(cpu, sw, cc, X87_STOP_ARITH))                            \
				*x87_st(cpu, 0) = r;                                           \
		}                                                                              \
		x87_note(cpu, op);                                                             \
		return OP_NEXT(cpu, op);                                                        \
	}

BINARY(op_fscale, "fscale", FSW_C1, seed_none)
/* C2: the reduction is incomplete; C0 C3 C1: the low three quotient bits. */
BINARY(op_fprem, "fprem", FSW_CC, seed_c0_c3)
BINARY(op_fprem1, "fprem1", FSW_CC, seed_c0_c3)

/* st(1) = f(st(0), st(1)), then pop. */
#define BINARY_POP(name, insn)                                                        \
	X87_OP(name)                                                                  \
	{                                                                             \
		X87_WAIT(cpu, op);                                                    \
		bool done;                                                            \
		if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, 1))) {               \
			done = underflow_to(cpu, 1, 0);                               \
		} else {                                                              \
			long double r;                                                \
			uint16_t sw;                                                  \
			x87_host_prepare(cpu);                                        \
			__asm__ volatile(insn X87_TAIL("%1")                         \
					 : "=t"(r), "=m"(sw)                          \
					 : "0"(*x87_st(cpu, 0)), "u"(*x87_st(cpu, 1)) \
					 : "st(1)", "cc");                            \
			done = x87_merge(cpu, sw, FSW_C1, X87_STOP_ARITH);            \
			if (done)                                                     \
				*x87_st(cpu, 1) = r;                                  \
		}                                                                     \
		if (done)                                                             \
			x87_pop(cpu);                                                 \
		x87_note(cpu, op);                                                    \
		return OP_NEXT(cpu, op);                                               \
	}

BINARY_POP(op_fyl2x, "fyl2x")
BINARY_POP(op_fyl2xp1, "fyl2xp1")
BINARY_POP(op_fpatan, "fpatan")

/* The ops that replace st(0) and push a second result. On an empty st(0) or a full st(7)
 * the masked response leaves the indefinite NaN in both; fptan and fsincos clear C2. */
static bool push2_check(struct cpu *cpu, uint16_t clear)
{
	bool under = !x87_full(cpu, 0), over = x87_full(cpu, 7);
	if (likely(!under && !over))
		return true;
	cpu->x87.fsw &= (uint16_t)~clear;
	if (x87_stack_fault(cpu, over)) {
		x87_set(cpu, 0, X87_INDEF);
		x87_push(cpu, X87_INDEF);
	}
	return false;
}

/* fptan and fsincos: no push, and nothing changes but C2, when the operand is out of range.
 * The host stack depth then differs, so the whole sequence is one asm block. */
#define PUSH2(name, insn)                                                               \
	X87_OP(name)                                                                    \
	{                                                                               \
		X87_WAIT(cpu, op);                                                      \
		if (push2_check(cpu, FSW_C2)) {                                         \
			long double x = *x87_st(cpu, 0), r0, r1;                        \
			uint16_t sw;                                                    \
			x87_host_prepare(cpu);                                          \
			__asm__ volatile("fldt %[x]\n\t" insn "\n\t"                    \
					 "fnstsw %%ax\n\t"                              \
					 "testb $0x80, %%al\n\t"                        \
					 "jz 2f\n\t"                                    \
					 "fnclex\n"                                     \
					 "2:\n\t"                                       \
					 "testw $0x400, %%ax\n\t"                       \
					 "jnz 1f\n\t"                                   \
					 "fstpt %[r0]\n"                                \
					 "1:\n\t"                                       \
					 "fstpt %[r1]"                                  \
					 : [r0] "=m"(r0), [r1] "=m"(r1), "=a"(sw)       \
					 : [x] "m"(x)                                   \
					 : "cc", "st(6)", "st(7)");                     \
			if (x87_merge(cpu, sw, FSW_C1 | FSW_C2, X87_STOP_ARITH) &&      \
			    !(sw & FSW_C2)) {                                           \
				*x87_st(cpu, 0) = r1;                                   \
				x87_push(cpu, r0);                                      \
			}                                                               \
		}                                                                       \
		x87_note(cpu, op);                                                      \
		return OP_NEXT(cpu, op);                                                 \
	}

/* fptan: st(0) = tan(st(0)), push 1.0. fsincos: st(0) = sin(st(0)), push cos. */
PUSH2(op_fptan, "fptan")
PUSH2(op_fsincos, "fsincos")

/* fxtract: st(0) = the exponent, push the significand. */
X87_OP(op_fxtract)
{
	X87_WAIT(cpu, op);
	if (push2_check(cpu, 0)) {
		long double sig, exp;
		uint16_t sw;
		x87_host_prepare(cpu);
		__asm__ volatile("fxtract" X87_TAIL("%2")
				 : "=t"(sig), "=u"(exp), "=m"(sw) : "0"(*x87_st(cpu, 0)) : "cc");
		if (x87_merge(cpu, sw, FSW_C1, X87_STOP_ARITH)) {
			*x87_st(cpu, 0) = exp;
			x87_push(cpu, sig);
		}
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}
