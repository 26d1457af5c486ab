/* Lowering of the core integer instructions to the handlers of emu/ops_alu.c, ops_mov.c and
 * ops_branch.c: ALU ops, inc/dec/neg/not, mov and its extensions, lea, xchg, push/pop/leave,
 * jumps, calls, returns, loops, setcc/cmovcc, sign extensions of rax, nops and fences.
 *
 * Capstone 4.0.2 details relied on: immediates come sign-extended to 64 bits (handlers
 * truncate to the operand size); branch immediates are absolute targets; movsxd is reported
 * with a 64-bit destination even without REX.W (where it is a plain 32- or 16-bit move);
 * push imm reports an 8-byte immediate even with a 66 prefix; `repz ret` is ret and bnd or
 * notrack prefixes are ignored. A lock prefix is accepted only on a memory destination. */
#include "decode_internal.h"
#include "ops_int.h"

static bool is(const struct dopnd *o, enum dopnd_kind kind)
{
	return o->kind == kind;
}

/* The two-operand forms shared by the ALU ops and mov; sets op->rd/rs/imm. */
static int binary_form(const struct dinsn *d, struct op *op)
{
	const struct dopnd *dst = &d->o[0], *src = &d->o[1];
	if (d->nops != 2)
		return -1;
	if (is(dst, DO_GPR) && is(src, DO_GPR) && dst->size == src->size) {
		op->rd = dst->reg;
		op->rs = src->reg;
		return FORM_RR;
	}
	if (is(dst, DO_GPR) && is(src, DO_MEM)) {
		op->rd = dst->reg;
		return FORM_RM;
	}
	if (is(dst, DO_MEM) && is(src, DO_GPR)) {
		op->rs = src->reg;
		return FORM_MR;
	}
	if (is(dst, DO_GPR) && is(src, DO_IMM)) {
		op->rd = dst->reg;
		op->imm = src->imm;
		return FORM_RI;
	}
	if (is(dst, DO_MEM) && is(src, DO_IMM)) {
		op->imm = src->imm;
		return FORM_MI;
	}
	return -1;
}

static bool lower_alu(const struct dinsn *d, struct op *op, enum alu_op alu)
{
	int s = size_index(d->o[0].size);
	int form = binary_form(d, op);
	if (s < 0 || form < 0)
		return false;
	if (alu == ALU_TEST && form == FORM_RM) {
		/* test is commutative: run `test r, m` as `test m, r`. */
		op->rs = op->rd;
		form = FORM_MR;
	}
	if (d->lock) {
		if (form == FORM_MR)
			form = FORM_LMR;
		else if (form == FORM_MI)
			form = FORM_LMI;
		else
			return false;
	}
	return set_fn(op, ops_alu[alu][form][s]);
}

static bool lower_unary(const struct dinsn *d, struct op *op, enum un_op un)
{
	const struct dopnd *o = &d->o[0];
	int s = size_index(o->size);
	if (d->nops != 1 || s < 0)
		return false;
	if (is(o, DO_GPR) && !d->lock) {
		op->rd = o->reg;
		return set_fn(op, ops_unary[un][UFORM_R][s]);
	}
	if (is(o, DO_MEM))
		return set_fn(op, ops_unary[un][d->lock ? UFORM_LM : UFORM_M][s]);
	return false;
}

static bool lower_mov(const struct dinsn *d, struct op *op)
{
	int s = size_index(d->o[0].size);
	int form = binary_form(d, op);
	if (s < 0 || form < 0 || d->lock)
		return false;
	return set_fn(op, ops_mov[form][s]);
}

/* movzx, movsx, movsxd. */
static bool lower_extend(const struct dinsn *d, struct op *op, const op_fn table[SZ_N][SZ_N][2])
{
	const struct dopnd *dst = &d->o[0], *src = &d->o[1];
	unsigned dsize = dst->size, ssize = src->size;
	if (d->nops != 2 || d->lock || !is(dst, DO_GPR))
		return false;
	if (d->id == X86_INS_MOVSXD && !(d->x86->rex & 8))
		dsize = ssize = d->opsize ? 2 : 4;
	int ds = size_index(dsize), ss = size_index(ssize);
	if (ds < 0 || ss < 0)
		return false;
	op->rd = dst->reg;
	if (is(src, DO_GPR)) {
		op->rs = src->reg;
		return set_fn(op, table[ds][ss][0]);
	}
	if (is(src, DO_MEM))
		return set_fn(op, table[ds][ss][1]);
	return false;
}

static bool lower_lea(const struct dinsn *d, struct op *op)
{
	int s = size_index(d->o[0].size);
	if (d->nops != 2 || d->lock || s < 0 || !is(&d->o[0], DO_GPR) || !is(&d->o[1], DO_MEM))
		return false;
	op->rd = d->o[0].reg;
	/* A 32-bit address (67 prefix) is the 64-bit sum truncated; a 64-bit destination
	 * receives it zero-extended, as lea r32 writes it. */
	if (d->x86->addr_size == 4 && s == SZ_64)
		s = SZ_32;
	return set_fn(op, ops_lea[s]);
}

