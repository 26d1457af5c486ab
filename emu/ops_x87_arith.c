/* x87 arithmetic with two operands (fadd fmul fsub fsubr fdiv fdivr and their popping and
 * integer forms), the compares (fcom fucom ficom fcomi fucomi ftst fxam) and fcmovcc.
 * Each runs the same instruction on the host FPU; see ops_x87.h. */
#include "ops_x87.h"
#include "flags.h"

/* ---- dst = dst OP src ---- */

/* Register forms: d8 /r (st(0) = st(0) op st(i)), dc /r (st(i) = st(i) op st(0)) and de /r
 * (the same, then pop). The host computes with dst in st(0) and src in st(1); the st(0)
 * destination forms are the ones whose AT&T spelling is not reversed. */
#define ARITH_ST(kname, insn)                                                                      \
	static X87_OP(op_##kname##_st)                                                             \
	{                                                                                          \
		X87_WAIT(cpu, op);                                                                 \
		unsigned i = op->rd;                                                               \
		unsigned dst = op->aux & XA_DST_STI ? i : 0;                                       \
		unsigned src = op->aux & XA_DST_STI ? 0 : i;                                       \
		bool done;                                                                         \
		if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, i))) {                            \
			done = x87_stack_fault(cpu, false);                                        \
			if (done)                                                                  \
				x87_set(cpu, dst, X87_INDEF);                                      \
		} else {                                                                           \
			long double r;                                                             \
			uint16_t sw;                                                               \
			x87_host_prepare(cpu);                                                     \
			__asm__ volatile(insn " %%st(1), %%st" X87_TAIL("%1")                      \
					 : "=t"(r), "=m"(sw)                                       \
					 : "0"(*x87_st(cpu, dst)), "u"(*x87_st(cpu, src)) : "cc"); \
			done = x87_merge(cpu, sw, FSW_C1, X87_STOP_ARITH);                         \
			if (done)                                                                  \
				*x87_st(cpu, dst) = r;                                             \
		}                                                                                  \
		if (done && (op->aux & XA_POP))                                                    \
			x87_pop(cpu);                                                              \
		x87_note(cpu, op);                                                                 \
		return OP_NEXT(cpu, op);                                                            \
	}

/* Memory forms: st(0) = st(0) op m32fp/m64fp/m16int/m32int. The operand is a local in memory
 * for the asm, which keeps a call of the next op from being a tail call: these return to the
 * run loop instead (emu/chain.h). */
