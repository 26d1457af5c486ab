/* Lazy RFLAGS. A flag-setting op records what it did (cpu->fl_kind and operands); the
 * arithmetic flags are computed only when something reads them.
 *
 * cpu->fl_kind is (kind << 2) | log2(size / 8), kind one of enum flk. fl_res, fl_a and fl_b
 * are stored sign-extended from the operation size to 64 bits: sign extension keeps both the
 * signed and the unsigned order of n-bit values, so carry, borrow, overflow, sign, zero and
 * every jcc comparison after add/sub/cmp are size-independent 64-bit tests.
 *
 *   kind       res            a              b            fl_saved
 *   EAGER      -              -              -            the six arithmetic flags
 *   ADD/SUB    a op b         first operand  second       -
 *   ADC/SBB    a op b op cin  first operand  second       carry in (0/1)
 *   LOGIC      result         -              -            -        (CF = OF = AF = 0)
 *   INC/DEC    a +/- 1        operand        1            CF before the op (kept)
 *   SHL/SHR/SAR result        operand        count (1..63, never 0: a zero count sets no flags)
 *   MUL        low half       nonzero if the full product does not fit (CF = OF = 1)
 * NEG is recorded as SUB with a = 0, b = the operand.
 */
#ifndef SFDEMU_FLAGS_H
#define SFDEMU_FLAGS_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"

enum flk {
	FLK_EAGER, FLK_ADD, FLK_ADC, FLK_SUB, FLK_SBB, FLK_LOGIC, FLK_INC, FLK_DEC,
	FLK_SHL, FLK_SHR, FLK_SAR, FLK_MUL,
	FLK_NEG,   /* accepted by flags_lazy(res, operand, 0); stored as FLK_SUB */
};

/* Condition codes (the low nibble of jcc/setcc/cmovcc opcodes). */
enum {
	CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A,
	CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G,
};

/* RFLAGS bits a user-mode guest can change with popf (IF, IOPL, VM and the rest are fixed). */
#define FL_NT (1u << 14)
#define FL_GUEST_SETTABLE (FL_ARITH | FL_DF | FL_AC | FL_ID | FL_NT)
/* Bit 1 is always set; IF always reads 1 in user mode. */
#define FL_FIXED (0x2u | FL_IF)

/* The full RFLAGS value the guest would see (pushfq, signal frames). */
uint64_t flags_get(struct cpu *cpu);
/* Set every RFLAGS bit the guest may change (popfq, sigreturn, an op that sets flags
 * eagerly: comisd, fcomi, sahf). */
void flags_set(struct cpu *cpu, uint64_t rflags);
/* The six arithmetic flags (FL_ARITH bits) of the current lazy state. */
uint64_t flags_arith(struct cpu *cpu);
/* Replace the arithmetic flags in `mask` by those of `bits`, keeping the others (rotates: CF
 * and OF; bt: CF; bsf/bsr: ZF). */
void flags_update(struct cpu *cpu, uint64_t mask, uint64_t bits);
/* The out-of-line part of flags_cond(). */
bool flags_cond_slow(struct cpu *cpu, unsigned cc);

/* The helpers below are small and used in hundreds of handlers: always inlined, so handlers
 * stay leaf functions without calls. */
#define FLAGS_INLINE static inline __attribute__((always_inline))

FLAGS_INLINE int64_t flags_sext(uint64_t v, unsigned size)
{
	switch (size) {
	case 8: return (int8_t)v;
	case 16: return (int16_t)v;
	case 32: return (int32_t)v;
	default: return (int64_t)v;
	}
}

#define FLK_SIZE_LOG(size) ((size) == 8 ? 0u : (size) == 16 ? 1u : (size) == 32 ? 2u : 3u)
#define FLK_KIND(kind, size) (((unsigned)(kind) << 2) | FLK_SIZE_LOG(size))

