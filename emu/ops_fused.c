/* Compare and branch: a cmp or test (or a sub, and, add, inc or dec of a register) followed
 * by the jcc that ends its block, run as one op (the decoder's fusion pass,
 * emu/decode_flow.c). The cmp/test op takes the fused handler;
 * the jcc op after it stays in the block, never run, for its target (imm) and its length.
 * The flags are recorded as cmp/test records them (whatever runs next may read them), and the
 * branch is decided from the operands without reading them back. Conditions that need the
 * flags materialised (o, no, p, np after cmp or sub; p, np after test or and; all but e, ne,
 * s, ns after add, inc and dec) are not fused.
 *
 * A memory operand faults at the cmp/test op, whose pc is the instruction's own. */
#include "ops_int.h"
#include "chain.h"

#define HANDLER(name) static const struct op *name(struct cpu *cpu, const struct op *op)
#define U(n) uint##n##_t
#define AI static inline __attribute__((always_inline)) const struct op *

/* The condition codes fused after cmp and after test, with their numbers. */
#define CC_CMP(X, f, n)                                                                      \
	X(2, b, f, n) X(3, ae, f, n) X(4, e, f, n) X(5, ne, f, n) X(6, be, f, n) X(7, a, f, n) \
	X(8, s, f, n) X(9, ns, f, n) X(12, l, f, n) X(13, ge, f, n) X(14, le, f, n) X(15, g, f, n)
#define CC_TEST(X, f, n) CC_CMP(X, f, n) X(0, o, f, n) X(1, no, f, n)
#define CC_ZS(X, f, n) X(4, e, f, n) X(5, ne, f, n) X(8, s, f, n) X(9, ns, f, n)

static inline __attribute__((always_inline)) void op_gpr_set(struct cpu *cpu, unsigned rd,
								    uint64_t v, unsigned n)
{
	switch (n) {
	case 8: gpr_set8(cpu, rd, (uint8_t)v); break;
	case 16: gpr_set16(cpu, rd, (uint16_t)v); break;
	case 32: gpr_set32(cpu, rd, (uint32_t)v); break;
	default: gpr_set64(cpu, rd, v); break;
	}
}

AI fused_branch(struct cpu *cpu, const struct op *op, int taken)
{
	const struct op *j = op + 1;
	return op_goto(cpu, taken ? (uint64_t)j->imm : op_next_pc(j));
}

AI cmp_branch(struct cpu *cpu, const struct op *op, uint64_t a, uint64_t b, unsigned n, unsigned cc)
{
	uint64_t r = a - b;
	flags_lazy(cpu, FLK_SUB, n, r, a, b);
	return fused_branch(cpu, op, flags_cond_sub((uint64_t)flags_sext(a, n),
						    (uint64_t)flags_sext(b, n), flags_sext(r, n), cc));
}

AI test_branch(struct cpu *cpu, const struct op *op, uint64_t a, uint64_t b, unsigned n,
	       unsigned cc)
{
	uint64_t r = a & b;
	flags_logic(cpu, n, r);
	return fused_branch(cpu, op, flags_cond_logic(flags_sext(r, n), cc));
}

/* The register writers: the result written back, the flags recorded as the plain handler
 * records them. */
AI sub_branch(struct cpu *cpu, const struct op *op, uint64_t a, uint64_t b, unsigned n, unsigned cc)
{
	uint64_t r = a - b;
	flags_lazy(cpu, FLK_SUB, n, r, a, b);
	op_gpr_set(cpu, op->rd, r, n);
	return fused_branch(cpu, op, flags_cond_sub((uint64_t)flags_sext(a, n),
						    (uint64_t)flags_sext(b, n), flags_sext(r, n), cc));
}

AI and_branch(struct cpu *cpu, const struct op *op, uint64_t a, uint64_t b, unsigned n, unsigned cc)
{
	uint64_t r = a & b;
	flags_logic(cpu, n, r);
	op_gpr_set(cpu, op->rd, r, n);
	return fused_branch(cpu, op, flags_cond_logic(flags_sext(r, n), cc));
}

/* add, inc, dec: e, ne, s, ns only, which need just the result. */
AI zs_branch(struct cpu *cpu, const struct op *op, uint64_t r, unsigned n, unsigned cc)
{
	op_gpr_set(cpu, op->rd, r, n);
	int64_t v = flags_sext(r, n);
	return fused_branch(cpu, op, cc == CC_E ? v == 0 : cc == CC_NE ? v != 0 : cc == CC_S ? v < 0 : v >= 0);
}

