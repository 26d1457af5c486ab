/* ALU ops: add or adc sbb and sub xor cmp test (every register, memory and immediate form at
 * every size, lock-prefixed memory destinations as host atomics) and inc dec neg not.
 *
 * Each handler is generated for one form and one size, so nothing is decoded at run time:
 * CALC_<op> is the result, FLAGS_<op> records the lazy flags, WB_<op> says whether the
 * result is written back (cmp and test only set flags). */
#include "ops_int.h"
#include "op_flow.h"

#define CALC_add(a, b, c) ((a) + (b))
#define CALC_or(a, b, c) ((a) | (b))
#define CALC_adc(a, b, c) ((a) + (b) + (c))
#define CALC_sbb(a, b, c) ((a) - (b) - (c))
#define CALC_and(a, b, c) ((a) & (b))
#define CALC_sub(a, b, c) ((a) - (b))
#define CALC_xor(a, b, c) ((a) ^ (b))
#define CALC_cmp CALC_sub
#define CALC_test CALC_and

#define CIN_add(cpu) 0
#define CIN_or(cpu) 0
#define CIN_adc(cpu) flags_cf(cpu)
#define CIN_sbb(cpu) flags_cf(cpu)
#define CIN_and(cpu) 0
#define CIN_sub(cpu) 0
#define CIN_xor(cpu) 0
#define CIN_cmp(cpu) 0
#define CIN_test(cpu) 0

#define FLAGS_add(cpu, n, r, a, b, c) flags_lazy(cpu, FLK_ADD, n, r, a, b)
#define FLAGS_or(cpu, n, r, a, b, c) flags_logic(cpu, n, r)
#define FLAGS_adc(cpu, n, r, a, b, c) flags_lazy_carry(cpu, FLK_ADC, n, r, a, b, c)
#define FLAGS_sbb(cpu, n, r, a, b, c) flags_lazy_carry(cpu, FLK_SBB, n, r, a, b, c)
#define FLAGS_and(cpu, n, r, a, b, c) flags_logic(cpu, n, r)
#define FLAGS_sub(cpu, n, r, a, b, c) flags_lazy(cpu, FLK_SUB, n, r, a, b)
#define FLAGS_xor(cpu, n, r, a, b, c) flags_logic(cpu, n, r)
#define FLAGS_cmp FLAGS_sub
#define FLAGS_test FLAGS_and

#define WB_add 1
#define WB_or 1
#define WB_adc 1
#define WB_sbb 1
#define WB_and 1
#define WB_sub 1
#define WB_xor 1
#define WB_cmp 0
#define WB_test 0

/* The old value of *p after atomically applying the op (a compare-exchange loop where the
 * host has no fetch-op instruction returning the old value). */
