/* x87 loads and stores: fld fild fbld and the constants, fst fstp fist fistp fbstp, and the
 * ops that only move the stack (fxch ffree ffreep fincstp fdecstp fnop). Conversions from
 * and to m32fp, m64fp, integers and BCD run on the host FPU (rounding, NaN quieting and the
 * exception flags are the CPU's); m80 and register moves are plain copies, as on the CPU. */
#include "ops_x87.h"

/* ---- loads ---- */

static inline struct x87_m80 ld_bcd(uint64_t a)
{
	struct x87_m80 v;
	memcpy(&v, (const void *)(uintptr_t)a, sizeof v);
	return v;
}

/* The push every load does: false (and nothing pushed) when st(7) is in use and the guest
 * unmasked IE; on a masked overflow the indefinite NaN is pushed. */
static bool push_check(struct cpu *cpu)
{
	if (likely(!x87_full(cpu, 7)))
		return true;
	if (x87_stack_fault(cpu, true))
		x87_push(cpu, X87_INDEF);
	return false;
}

/* The operand is a local in memory for the asm, which keeps a call of the next op from being a
 * tail call: return to the run loop instead (emu/chain.h). */
#define FLD_M(name, T, load, insn)                                              \
	X87_OP(name)                                                            \
	{                                                                       \
		X87_WAIT(cpu, op);                                              \
		uint64_t ea = op_ea(cpu, op);                                   \
		T m = load(ea);                                                 \
		if (push_check(cpu)) {                                          \
			long double r;                                          \
			uint16_t sw;                                            \
			x87_host_prepare(cpu);                                  \
			__asm__ volatile(insn " %2" X87_TAIL("%1")              \
					 : "=t"(r), "=m"(sw) : "m"(m) : "cc");  \
			if (x87_merge(cpu, sw, FSW_C1, X87_STOP_LOAD))          \
				x87_push(cpu, r);                               \
		}                                                               \
		x87_note_mem(cpu, op, ea);                                      \
		return op + 1;                                                    \
	}

FLD_M(op_fld_m32, uint32_t, ld32, "flds")
FLD_M(op_fld_m64, uint64_t, ld64, "fldl")
FLD_M(op_fbld, struct x87_m80, ld_bcd, "fbld")

X87_OP(op_fld_m80)
{
	X87_WAIT(cpu, op);
	uint64_t ea = op_ea(cpu, op);
	long double v = x87_ld80(ea);
	if (push_check(cpu)) {
		x87_c1_clear(cpu);
		x87_push(cpu, v);
	}
	x87_note_mem(cpu, op, ea);
	return OP_NEXT(cpu, op);
}

#define FILD_M(name, T, load)                                                   \
	X87_OP(name)                                                            \
	{                                                                       \
		X87_WAIT(cpu, op);                                              \
		uint64_t ea = op_ea(cpu, op);                                   \
		T m = (T)load(ea);                                              \
		if (push_check(cpu)) {                                          \
			x87_c1_clear(cpu);                                      \
			x87_push(cpu, (long double)m);                          \
		}                                                               \
		x87_note_mem(cpu, op, ea);                                      \
		return OP_NEXT(cpu, op);                                         \
	}

FILD_M(op_fild_m16, int16_t, ld16)
FILD_M(op_fild_m32, int32_t, ld32)
FILD_M(op_fild_m64, int64_t, ld64)