#define ARITH_M(kname, form, T, load, insn)                                      \
	static X87_OP(op_##kname##_##form)                                       \
	{                                                                        \
		X87_WAIT(cpu, op);                                               \
		uint64_t ea = op_ea(cpu, op);                                    \
		T m = (T)load(ea);                                               \
		if (unlikely(!x87_full(cpu, 0))) {                               \
			if (x87_stack_fault(cpu, false))                         \
				x87_set(cpu, 0, X87_INDEF);                      \
		} else {                                                         \
			long double r;                                           \
			uint16_t sw;                                             \
			x87_host_prepare(cpu);                                   \
			__asm__ volatile(insn " %2" X87_TAIL("%1")               \
					 : "=t"(r), "=m"(sw)                     \
					 : "m"(m), "0"(*x87_st(cpu, 0)) : "cc"); \
			if (x87_merge(cpu, sw, FSW_C1, X87_STOP_ARITH))          \
				*x87_st(cpu, 0) = r;                             \
		}                                                                \
		x87_note_mem(cpu, op, ea);                                       \
		return op + 1;                                                     \
	}

#define ARITH(kname, base)                                                      \
	ARITH_ST(kname, "f" base)                                               \
	ARITH_M(kname, f32, uint32_t, ld32, "f" base "s")                       \
	ARITH_M(kname, f64, uint64_t, ld64, "f" base "l")                       \
	ARITH_M(kname, i16, int16_t, ld16, "fi" base "s")                       \
	ARITH_M(kname, i32, int32_t, ld32, "fi" base "l")

ARITH(fadd, "add")
ARITH(fmul, "mul")
ARITH(fsub, "sub")
ARITH(fsubr, "subr")
ARITH(fdiv, "div")
ARITH(fdivr, "divr")

const op_fn x87_arith_st[XK_N] = {
	[XK_ADD] = op_fadd_st, [XK_MUL] = op_fmul_st, [XK_SUB] = op_fsub_st,
	[XK_SUBR] = op_fsubr_st, [XK_DIV] = op_fdiv_st, [XK_DIVR] = op_fdivr_st,
};

#define MFORMS(kname) { op_##kname##_f32, op_##kname##_f64, op_##kname##_i16, op_##kname##_i32 }
const op_fn x87_arith_m[XK_N][XM_N] = {
	[XK_ADD] = MFORMS(fadd), [XK_MUL] = MFORMS(fmul), [XK_SUB] = MFORMS(fsub),
	[XK_SUBR] = MFORMS(fsubr), [XK_DIV] = MFORMS(fdiv), [XK_DIVR] = MFORMS(fdivr),
};

/* ---- compares ---- */

/* The unordered result of a compare with an empty register (masked stack underflow). */
#define COM_UNORDERED (FSW_C0 | FSW_C2 | FSW_C3)

/* A compare's condition bits are set even when an exception the guest unmasked stops it. */
static bool com_merge(struct cpu *cpu, uint16_t sw)
{
	bool done = x87_merge(cpu, sw, FSW_CC, X87_STOP_ARITH);
	cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~FSW_CC) | (sw & FSW_CC));
	return done;
}

/* st(0) against st(i), C0 C2 C3 set as fcom does. False when the op does not complete. */
static bool com_st(struct cpu *cpu, unsigned i, bool unordered)
{
	if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, i))) {
		cpu->x87.fsw |= COM_UNORDERED;
		return x87_stack_fault(cpu, false);
	}
	uint16_t sw;
	x87_host_prepare(cpu);
	if (unordered)
		__asm__ volatile("fucom %%st(1)" X87_TAIL("%0")
				 : "=m"(sw) : "t"(*x87_st(cpu, 0)), "u"(*x87_st(cpu, i)) : "cc");
	else
		__asm__ volatile("fcom %%st(1)" X87_TAIL("%0")
				 : "=m"(sw) : "t"(*x87_st(cpu, 0)), "u"(*x87_st(cpu, i)) : "cc");
	return com_merge(cpu, sw);
}