/* Set the six arithmetic flags eagerly (bits outside FL_ARITH are ignored). */
FLAGS_INLINE void flags_set_arith(struct cpu *cpu, uint64_t bits)
{
	cpu->fl_kind = FLK_KIND(FLK_EAGER, 64);
	cpu->fl_saved = bits & FL_ARITH;
}

/* CF after a shift of n-bit `a` (stored sign-extended) by count c (1..63). Counts above n
 * (8- and 16-bit shifts) shift everything out: CF 0, as the hardware gives. */
FLAGS_INLINE bool flags_shl_cf(uint64_t a, unsigned c, unsigned n)
{
	uint64_t ua = n == 64 ? a : a & ((1ull << n) - 1);
	return c <= n ? (ua >> (n - c)) & 1 : 0;
}
FLAGS_INLINE bool flags_shr_cf(uint64_t a, unsigned c, unsigned n)
{
	uint64_t ua = n == 64 ? a : a & ((1ull << n) - 1);
	return c <= n ? (ua >> (c - 1)) & 1 : 0;
}

/* CF of the current state: the carry-in of adc/sbb/rcl/rcr, what inc/dec keep. Inline and
 * call-free so the ops using it stay leaf functions. */
FLAGS_INLINE bool flags_cf(struct cpu *cpu)
{
	uint64_t a = cpu->fl_a, b = cpu->fl_b, r = cpu->fl_res;
	unsigned c = (unsigned)b & 63, n = 8u << (cpu->fl_kind & 3);
	switch (cpu->fl_kind >> 2) {
	case FLK_SUB: return a < b;
	case FLK_ADD: return r < a;
	case FLK_ADC: return (cpu->fl_saved & 1) ? r <= a : r < a;
	case FLK_SBB: return (cpu->fl_saved & 1) ? a <= b : a < b;
	case FLK_SHL: return flags_shl_cf(a, c, n);
	case FLK_SHR: return flags_shr_cf(a, c, n);
	case FLK_SAR: return ((int64_t)a >> (c - 1)) & 1;
	case FLK_MUL: return a != 0;
	case FLK_EAGER: case FLK_INC: case FLK_DEC: return cpu->fl_saved & FL_CF;
	default: return false;
	}
}

/* Record a flag-setting operation of `size` bits (8, 16, 32, 64). kind and size should be
 * constants so the call folds to a few stores. */
FLAGS_INLINE void flags_lazy(struct cpu *cpu, unsigned kind, unsigned size, uint64_t res,
			      uint64_t a, uint64_t b)
{
	if (kind == FLK_NEG) {
		kind = FLK_SUB;
		b = a;
		a = 0;
	}
	if (kind == FLK_INC || kind == FLK_DEC) {
		cpu->fl_saved = flags_cf(cpu);
		b = 1;
	}
	cpu->fl_kind = FLK_KIND(kind, size);
	cpu->fl_res = (uint64_t)flags_sext(res, size);
	cpu->fl_a = (uint64_t)flags_sext(a, size);
	cpu->fl_b = (uint64_t)flags_sext(b, size);
}

/* adc (kind FLK_ADC) and sbb (FLK_SBB): cin is the carry the op consumed. */
FLAGS_INLINE void flags_lazy_carry(struct cpu *cpu, unsigned kind, unsigned size, uint64_t res,
				    uint64_t a, uint64_t b, bool cin)
{
	cpu->fl_saved = cin;
	cpu->fl_kind = FLK_KIND(kind, size);
	cpu->fl_res = (uint64_t)flags_sext(res, size);
	cpu->fl_a = (uint64_t)flags_sext(a, size);
	cpu->fl_b = (uint64_t)flags_sext(b, size);
}

/* Logic ops (and, or, xor, test): only the result matters. */
FLAGS_INLINE void flags_logic(struct cpu *cpu, unsigned size, uint64_t res)
{
	cpu->fl_kind = FLK_KIND(FLK_LOGIC, size);
	cpu->fl_res = (uint64_t)flags_sext(res, size);
}

