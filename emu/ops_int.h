/* Handler tables of the core integer ops (emu/ops_alu.c, ops_mov.c, ops_branch.c), indexed
 * by operation, form and size, for the lowering in emu/decode_int.c.
 *
 * Size index SZ_8..SZ_64 (8, 16, 32, 64 bits). Forms name the operands in Intel order:
 * r = register (op->rd destination, op->rs source), m = memory (op_ea), i = immediate
 * (op->imm), lm = a lock-prefixed memory destination, run as one host atomic. */
#ifndef SFDEMU_OPS_INT_H
#define SFDEMU_OPS_INT_H

#include "op.h"
#include "flags.h"

enum { SZ_8, SZ_16, SZ_32, SZ_64, SZ_N };

/* The size index of an operand of `bytes` bytes, or -1. */
static inline int size_index(unsigned bytes)
{
	switch (bytes) {
	case 1: return SZ_8;
	case 2: return SZ_16;
	case 4: return SZ_32;
	case 8: return SZ_64;
	default: return -1;
	}
}

/* For the lowerers: choose fn; false when the form has no handler (fn is NULL). */
static inline bool set_fn(struct op *op, op_fn fn)
{
	op->fn = fn;
	return fn != NULL;
}

/* add or adc sbb and sub xor cmp test: the ALU ops that share the r/m, r/m, imm forms. */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST,
	      ALU_N };
enum alu_form { FORM_RR, FORM_RM, FORM_MR, FORM_RI, FORM_MI, FORM_LMR, FORM_LMI, FORM_N };
/* NULL where the form does not exist (lock cmp, lock test). */
extern const op_fn ops_alu[ALU_N][FORM_N][SZ_N];

/* inc dec neg not: forms r, m, lm. */
enum un_op { UN_INC, UN_DEC, UN_NEG, UN_NOT, UN_N };
enum un_form { UFORM_R, UFORM_M, UFORM_LM, UFORM_N };
extern const op_fn ops_unary[UN_N][UFORM_N][SZ_N];

/* mov: forms rr, rm, mr, ri, mi (FORM_RR..FORM_MI). */
extern const op_fn ops_mov[FORM_MI + 1][SZ_N];
/* movzx/movsx/movsxd: [destination size][source size][0 = register, 1 = memory source];
 * NULL where the pair does not exist. */
extern const op_fn ops_movzx[SZ_N][SZ_N][2];
extern const op_fn ops_movsx[SZ_N][SZ_N][2];
/* lea by destination size (16, 32, 64). */
extern const op_fn ops_lea[SZ_N];
/* xchg: [0 = register pair, 1 = memory and register (always atomic)][size]. */
extern const op_fn ops_xchg[2][SZ_N];

const struct op *op_nop(struct cpu *cpu, const struct op *op);
const struct op *op_mfence(struct cpu *cpu, const struct op *op);
const struct op *op_cbw(struct cpu *cpu, const struct op *op);
const struct op *op_cwde(struct cpu *cpu, const struct op *op);
const struct op *op_cdqe(struct cpu *cpu, const struct op *op);
const struct op *op_cwd(struct cpu *cpu, const struct op *op);
const struct op *op_cdq(struct cpu *cpu, const struct op *op);
const struct op *op_cqo(struct cpu *cpu, const struct op *op);

/* Stack. */
const struct op *op_push_r64(struct cpu *cpu, const struct op *op);
const struct op *op_push_r16(struct cpu *cpu, const struct op *op);
const struct op *op_push_m64(struct cpu *cpu, const struct op *op);
const struct op *op_push_m16(struct cpu *cpu, const struct op *op);
const struct op *op_push_i64(struct cpu *cpu, const struct op *op);
const struct op *op_push_i16(struct cpu *cpu, const struct op *op);
const struct op *op_pop_r64(struct cpu *cpu, const struct op *op);
const struct op *op_pop_r16(struct cpu *cpu, const struct op *op);
const struct op *op_pop_m64(struct cpu *cpu, const struct op *op);
const struct op *op_pop_m16(struct cpu *cpu, const struct op *op);
const struct op *op_leave(struct cpu *cpu, const struct op *op);

/* Control transfer: targets in op->imm (absolute). */
extern const op_fn ops_jcc[16];
extern const op_fn ops_setcc[2][16];          /* [0 = r8, 1 = m8][cc] */
extern const op_fn ops_cmov[SZ_N][2][16];     /* [size 16/32/64][0 = reg, 1 = mem][cc] */
/* cmp [0] and test [1] fused with the jcc ending the block after them (emu/ops_fused.c):
 * [form FORM_RR..FORM_MI][size][cc], NULL where not fused. */
extern const op_fn ops_fused[2][FORM_MI + 1][SZ_N][16];
/* The same for the [base + disp] variants of the memory forms (emu/op_flow.h). */
extern const op_fn ops_fused_bd[2][FORM_MI + 1][SZ_N][16];
/* Register writers fused with the jcc after them: sub, and, add [FORM_RR or FORM_RI], inc and
 * dec [0]; [size][cc]. */
enum { FUSE_SUB, FUSE_AND, FUSE_ADD, FUSE_INC, FUSE_DEC, FUSE_N };
extern const op_fn ops_fused_alu[FUSE_N][2][SZ_N][16];
const struct op *op_jmp(struct cpu *cpu, const struct op *op);
const struct op *op_jmp_r64(struct cpu *cpu, const struct op *op);
const struct op *op_jmp_m64(struct cpu *cpu, const struct op *op);
const struct op *op_call(struct cpu *cpu, const struct op *op);
const struct op *op_call_r64(struct cpu *cpu, const struct op *op);
const struct op *op_call_m64(struct cpu *cpu, const struct op *op);
const struct op *op_ret(struct cpu *cpu, const struct op *op);
const struct op *op_ret_imm(struct cpu *cpu, const struct op *op);
const struct op *op_jrcxz(struct cpu *cpu, const struct op *op);
const struct op *op_jecxz(struct cpu *cpu, const struct op *op);
/* loop, loope, loopne: [0 = rcx, 1 = ecx (67 prefix)]. */
extern const op_fn ops_loop[3][2];

#endif