AI add_branch(struct cpu *cpu, const struct op *op, uint64_t a, uint64_t b, unsigned n, unsigned cc)
{
	uint64_t r = a + b;
	flags_lazy(cpu, FLK_ADD, n, r, a, b);
	return zs_branch(cpu, op, r, n, cc);
}

AI incdec_branch(struct cpu *cpu, const struct op *op, uint64_t a, bool inc, unsigned n,
		 unsigned cc)
{
	uint64_t r = inc ? a + 1 : a - 1;
	flags_lazy(cpu, inc ? FLK_INC : FLK_DEC, n, r, a, 1);
	return zs_branch(cpu, op, r, n, cc);
}

/* Operands of each form (Intel order: first, second). */
#define A_RR(n) gpr_get##n(cpu, op->rd)
#define B_RR(n) gpr_get##n(cpu, op->rs)
#define A_RI(n) gpr_get##n(cpu, op->rd)
#define B_RI(n) (U(n))op->imm
#define A_RM(n) gpr_get##n(cpu, op->rd)
#define B_RM(n) ld##n(op_ea(cpu, op))
#define A_MR(n) ld##n(op_ea(cpu, op))
#define B_MR(n) gpr_get##n(cpu, op->rs)
#define A_MI(n) ld##n(op_ea(cpu, op))
#define B_MI(n) (U(n))op->imm
/* The memory forms with a [base + disp] operand (op_ea_bd). */
#define A_RMB(n) gpr_get##n(cpu, op->rd)
#define B_RMB(n) ld##n(op_ea_bd(cpu, op))
#define A_MRB(n) ld##n(op_ea_bd(cpu, op))
#define B_MRB(n) gpr_get##n(cpu, op->rs)
#define A_MIB(n) ld##n(op_ea_bd(cpu, op))
#define B_MIB(n) (U(n))op->imm