static bool lower_xchg(const struct dinsn *d, struct op *op)
{
	const struct dopnd *a = &d->o[0], *b = &d->o[1];
	int s = size_index(a->size);
	if (d->nops != 2 || s < 0)
		return false;
	if (is(a, DO_GPR) && is(b, DO_GPR) && !d->lock && a->size == b->size) {
		op->rd = a->reg;
		op->rs = b->reg;
		return set_fn(op, ops_xchg[0][s]);
	}
	if (is(a, DO_MEM) && is(b, DO_GPR))
		op->rs = b->reg;
	else if (is(a, DO_GPR) && is(b, DO_MEM))
		op->rs = a->reg;
	else
		return false;
	return set_fn(op, ops_xchg[1][s]);
}

static bool lower_push_pop(const struct dinsn *d, struct op *op, bool push)
{
	const struct dopnd *o = &d->o[0];
	if (d->nops != 1 || d->lock)
		return false;
	if (is(o, DO_IMM) && push) {
		op->imm = o->imm;
		return set_fn(op, d->opsize ? op_push_i16 : op_push_i64);
	}
	if (o->size != 8 && o->size != 2)
		return false;
	bool wide = o->size == 8;
	if (is(o, DO_GPR)) {
		op->rd = o->reg;
		if (push)
			return set_fn(op, wide ? op_push_r64 : op_push_r16);
		return set_fn(op, wide ? op_pop_r64 : op_pop_r16);
	}
	if (is(o, DO_MEM)) {
		if (push)
			return set_fn(op, wide ? op_push_m64 : op_push_m16);
		return set_fn(op, wide ? op_pop_m64 : op_pop_m16);
	}
	return false;
}

/* jmp and call: relative (absolute target in imm), register or memory. */
static bool lower_jmp_call(const struct dinsn *d, struct op *op, bool call)
{
	const struct dopnd *o = &d->o[0];
	if (d->nops != 1 || d->lock)
		return false;
	if (is(o, DO_IMM)) {
		op->imm = o->imm;
		return set_fn(op, call ? op_call : op_jmp);
	}
	if (o->size != 8)
		return false;
	if (is(o, DO_GPR)) {
		op->rd = o->reg;
		return set_fn(op, call ? op_call_r64 : op_jmp_r64);
	}
	if (is(o, DO_MEM))
		return set_fn(op, call ? op_call_m64 : op_jmp_m64);
	return false;
}

static bool lower_target(const struct dinsn *d, struct op *op, op_fn fn)
{
	if (d->nops != 1 || !is(&d->o[0], DO_IMM))
		return false;
	op->imm = d->o[0].imm;
	return set_fn(op, fn);
}

static const unsigned jcc_ids[16] = {
	X86_INS_JO, X86_INS_JNO, X86_INS_JB, X86_INS_JAE, X86_INS_JE, X86_INS_JNE,
	X86_INS_JBE, X86_INS_JA, X86_INS_JS, X86_INS_JNS, X86_INS_JP, X86_INS_JNP,
	X86_INS_JL, X86_INS_JGE, X86_INS_JLE, X86_INS_JG,
};
static const unsigned setcc_ids[16] = {
	X86_INS_SETO, X86_INS_SETNO, X86_INS_SETB, X86_INS_SETAE, X86_INS_SETE, X86_INS_SETNE,
	X86_INS_SETBE, X86_INS_SETA, X86_INS_SETS, X86_INS_SETNS, X86_INS_SETP, X86_INS_SETNP,
	X86_INS_SETL, X86_INS_SETGE, X86_INS_SETLE, X86_INS_SETG,
};
static const unsigned cmov_ids[16] = {
	X86_INS_CMOVO, X86_INS_CMOVNO, X86_INS_CMOVB, X86_INS_CMOVAE, X86_INS_CMOVE,
	X86_INS_CMOVNE, X86_INS_CMOVBE, X86_INS_CMOVA, X86_INS_CMOVS, X86_INS_CMOVNS,
	X86_INS_CMOVP, X86_INS_CMOVNP, X86_INS_CMOVL, X86_INS_CMOVGE, X86_INS_CMOVLE,
	X86_INS_CMOVG,
};

static int cc_of(const unsigned ids[16], unsigned id)
{
	for (int cc = 0; cc < 16; cc++)
		if (ids[cc] == id)
			return cc;
	return -1;
}

static bool lower_setcc(const struct dinsn *d, struct op *op, int cc)
{
	const struct dopnd *o = &d->o[0];
	if (d->nops != 1 || d->lock || o->size != 1)
		return false;
	op->aux = (uint8_t)cc;
	if (is(o, DO_GPR)) {
		op->rd = o->reg;
		return set_fn(op, ops_setcc[0][cc]);
	}
	return is(o, DO_MEM) && set_fn(op, ops_setcc[1][cc]);
}