/* fld st(i). */
X87_OP(op_fld_st)
{
	X87_WAIT(cpu, op);
	unsigned i = op->rd;
	bool full = x87_full(cpu, i);
	long double v = *x87_st(cpu, i);
	if (push_check(cpu)) {
		if (unlikely(!full)) {
			if (x87_stack_fault(cpu, false))
				x87_push(cpu, X87_INDEF);
		} else {
			x87_c1_clear(cpu);
			x87_push(cpu, v);
		}
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz: the constants the host rounds under the
 * guest's rounding control. */
X87_OP(op_fldconst)
{
	X87_WAIT(cpu, op);
	if (push_check(cpu)) {
		long double r;
		x87_host_prepare(cpu);
		switch (op->aux) {
		case 0: __asm__ volatile("fld1" : "=t"(r)); break;
		case 1: __asm__ volatile("fldl2t" : "=t"(r)); break;
		case 2: __asm__ volatile("fldl2e" : "=t"(r)); break;
		case 3: __asm__ volatile("fldpi" : "=t"(r)); break;
		case 4: __asm__ volatile("fldlg2" : "=t"(r)); break;
		case 5: __asm__ volatile("fldln2" : "=t"(r)); break;
		default: __asm__ volatile("fldz" : "=t"(r)); break;
		}
		x87_c1_clear(cpu);
		x87_push(cpu, r);
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* ---- stores ---- */

/* The source of a store: st(0), or the indefinite NaN when st(0) is empty and the guest
 * masks IE. False when the store must not happen (an unmasked stack underflow). */
static bool store_source(struct cpu *cpu, long double *v, bool *empty)
{
	*empty = !x87_full(cpu, 0);
	if (likely(!*empty)) {
		*v = *x87_st(cpu, 0);
		return true;
	}
	*v = X87_INDEF;
	return x87_stack_fault(cpu, false);
}

/* fst/fstp m32fp m64fp, fist/fistp m16int m32int (aux XA_POP for the popping form). The
 * host converts; on an empty st(0) its flags are not the guest's (the stack fault is). */
#define FST_M(name, T, store, insn)                                                \
	X87_OP(name)                                                               \
	{                                                                          \
		X87_WAIT(cpu, op);                                                 \
		uint64_t ea = op_ea(cpu, op);                                      \
		long double v;                                                     \
		bool empty;                                                        \
		if (store_source(cpu, &v, &empty)) {                               \
			T m;                                                       \
			uint16_t sw;                                               \
			x87_host_prepare(cpu);                                     \
			__asm__ volatile(insn " %0" X87_TAIL("%1")                 \
					 : "=m"(m), "=m"(sw) : "t"(v) : "cc");     \
			if (empty || x87_merge(cpu, sw, FSW_C1, X87_STOP_STORE)) { \
				store(ea, m);                                      \
				if (op->aux & XA_POP)                              \
					x87_pop(cpu);                              \
			}                                                          \
		}                                                                  \
		x87_note_mem(cpu, op, ea);                                         \
		return OP_NEXT(cpu, op);                                            \
	}

static inline void st_bcd(uint64_t a, struct x87_m80 v)
{
	memcpy((void *)(uintptr_t)a, &v, sizeof v);
}

FST_M(op_fst_m32, uint32_t, st32, "fsts")
FST_M(op_fst_m64, uint64_t, st64, "fstl")
FST_M(op_fist_m16, uint16_t, st16, "fists")
FST_M(op_fist_m32, uint32_t, st32, "fistl")

/* fistp m64int and fbstp m80bcd exist only as popping instructions. */
#define FSTP_M(name, T, store, insn)                                                 \
	X87_OP(name)                                                                 \
	{                                                                            \
		X87_WAIT(cpu, op);                                                   \
		uint64_t ea = op_ea(cpu, op);                                        \
		long double v;                                                       \
		bool empty;                                                          \
		if (store_source(cpu, &v, &empty)) {                                 \
			T m;                                                         \
			uint16_t sw;                                                 \
			x87_host_prepare(cpu);                                       \
			__asm__ volatile(insn " %0" X87_TAIL("%1")                   \
					 : "=m"(m), "=m"(sw) : "t"(v) : "st", "cc"); \
			if (empty || x87_merge(cpu, sw, FSW_C1, X87_STOP_STORE)) {   \
				store(ea, m);                                        \
				x87_pop(cpu);                                        \
			}                                                            \
		}                                                                    \
		x87_note_mem(cpu, op, ea);                                           \
		return OP_NEXT(cpu, op);                                              \
	}

FSTP_M(op_fistp_m64, uint64_t, st64, "fistpll")
FSTP_M(op_fbstp, struct x87_m80, st_bcd, "fbstp")

/* fstp m80fp: a copy. */
X87_OP(op_fstp_m80)
{
	X87_WAIT(cpu, op);
	uint64_t ea = op_ea(cpu, op);
	long double v;
	bool empty;
	if (store_source(cpu, &v, &empty)) {
		x87_st80(ea, v);
		if (!empty)
			x87_c1_clear(cpu);
		x87_pop(cpu);
	}
	x87_note_mem(cpu, op, ea);
	return OP_NEXT(cpu, op);
}

/* fst/fstp st(i): a copy (aux XA_POP for fstp). The alias d9 d8+i (aux XA_QUIET) pops an
 * empty st(0) without a stack fault and without storing. */
X87_OP(op_fst_st)
{
	X87_WAIT(cpu, op);
	long double v;
	bool empty;
	if ((op->aux & XA_QUIET) && !x87_full(cpu, 0)) {
		x87_c1_clear(cpu);
		x87_pop(cpu);
	} else if (store_source(cpu, &v, &empty)) {
		x87_set(cpu, op->rd, v);
		if (!empty)
			x87_c1_clear(cpu);
		if (op->aux & XA_POP)
			x87_pop(cpu);
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* ---- the stack alone ---- */

/* fxch st(i): an empty register takes part as the indefinite NaN (masked underflow). */
X87_OP(op_fxch)
{
	X87_WAIT(cpu, op);
	unsigned i = op->rd;
	bool ok = true;
	if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, i))) {
		ok = x87_stack_fault(cpu, false);
		if (ok) {
			if (!x87_full(cpu, 0))
				x87_set(cpu, 0, X87_INDEF);
			if (!x87_full(cpu, i))
				x87_set(cpu, i, X87_INDEF);
		}
	}
	if (ok) {
		long double t = *x87_st(cpu, 0);
		*x87_st(cpu, 0) = *x87_st(cpu, i);
		*x87_st(cpu, i) = t;
		x87_c1_clear(cpu);
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* ffree st(i); ffreep st(i) (aux XA_POP) also pops. */
X87_OP(op_ffree)
{
	X87_WAIT(cpu, op);
	cpu->x87.tag_valid &= (uint8_t)~(1u << x87_phys(cpu, op->rd));
	x87_c1_clear(cpu);
	if (op->aux & XA_POP)
		x87_pop(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fincstp)
{
	X87_WAIT(cpu, op);
	cpu->x87.top = (cpu->x87.top + 1) & 7;
	x87_c1_clear(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fdecstp)
{
	X87_WAIT(cpu, op);
	cpu->x87.top = (cpu->x87.top - 1) & 7;
	x87_c1_clear(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fnop)
{
	X87_WAIT(cpu, op);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}