/* Condition cc after a subtraction (cmp, sub) of a and b with result r, all sign-extended
 * to 64 bits as flags_lazy() stores them: 1 or 0, or -1 for the conditions that need the
 * flags materialised (o, no, p, np). */
FLAGS_INLINE int flags_cond_sub(uint64_t a, uint64_t b, int64_t r, unsigned cc)
{
	switch (cc) {
	case CC_B: return a < b;
	case CC_AE: return a >= b;
	case CC_E: return a == b;
	case CC_NE: return a != b;
	case CC_BE: return a <= b;
	case CC_A: return a > b;
	case CC_S: return r < 0;
	case CC_NS: return r >= 0;
	case CC_L: return (int64_t)a < (int64_t)b;
	case CC_GE: return (int64_t)a >= (int64_t)b;
	case CC_LE: return (int64_t)a <= (int64_t)b;
	case CC_G: return (int64_t)a > (int64_t)b;
	default: return -1;
	}
}

/* Condition cc after a logic op (and, or, xor, test) with result r, sign-extended; -1 for p
 * and np. */
FLAGS_INLINE int flags_cond_logic(int64_t r, unsigned cc)
{
	switch (cc) {
	case CC_O: case CC_B: return 0;
	case CC_NO: case CC_AE: return 1;
	case CC_E: case CC_BE: return r == 0;
	case CC_NE: case CC_A: return r != 0;
	case CC_S: case CC_L: return r < 0;
	case CC_NS: case CC_GE: return r >= 0;
	case CC_LE: return r <= 0;
	case CC_G: return r > 0;
	default: return -1;
	}
}

/* Condition cc (0..15) from the last operation's operands when that is cheap (after cmp/sub,
 * after test/logic; e, ne, s, ns after any lazy kind): 1 or 0, or -1 when the flags must be
 * materialised (flags_cond_slow). With a constant cc this folds to one or two tests. */
FLAGS_INLINE int flags_cond_fast(const struct cpu *cpu, unsigned cc)
{
	unsigned k = cpu->fl_kind >> 2;
	int64_t r = (int64_t)cpu->fl_res;

	if (k == FLK_SUB)
		return flags_cond_sub(cpu->fl_a, cpu->fl_b, r, cc);
	if (k == FLK_LOGIC)
		return flags_cond_logic(r, cc);
	if (k != FLK_EAGER) {
		switch (cc) {
		case CC_E: return r == 0;
		case CC_NE: return r != 0;
		case CC_S: return r < 0;
		case CC_NS: return r >= 0;
		}
	}
	return -1;
}

/* Evaluate x86 condition code cc (0..15, as in jcc/setcc/cmovcc: o, no, b, ae, e, ne, be, a,
 * s, ns, p, np, l, ge, le, g). Hot handlers that want to stay leaf functions use
 * flags_cond_fast() and tail-call a slow handler on -1. */
FLAGS_INLINE bool flags_cond(struct cpu *cpu, unsigned cc)
{
	int c = flags_cond_fast(cpu, cc);
	return c >= 0 ? c : flags_cond_slow(cpu, cc);
}

/* flags_get() without a call when the last flag writer was a logic op or set the flags
 * eagerly (what usually comes before a syscall, whose r11 receives them). */
FLAGS_INLINE uint64_t flags_get_fast(struct cpu *cpu)
{
	unsigned k = cpu->fl_kind >> 2;
	uint64_t rest = (cpu->rflags & FL_GUEST_SETTABLE & ~(uint64_t)FL_ARITH) | FL_FIXED;
	if (k == FLK_EAGER)
		return rest | (cpu->fl_saved & FL_ARITH);
	if (k == FLK_LOGIC) {
		int64_t r = (int64_t)cpu->fl_res;
		return rest | (r == 0 ? FL_ZF : 0) | (r < 0 ? FL_SF : 0) |
		       (__builtin_parity((unsigned)(r & 0xff)) ? 0 : FL_PF);
	}
	return flags_get(cpu);
}

#endif