#define ATOMIC_add(p, b, c) __atomic_fetch_add(p, b, __ATOMIC_SEQ_CST)
#define ATOMIC_sub(p, b, c) __atomic_fetch_sub(p, b, __ATOMIC_SEQ_CST)
#define ATOMIC_CAS(name, p, b, c)                                                          \
	({                                                                                 \
		__typeof__(*(p)) old_ = __atomic_load_n(p, __ATOMIC_RELAXED);              \
		while (!__atomic_compare_exchange_n(p, &old_,                              \
						    (__typeof__(*(p)))CALC_##name(old_, b, c), \
						    true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) \
			;                                                                  \
		old_;                                                                      \
	})
#define ATOMIC_or(p, b, c) ATOMIC_CAS(or, p, b, c)
#define ATOMIC_adc(p, b, c) ATOMIC_CAS(adc, p, b, c)
#define ATOMIC_sbb(p, b, c) ATOMIC_CAS(sbb, p, b, c)
#define ATOMIC_and(p, b, c) ATOMIC_CAS(and, p, b, c)
#define ATOMIC_xor(p, b, c) ATOMIC_CAS(xor, p, b, c)

#define HANDLER(name) static const struct op *name(struct cpu *cpu, const struct op *op)
#define U(n) uint##n##_t
#define GUEST_PTR(n, addr) ((U(n) *)(uintptr_t)(addr))

/* The body shared by every form: a and b the operands, the result r written back by `wb`
 * (nothing for cmp and test), the flags recorded when F. */
#define ALU_BODY(name, n, F, a_, b_, wb)                                                     \
	U(n) a = (a_), b = (b_);                                                             \
	unsigned c = CIN_##name(cpu);                                                        \
	(void)c;                                                                             \
	U(n) r = (U(n))CALC_##name(a, b, c);                                                 \
	if (WB_##name)                                                                       \
		wb;                                                                          \
	if (F)                                                                               \
		FLAGS_##name(cpu, n, r, a, b, c);                                            \
	return OP_NEXT(cpu, op);

/* One operation at one size, plain register forms; with F = 0 (suffix _nf) the variant that
 * records no flags, for when nothing reads them (emu/decode_flow.c). */
#define ALU_REG_F(name, n, sfx, F)                                                           \
	HANDLER(op_##name##_r##n##_r##n##sfx)                                                 \
	{                                                                                    \
		ALU_BODY(name, n, F, gpr_get##n(cpu, op->rd), gpr_get##n(cpu, op->rs),      \
			 gpr_set##n(cpu, op->rd, r))                                         \
	}                                                                                    \
	HANDLER(op_##name##_r##n##_i##sfx)                                                    \
	{                                                                                    \
		ALU_BODY(name, n, F, gpr_get##n(cpu, op->rd), (U(n))op->imm,                \
			 gpr_set##n(cpu, op->rd, r))                                         \
	}
/* The memory forms, with the address from `ea` (op_ea, or op_ea_bd for the _bd variants the
 * decoder picks for a [base + disp] operand). The store comes before the flags: a fault on it
 * leaves them as they were. */
#define ALU_MEM_F(name, n, sfx, F, ea)                                                       \
	HANDLER(op_##name##_r##n##_m##n##sfx)                                                 \
	{                                                                                    \
		ALU_BODY(name, n, F, gpr_get##n(cpu, op->rd), ld##n(ea(cpu, op)),            \
			 gpr_set##n(cpu, op->rd, r))                                         \
	}                                                                                    \
	HANDLER(op_##name##_m##n##_r##n##sfx)                                                 \
	{                                                                                    \
		uint64_t addr = ea(cpu, op);                                                 \
		ALU_BODY(name, n, F, ld##n(addr), gpr_get##n(cpu, op->rs), st##n(addr, r))  \
	}                                                                                    \
	HANDLER(op_##name##_m##n##_i##sfx)                                                    \
	{                                                                                    \
		uint64_t addr = ea(cpu, op);                                                 \
		ALU_BODY(name, n, F, ld##n(addr), (U(n))op->imm, st##n(addr, r))            \
	}

#define ALU_PLAIN(name, n)                                                                   \
	ALU_REG_F(name, n, , 1) ALU_REG_F(name, n, _nf, 0)                                   \
	ALU_MEM_F(name, n, , 1, op_ea) ALU_MEM_F(name, n, _nf, 0, op_ea)                     \
	ALU_MEM_F(name, n, _bd, 1, op_ea_bd) ALU_MEM_F(name, n, _bd_nf, 0, op_ea_bd)
/* cmp and test: no variant without flags (a register form without them is a nop). */
#define ALU_PLAIN_ONLY(name, n)                                                              \
	ALU_REG_F(name, n, , 1) ALU_MEM_F(name, n, , 1, op_ea) ALU_MEM_F(name, n, _bd, 1, op_ea_bd)

/* Lock-prefixed memory destinations. */
#define ALU_LOCKED(name, n)                                                             \
	HANDLER(op_##name##_lm##n##_r##n)                                               \
	{                                                                               \
		U(n) *p = GUEST_PTR(n, op_ea(cpu, op));                                 \
		U(n) b = gpr_get##n(cpu, op->rs);                                       \
		unsigned c = CIN_##name(cpu);                                           \
		(void)c;                                                                \
		U(n) a = ATOMIC_##name(p, b, c);                                        \
		U(n) r = (U(n))CALC_##name(a, b, c);                                    \
		FLAGS_##name(cpu, n, r, a, b, c);                                       \
		return OP_NEXT(cpu, op);                                                 \
	}                                                                               \
	HANDLER(op_##name##_lm##n##_i)                                                  \
	{                                                                               \
		U(n) *p = GUEST_PTR(n, op_ea(cpu, op));                                 \
		U(n) b = (U(n))op->imm;                                                 \
		unsigned c = CIN_##name(cpu);                                           \
		(void)c;                                                                \
		U(n) a = ATOMIC_##name(p, b, c);                                        \
		U(n) r = (U(n))CALC_##name(a, b, c);                                    \
		FLAGS_##name(cpu, n, r, a, b, c);                                       \
		return OP_NEXT(cpu, op);                                                 \
	}

#define ALU_ALL_SIZES(gen, name) gen(name, 8) gen(name, 16) gen(name, 32) gen(name, 64)

#define ALU_OP(name) ALU_ALL_SIZES(ALU_PLAIN, name) ALU_ALL_SIZES(ALU_LOCKED, name)
ALU_OP(add)
ALU_OP(or)
ALU_OP(adc)
ALU_OP(sbb)
ALU_OP(and)
ALU_OP(sub)
ALU_OP(xor)
ALU_ALL_SIZES(ALU_PLAIN_ONLY, cmp)
ALU_ALL_SIZES(ALU_PLAIN_ONLY, test)

#define SIZES(pre, post) { pre##8##post, pre##16##post, pre##32##post, pre##64##post }
#define SIZES2(pre, mid, post) \
	{ pre##8##mid##8##post, pre##16##mid##16##post, pre##32##mid##32##post, pre##64##mid##64##post }

#define ALU_ROW_PLAIN(name)                                \
	[FORM_RR] = SIZES2(op_##name##_r, _r, ),           \
	[FORM_RM] = SIZES2(op_##name##_r, _m, ),           \
	[FORM_MR] = SIZES2(op_##name##_m, _r, ),           \
	[FORM_RI] = SIZES(op_##name##_r, _i),              \
	[FORM_MI] = SIZES(op_##name##_m, _i)
#define ALU_ROW(name)                                      \
	{ ALU_ROW_PLAIN(name),                             \
	  [FORM_LMR] = SIZES2(op_##name##_lm, _r, ),       \
	  [FORM_LMI] = SIZES(op_##name##_lm, _i) }

const op_fn ops_alu[ALU_N][FORM_N][SZ_N] = {
	[ALU_ADD] = ALU_ROW(add),
	[ALU_OR] = ALU_ROW(or),
	[ALU_ADC] = ALU_ROW(adc),
	[ALU_SBB] = ALU_ROW(sbb),
	[ALU_AND] = ALU_ROW(and),
	[ALU_SUB] = ALU_ROW(sub),
	[ALU_XOR] = ALU_ROW(xor),
	[ALU_CMP] = { ALU_ROW_PLAIN(cmp) },
	[ALU_TEST] = { ALU_ROW_PLAIN(test) },
};

/* ---- inc dec neg not ---- */

#define UCALC_inc(a) ((a) + 1)
#define UCALC_dec(a) ((a) - 1)
#define UCALC_neg(a) (0 - (a))
#define UCALC_not(a) (~(a))
#define UFLAGS_inc(cpu, n, r, a) flags_lazy(cpu, FLK_INC, n, r, a, 1)
#define UFLAGS_dec(cpu, n, r, a) flags_lazy(cpu, FLK_DEC, n, r, a, 1)
#define UFLAGS_neg(cpu, n, r, a) flags_lazy(cpu, FLK_NEG, n, r, a, 0)
#define UFLAGS_not(cpu, n, r, a) ((void)0)
#define UATOMIC_inc(p) __atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST)
#define UATOMIC_dec(p) __atomic_fetch_sub(p, 1, __ATOMIC_SEQ_CST)
#define UATOMIC_not(p) __atomic_fetch_xor(p, (__typeof__(*(p)))~0ull, __ATOMIC_SEQ_CST)
#define UATOMIC_neg(p)                                                                     \
	({                                                                                 \
		__typeof__(*(p)) old_ = __atomic_load_n(p, __ATOMIC_RELAXED);              \
		while (!__atomic_compare_exchange_n(p, &old_, (__typeof__(*(p)))(0 - old_), \
						    true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) \
			;                                                                  \
		old_;                                                                      \
	})

#define UNARY_F(name, n, sfx, F)                                                  \
	HANDLER(op_##name##_r##n##sfx)                                       \
	{                                                               \
		U(n) a = gpr_get##n(cpu, op->rd);                       \
		U(n) r = (U(n))UCALC_##name(a);                         \
		if (F)                                                  \
			UFLAGS_##name(cpu, n, r, a);                    \
		gpr_set##n(cpu, op->rd, r);                             \
		return OP_NEXT(cpu, op);                                 \
	}                                                               \
	HANDLER(op_##name##_m##n##sfx)                                       \
	{                                                               \
		uint64_t ea = op_ea(cpu, op);                           \
		U(n) a = ld##n(ea);                                     \
		U(n) r = (U(n))UCALC_##name(a);                         \
		st##n(ea, r);                                           \
		if (F)                                                  \
			UFLAGS_##name(cpu, n, r, a);                    \
		return OP_NEXT(cpu, op);                                 \
	}

#define UNARY_LM(name, n)                                               \
	HANDLER(op_##name##_lm##n)                                      \
	{                                                               \
		U(n) *p = GUEST_PTR(n, op_ea(cpu, op));                 \
		U(n) a = UATOMIC_##name(p);                             \
		U(n) r = (U(n))UCALC_##name(a);                         \
		(void)r;                                                \
		UFLAGS_##name(cpu, n, r, a);                            \
		return OP_NEXT(cpu, op);                                 \
	}

#define UNARY(name, n) UNARY_F(name, n, , 1) UNARY_F(name, n, _nf, 0) UNARY_LM(name, n)
#define UNARY_NOFLAGS(name, n) UNARY_F(name, n, , 1) UNARY_LM(name, n)

ALU_ALL_SIZES(UNARY, inc)
ALU_ALL_SIZES(UNARY, dec)
ALU_ALL_SIZES(UNARY, neg)
ALU_ALL_SIZES(UNARY_NOFLAGS, not)

#define UN_ROW(name)                                  \
	{ [UFORM_R] = SIZES(op_##name##_r, ),         \
	  [UFORM_M] = SIZES(op_##name##_m, ),         \
	  [UFORM_LM] = SIZES(op_##name##_lm, ) }

const op_fn ops_unary[UN_N][UFORM_N][SZ_N] = {
	[UN_INC] = UN_ROW(inc),
	[UN_DEC] = UN_ROW(dec),
	[UN_NEG] = UN_ROW(neg),
	[UN_NOT] = UN_ROW(not),
};

/* ---- what each handler does with the flags (emu/op_flow.h) ---- */

#define NF(fn) fn##_nf
/* A memory form: the generic one with its variants, the [base + disp] one with its own. */
#define MEM_FLOW(fn, rd, w)                                                                  \
	OP_FLOW_BD(fn, fn##_nf, fn##_bd, rd, w, w, true) OP_FLOW(fn##_bd, fn##_bd_nf, rd, w, w, true)
#define ALU_FLOW_F(name, n, rd)                                                              \
	OP_FLOW(op_##name##_r##n##_r##n, NF(op_##name##_r##n##_r##n), rd, FL_ARITH, FL_ARITH, false) \
	OP_FLOW(op_##name##_r##n##_i, NF(op_##name##_r##n##_i), rd, FL_ARITH, FL_ARITH, false)       \
	MEM_FLOW(op_##name##_r##n##_m##n, rd, FL_ARITH)                                       \
	MEM_FLOW(op_##name##_m##n##_r##n, rd, FL_ARITH)                                       \
	MEM_FLOW(op_##name##_m##n##_i, rd, FL_ARITH)
#define ALU_FLOW(name, n) ALU_FLOW_F(name, n, 0)
#define ALU_FLOW_CARRY(name, n) ALU_FLOW_F(name, n, FL_CF)
/* cmp and test only set flags: unread, a register form is a nop. */
#define CMP_MEM_FLOW(fn)                                                                     \
	OP_FLOW_BD(fn, NULL, fn##_bd, 0, FL_ARITH, FL_ARITH, true)                            \
	OP_FLOW(fn##_bd, NULL, 0, FL_ARITH, FL_ARITH, true)
#define CMP_FLOW(name, n)                                                                    \
	OP_FLOW(op_##name##_r##n##_r##n, op_nop, 0, FL_ARITH, FL_ARITH, false)                \
	OP_FLOW(op_##name##_r##n##_i, op_nop, 0, FL_ARITH, FL_ARITH, false)                   \
	CMP_MEM_FLOW(op_##name##_r##n##_m##n) CMP_MEM_FLOW(op_##name##_m##n##_r##n)           \
	CMP_MEM_FLOW(op_##name##_m##n##_i)
#define UNARY_FLOW_K(name, n, kills)                                                         \
	OP_FLOW(op_##name##_r##n, NF(op_##name##_r##n), 0, kills, kills, false)               \
	OP_FLOW(op_##name##_m##n, NF(op_##name##_m##n), 0, kills, kills, true)
/* inc and dec keep CF. */
#define INCDEC_FLOW(name, n) UNARY_FLOW_K(name, n, FL_ARITH & ~FL_CF)
#define NEG_FLOW(name, n) UNARY_FLOW_K(name, n, FL_ARITH)
#define NOT_FLOW(name, n) OP_FLOW_PLAIN(op_not_r##n) OP_FLOW_MEM(op_not_m##n)

const struct op_flow ops_alu_flow[] = {
	ALU_ALL_SIZES(ALU_FLOW, add) ALU_ALL_SIZES(ALU_FLOW, or) ALU_ALL_SIZES(ALU_FLOW_CARRY, adc)
	ALU_ALL_SIZES(ALU_FLOW_CARRY, sbb) ALU_ALL_SIZES(ALU_FLOW, and)
	ALU_ALL_SIZES(ALU_FLOW, sub) ALU_ALL_SIZES(ALU_FLOW, xor)
	ALU_ALL_SIZES(CMP_FLOW, cmp) ALU_ALL_SIZES(CMP_FLOW, test)
	ALU_ALL_SIZES(INCDEC_FLOW, inc) ALU_ALL_SIZES(INCDEC_FLOW, dec)
	ALU_ALL_SIZES(NEG_FLOW, neg) ALU_ALL_SIZES(NOT_FLOW, not)
	{ 0 }
};