#define DEF_CMP(cc, name, f, n)                                                              \
	HANDLER(op_cmp_##f##n##_j##name)                                                      \
	{                                                                                    \
		U(n) a = A_##f(n), b = B_##f(n);                                             \
		return cmp_branch(cpu, op, a, b, n, cc);                                     \
	}
#define DEF_TEST(cc, name, f, n)                                                             \
	HANDLER(op_test_##f##n##_j##name)                                                     \
	{                                                                                    \
		U(n) a = A_##f(n), b = B_##f(n);                                             \
		return test_branch(cpu, op, a, b, n, cc);                                    \
	}
#define DEF_ALU(kind, list)                                                                  \
	DEF_ALU_F(kind, list, RR) DEF_ALU_F(kind, list, RI)
#define DEF_ALU_F(kind, list, f) SIZES4(DEF_##kind, list, f)
#define DEF_SUB(cc, name, f, n)                                                              \
	HANDLER(op_sub_##f##n##_j##name)                                                      \
	{                                                                                    \
		return sub_branch(cpu, op, A_##f(n), B_##f(n), n, cc);                       \
	}
#define DEF_AND(cc, name, f, n)                                                              \
	HANDLER(op_and_##f##n##_j##name)                                                      \
	{                                                                                    \
		return and_branch(cpu, op, A_##f(n), B_##f(n), n, cc);                       \
	}
#define DEF_ADD(cc, name, f, n)                                                              \
	HANDLER(op_add_##f##n##_j##name)                                                      \
	{                                                                                    \
		return add_branch(cpu, op, A_##f(n), B_##f(n), n, cc);                       \
	}
#define DEF_INC(cc, name, f, n)                                                              \
	HANDLER(op_inc_r##n##_j##name)                                                        \
	{                                                                                    \
		return incdec_branch(cpu, op, gpr_get##n(cpu, op->rd), true, n, cc);         \
	}
#define DEF_DEC(cc, name, f, n)                                                              \
	HANDLER(op_dec_r##n##_j##name)                                                        \
	{                                                                                    \
		return incdec_branch(cpu, op, gpr_get##n(cpu, op->rd), false, n, cc);        \
	}
#define SIZES4(gen, list, f) list(gen, f, 8) list(gen, f, 16) list(gen, f, 32) list(gen, f, 64)
SIZES4(DEF_CMP, CC_CMP, RR)
SIZES4(DEF_CMP, CC_CMP, RI)
SIZES4(DEF_CMP, CC_CMP, RM)
SIZES4(DEF_CMP, CC_CMP, MR)
SIZES4(DEF_CMP, CC_CMP, MI)
SIZES4(DEF_TEST, CC_TEST, RR)
SIZES4(DEF_TEST, CC_TEST, RI)
SIZES4(DEF_TEST, CC_TEST, MR)
SIZES4(DEF_TEST, CC_TEST, MI)
DEF_ALU(SUB, CC_CMP)
DEF_ALU(AND, CC_TEST)
DEF_ALU(ADD, CC_ZS)
SIZES4(DEF_INC, CC_ZS, R)
SIZES4(DEF_DEC, CC_ZS, R)
SIZES4(DEF_CMP, CC_CMP, RMB)
SIZES4(DEF_CMP, CC_CMP, MRB)
SIZES4(DEF_CMP, CC_CMP, MIB)
SIZES4(DEF_TEST, CC_TEST, MRB)
SIZES4(DEF_TEST, CC_TEST, MIB)

#define ENTRY_CMP(cc, name, f, n) [cc] = op_cmp_##f##n##_j##name,
#define ENTRY_TEST(cc, name, f, n) [cc] = op_test_##f##n##_j##name,
#define ROW(entry, list, f)                                                                  \
	{ { list(entry, f, 8) }, { list(entry, f, 16) }, { list(entry, f, 32) },             \
	  { list(entry, f, 64) } }

const op_fn ops_fused[2][FORM_MI + 1][SZ_N][16] = {
	{
		[FORM_RR] = ROW(ENTRY_CMP, CC_CMP, RR),
		[FORM_RI] = ROW(ENTRY_CMP, CC_CMP, RI),
		[FORM_RM] = ROW(ENTRY_CMP, CC_CMP, RM),
		[FORM_MR] = ROW(ENTRY_CMP, CC_CMP, MR),
		[FORM_MI] = ROW(ENTRY_CMP, CC_CMP, MI),
	},
	{
		[FORM_RR] = ROW(ENTRY_TEST, CC_TEST, RR),
		[FORM_RI] = ROW(ENTRY_TEST, CC_TEST, RI),
		[FORM_MR] = ROW(ENTRY_TEST, CC_TEST, MR),
		[FORM_MI] = ROW(ENTRY_TEST, CC_TEST, MI),
	},
};
const op_fn ops_fused_bd[2][FORM_MI + 1][SZ_N][16] = {
	{
		[FORM_RM] = ROW(ENTRY_CMP, CC_CMP, RMB),
		[FORM_MR] = ROW(ENTRY_CMP, CC_CMP, MRB),
		[FORM_MI] = ROW(ENTRY_CMP, CC_CMP, MIB),
	},
	{
		[FORM_MR] = ROW(ENTRY_TEST, CC_TEST, MRB),
		[FORM_MI] = ROW(ENTRY_TEST, CC_TEST, MIB),
	},
};

#define ENTRY_SUB(cc, name, f, n) [cc] = op_sub_##f##n##_j##name,
#define ENTRY_AND(cc, name, f, n) [cc] = op_and_##f##n##_j##name,
#define ENTRY_ADD(cc, name, f, n) [cc] = op_add_##f##n##_j##name,
#define ENTRY_INC(cc, name, f, n) [cc] = op_inc_r##n##_j##name,
#define ENTRY_DEC(cc, name, f, n) [cc] = op_dec_r##n##_j##name,
const op_fn ops_fused_alu[FUSE_N][2][SZ_N][16] = {
	[FUSE_SUB] = { ROW(ENTRY_SUB, CC_CMP, RR), ROW(ENTRY_SUB, CC_CMP, RI) },
	[FUSE_AND] = { ROW(ENTRY_AND, CC_TEST, RR), ROW(ENTRY_AND, CC_TEST, RI) },
	[FUSE_ADD] = { ROW(ENTRY_ADD, CC_ZS, RR), ROW(ENTRY_ADD, CC_ZS, RI) },
	[FUSE_INC] = { ROW(ENTRY_INC, CC_ZS, R) },
	[FUSE_DEC] = { ROW(ENTRY_DEC, CC_ZS, R) },
};