/* fcom/fcomp st(i), fcompp (aux = how many to pop). */
X87_OP(op_fcom_st)
{
	X87_WAIT(cpu, op);
	if (com_st(cpu, op->rd, false))
		for (unsigned n = op->aux; n; n--)
			x87_pop(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fucom_st)
{
	X87_WAIT(cpu, op);
	if (com_st(cpu, op->rd, true))
		for (unsigned n = op->aux; n; n--)
			x87_pop(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* fcom/fcomp m32fp m64fp, ficom/ficomp m16int m32int (returning to the run loop, as above). */
#define COM_M(form, T, load, insn)                                                          \
	static X87_OP(op_fcom_##form)                                                       \
	{                                                                                   \
		X87_WAIT(cpu, op);                                                          \
		uint64_t ea = op_ea(cpu, op);                                               \
		T m = (T)load(ea);                                                          \
		bool done;                                                                  \
		if (unlikely(!x87_full(cpu, 0))) {                                          \
			cpu->x87.fsw |= COM_UNORDERED;                                      \
			done = x87_stack_fault(cpu, false);                                 \
		} else {                                                                    \
			uint16_t sw;                                                        \
			x87_host_prepare(cpu);                                              \
			__asm__ volatile(insn " %1" X87_TAIL("%0")                          \
					 : "=m"(sw) : "m"(m), "t"(*x87_st(cpu, 0)) : "cc"); \
			done = com_merge(cpu, sw);                                          \
		}                                                                           \
		if (done && op->aux)                                                        \
			x87_pop(cpu);                                                       \
		x87_note_mem(cpu, op, ea);                                                  \
		return op + 1;                                                                \
	}

COM_M(f32, uint32_t, ld32, "fcoms")
COM_M(f64, uint64_t, ld64, "fcoml")
COM_M(i16, int16_t, ld16, "ficoms")
COM_M(i32, int32_t, ld32, "ficoml")

const op_fn x87_fcom_m[XM_N] = { op_fcom_f32, op_fcom_f64, op_fcom_i16, op_fcom_i32 };

/* fcomi/fcomip/fucomi/fucomip: the compare's C3 C2 C0 land in ZF PF CF (OF SF AF clear),
 * even when an unmasked exception stops the op. The status word keeps its condition bits
 * (but C1, cleared by a stack fault). */
static const struct op *comi(struct cpu *cpu, const struct op *op, bool unordered)
{
	X87_WAIT(cpu, op);
	uint16_t old = cpu->x87.fsw;
	uint16_t keep = x87_full(cpu, 0) && x87_full(cpu, op->rd) ? FSW_CC :
			FSW_C0 | FSW_C2 | FSW_C3;
	bool done = com_st(cpu, op->rd, unordered);
	uint16_t sw = cpu->x87.fsw;
	flags_set_arith(cpu, (sw & FSW_C3 ? FL_ZF : 0) | (sw & FSW_C2 ? FL_PF : 0) |
				     (sw & FSW_C0 ? FL_CF : 0));
	cpu->x87.fsw = (uint16_t)((sw & ~keep) | (old & keep));
	if (done && (op->aux & XA_POP))
		x87_pop(cpu);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fcomi)
{
	return comi(cpu, op, false);
}

X87_OP(op_fucomi)
{
	return comi(cpu, op, true);
}

/* ftst: st(0) against +0.0. */
X87_OP(op_ftst)
{
	X87_WAIT(cpu, op);
	if (unlikely(!x87_full(cpu, 0))) {
		cpu->x87.fsw |= COM_UNORDERED;
		x87_stack_fault(cpu, false);
	} else {
		uint16_t sw;
		x87_host_prepare(cpu);
		__asm__ volatile("ftst" X87_TAIL("%0") : "=m"(sw) : "t"(*x87_st(cpu, 0)) : "cc");
		com_merge(cpu, sw);
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* fxam: the class of st(0) in C3 C2 C0, its sign in C1; an empty register is a class of its
 * own (C3 C0) and still shows the sign of what it last held. */
X87_OP(op_fxam)
{
	X87_WAIT(cpu, op);
	uint16_t cc;
	if (unlikely(!x87_full(cpu, 0))) {
		union x87_bits u = { .v = *x87_st(cpu, 0) };
		cc = FSW_C3 | FSW_C0 | (u.b.se & 0x8000 ? FSW_C1 : 0);
	} else {
		uint16_t sw;
		__asm__ volatile("fxam\n\tfnstsw %0" : "=m"(sw) : "t"(*x87_st(cpu, 0)));
		cc = sw & FSW_CC;
	}
	cpu->x87.fsw = (uint16_t)((cpu->x87.fsw & ~FSW_CC) | cc);
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}

/* fcmovcc st(0), st(i). */
X87_OP(op_fcmov)
{
	X87_WAIT(cpu, op);
	unsigned i = op->rd;
	if (unlikely(!x87_full(cpu, 0) || !x87_full(cpu, i))) {
		if (x87_stack_fault(cpu, false))
			x87_set(cpu, 0, X87_INDEF);
	} else if (flags_cond(cpu, op->aux)) {
		x87_set(cpu, 0, *x87_st(cpu, i));
	}
	x87_note(cpu, op);
	return OP_NEXT(cpu, op);
}