static bool lower_cmov(const struct dinsn *d, struct op *op, int cc)
{
	const struct dopnd *dst = &d->o[0], *src = &d->o[1];
	int s = size_index(dst->size);
	if (d->nops != 2 || d->lock || s < SZ_16 || !is(dst, DO_GPR))
		return false;
	op->aux = (uint8_t)cc;
	op->rd = dst->reg;
	if (is(src, DO_GPR)) {
		op->rs = src->reg;
		return set_fn(op, ops_cmov[s][0][cc]);
	}
	return is(src, DO_MEM) && set_fn(op, ops_cmov[s][1][cc]);
}

/* Instructions without operands worth decoding. */
static bool lower_fixed(const struct dinsn *d, struct op *op, op_fn fn)
{
	return !d->lock && set_fn(op, fn);
}

static bool lower_cc_family(const struct dinsn *d, struct op *op)
{
	int cc;
	if ((cc = cc_of(jcc_ids, d->id)) >= 0) {
		op->aux = (uint8_t)cc;
		return lower_target(d, op, ops_jcc[cc]);
	}
	if ((cc = cc_of(setcc_ids, d->id)) >= 0)
		return lower_setcc(d, op, cc);
	if ((cc = cc_of(cmov_ids, d->id)) >= 0)
		return lower_cmov(d, op, cc);
	return false;
}

static bool lower_loop(const struct dinsn *d, struct op *op, unsigned kind)
{
	return lower_target(d, op, ops_loop[kind][d->x86->addr_size == 4]);
}

bool lower_int(const struct dinsn *d, struct op *op)
{
	switch (d->id) {
	case X86_INS_ADD: return lower_alu(d, op, ALU_ADD);
	case X86_INS_OR: return lower_alu(d, op, ALU_OR);
	case X86_INS_ADC: return lower_alu(d, op, ALU_ADC);
	case X86_INS_SBB: return lower_alu(d, op, ALU_SBB);
	case X86_INS_AND: return lower_alu(d, op, ALU_AND);
	case X86_INS_SUB: return lower_alu(d, op, ALU_SUB);
	case X86_INS_XOR: return lower_alu(d, op, ALU_XOR);
	case X86_INS_CMP: return !d->lock && lower_alu(d, op, ALU_CMP);
	case X86_INS_TEST: return !d->lock && lower_alu(d, op, ALU_TEST);
	case X86_INS_INC: return lower_unary(d, op, UN_INC);
	case X86_INS_DEC: return lower_unary(d, op, UN_DEC);
	case X86_INS_NEG: return lower_unary(d, op, UN_NEG);
	case X86_INS_NOT: return lower_unary(d, op, UN_NOT);
	case X86_INS_MOV: case X86_INS_MOVABS: return lower_mov(d, op);
	case X86_INS_MOVZX: return lower_extend(d, op, ops_movzx);
	case X86_INS_MOVSX: case X86_INS_MOVSXD: return lower_extend(d, op, ops_movsx);
	case X86_INS_LEA: return lower_lea(d, op);
	case X86_INS_XCHG: return lower_xchg(d, op);
	case X86_INS_PUSH: return lower_push_pop(d, op, true);
	case X86_INS_POP: return lower_push_pop(d, op, false);
	case X86_INS_LEAVE: return !d->opsize && lower_fixed(d, op, op_leave);
	case X86_INS_JMP: return lower_jmp_call(d, op, false);
	case X86_INS_CALL: return lower_jmp_call(d, op, true);
	case X86_INS_RET:
		if (d->nops == 0)
			return lower_fixed(d, op, op_ret);
		return lower_target(d, op, op_ret_imm);
	case X86_INS_JRCXZ: return lower_target(d, op, op_jrcxz);
	case X86_INS_JECXZ: return lower_target(d, op, op_jecxz);
	case X86_INS_LOOP: return lower_loop(d, op, 0);
	case X86_INS_LOOPE: return lower_loop(d, op, 1);
	case X86_INS_LOOPNE: return lower_loop(d, op, 2);
	case X86_INS_CBW: return lower_fixed(d, op, op_cbw);
	case X86_INS_CWDE: return lower_fixed(d, op, op_cwde);
	case X86_INS_CDQE: return lower_fixed(d, op, op_cdqe);
	case X86_INS_CWD: return lower_fixed(d, op, op_cwd);
	case X86_INS_CDQ: return lower_fixed(d, op, op_cdq);
	case X86_INS_CQO: return lower_fixed(d, op, op_cqo);
	case X86_INS_NOP: case X86_INS_ENDBR64: case X86_INS_ENDBR32: case X86_INS_PAUSE:
	case X86_INS_LFENCE: case X86_INS_SFENCE: case X86_INS_PREFETCH:
	case X86_INS_PREFETCHNTA: case X86_INS_PREFETCHT0: case X86_INS_PREFETCHT1:
	case X86_INS_PREFETCHT2: case X86_INS_PREFETCHW:
		return lower_fixed(d, op, op_nop);
	case X86_INS_MFENCE: return lower_fixed(d, op, op_mfence);
	default: return lower_cc_family(d, op);
	}
}
