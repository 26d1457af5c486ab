/* Control transfer and the stack: jmp, jcc, jrcxz/jecxz, loop/loope/loopne, call, ret,
 * setcc, cmovcc, push, pop, leave.
 *
 * Branch targets are absolute guest addresses in op->imm; every branch leaves the block, going
 * on with the next block directly when it can (op_goto, emu/chain.h).
 * Condition-code ops are generated once per condition so flags_cond() folds to the test of
 * that condition. */
#include "ops_int.h"
#include "op_flow.h"
#include "chain.h"

#define HANDLER(name) static const struct op *name(struct cpu *cpu, const struct op *op)
#define U(n) uint##n##_t

#define CC_LIST(X)                                                                      \
	X(0, o) X(1, no) X(2, b) X(3, ae) X(4, e) X(5, ne) X(6, be) X(7, a)             \
	X(8, s) X(9, ns) X(10, p) X(11, np) X(12, l) X(13, ge) X(14, le) X(15, g)

_Thread_local uintptr_t chain_stack_floor;

/* ---- jumps ---- */

const struct op *op_jmp(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, (uint64_t)op->imm);
}
const struct op *op_jmp_r64(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, gpr_get64(cpu, op->rd));
}
const struct op *op_jmp_m64(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, ld64(op_ea(cpu, op)));
}

/* The condition ops decide from the lazy state when that is cheap and otherwise tail-call
 * a generic handler that materialises the flags (op->aux holds cc), so the fast path is a
 * leaf function with nothing to spill. */
__attribute__((noinline)) HANDLER(op_jcc_slow)
{
	bool c = flags_cond_slow(cpu, op->aux);
	return op_goto(cpu, c ? (uint64_t)op->imm : op_next_pc(op));
}
#define JCC(cc, name)                                                                   \
	HANDLER(op_j##name)                                                             \
	{                                                                               \
		int c = flags_cond_fast(cpu, cc);                                       \
		if (unlikely(c < 0))                                                    \
			return op_jcc_slow(cpu, op);                                    \
		return op_goto(cpu, c ? (uint64_t)op->imm : op_next_pc(op));        \
	}
CC_LIST(JCC)
#define JCC_ENTRY(cc, name) [cc] = op_j##name,
const op_fn ops_jcc[16] = { CC_LIST(JCC_ENTRY) };

const struct op *op_jrcxz(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, cpu->r[R_RCX] == 0 ? (uint64_t)op->imm : op_next_pc(op));
}
const struct op *op_jecxz(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, (uint32_t)cpu->r[R_RCX] == 0 ? (uint64_t)op->imm : op_next_pc(op));
}

/* loop decrements rcx (ecx with a 67 prefix) without touching the flags. */
#define LOOP_COND_loop(cpu) true
#define LOOP_COND_loope(cpu) flags_cond(cpu, CC_E)
#define LOOP_COND_loopne(cpu) flags_cond(cpu, CC_NE)
#define LOOP(name)                                                                      \
	HANDLER(op_##name)                                                              \
	{                                                                               \
		uint64_t c = --cpu->r[R_RCX];                                           \
		bool go = c != 0 && LOOP_COND_##name(cpu);                              \
		return op_goto(cpu, go ? (uint64_t)op->imm : op_next_pc(op));      \
	}                                                                               \
	HANDLER(op_##name##_ecx)                                                        \
	{                                                                               \
		uint32_t c = (uint32_t)cpu->r[R_RCX] - 1;                               \
		cpu->r[R_RCX] = c;                                                      \
		bool go = c != 0 && LOOP_COND_##name(cpu);                              \
		return op_goto(cpu, go ? (uint64_t)op->imm : op_next_pc(op));      \
	}
LOOP(loop)
LOOP(loope)
LOOP(loopne)
const op_fn ops_loop[3][2] = {
	{ op_loop, op_loop_ecx }, { op_loope, op_loope_ecx }, { op_loopne, op_loopne_ecx },
};

/* ---- call and ret ---- */

const struct op *op_call(struct cpu *cpu, const struct op *op)
{
	guest_push64(cpu, op, op_next_pc(op));
	return op_goto(cpu, (uint64_t)op->imm);
}
const struct op *op_call_r64(struct cpu *cpu, const struct op *op)
{
	uint64_t target = gpr_get64(cpu, op->rd);
	guest_push64(cpu, op, op_next_pc(op));
	return op_goto(cpu, target);
}
const struct op *op_call_m64(struct cpu *cpu, const struct op *op)
{
	uint64_t target = ld64(op_ea(cpu, op));
	guest_push64(cpu, op, op_next_pc(op));
	return op_goto(cpu, target);
}
const struct op *op_ret(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, guest_pop64(cpu, op));
}
const struct op *op_ret_imm(struct cpu *cpu, const struct op *op)
{
	uint64_t target = guest_pop64(cpu, op);
	cpu->r[R_RSP] += (uint16_t)op->imm;
	return op_goto(cpu, target);
}

/* ---- setcc, cmovcc ---- */

__attribute__((noinline)) HANDLER(op_setcc_r8_slow)
{
	gpr_set8(cpu, op->rd, flags_cond_slow(cpu, op->aux));
	return OP_NEXT(cpu, op);
}
#define SETCC(cc, name)                                                 \
	HANDLER(op_set##name##_r8)                                      \
	{                                                               \
		int c = flags_cond_fast(cpu, cc);                       \
		if (unlikely(c < 0))                                    \
			return op_setcc_r8_slow(cpu, op);               \
		gpr_set8(cpu, op->rd, (uint8_t)c);                      \
		return OP_NEXT(cpu, op);                                 \
	}                                                               \
	HANDLER(op_set##name##_m8)                                      \
	{                                                               \
		st8(op_ea(cpu, op), flags_cond(cpu, cc));               \
		return OP_NEXT(cpu, op);                                 \
	}
CC_LIST(SETCC)
#define SETCC_R(cc, name) [cc] = op_set##name##_r8,
#define SETCC_M(cc, name) [cc] = op_set##name##_m8,
const op_fn ops_setcc[2][16] = { { CC_LIST(SETCC_R) }, { CC_LIST(SETCC_M) } };

/* The memory source is read whatever the condition (it may fault), and a 32-bit cmov
 * zero-extends its destination even when the condition is false. */
#define CMOV_SLOW(n)                                                                    \
	__attribute__((noinline)) HANDLER(op_cmov_r##n##_r##n##_slow)                   \
	{                                                                               \
		bool c = flags_cond_slow(cpu, op->aux);                                 \
		gpr_set##n(cpu, op->rd, c ? gpr_get##n(cpu, op->rs) : gpr_get##n(cpu, op->rd)); \
		return OP_NEXT(cpu, op);                                                 \
	}
CMOV_SLOW(16)
CMOV_SLOW(32)
CMOV_SLOW(64)
#define CMOV_N(cc, name, n)                                                             \
	HANDLER(op_cmov##name##_r##n##_r##n)                                            \
	{                                                                               \
		int c = flags_cond_fast(cpu, cc);                                       \
		if (unlikely(c < 0))                                                    \
			return op_cmov_r##n##_r##n##_slow(cpu, op);                     \
		U(n) v = c ? gpr_get##n(cpu, op->rs) : gpr_get##n(cpu, op->rd);         \
		gpr_set##n(cpu, op->rd, v);                                             \
		return OP_NEXT(cpu, op);                                                 \
	}                                                                               \
	HANDLER(op_cmov##name##_r##n##_m##n)                                            \
	{                                                                               \
		U(n) s = ld##n(op_ea(cpu, op));                                         \
		gpr_set##n(cpu, op->rd, flags_cond(cpu, cc) ? s : gpr_get##n(cpu, op->rd)); \
		return OP_NEXT(cpu, op);                                                 \
	}
#define CMOV(cc, name) CMOV_N(cc, name, 16) CMOV_N(cc, name, 32) CMOV_N(cc, name, 64)
CC_LIST(CMOV)
#define CMOV_R(n) CC_LIST(CMOV_R_##n)
#define CMOV_R_16(cc, name) [cc] = op_cmov##name##_r16_r16,
#define CMOV_R_32(cc, name) [cc] = op_cmov##name##_r32_r32,
#define CMOV_R_64(cc, name) [cc] = op_cmov##name##_r64_r64,
#define CMOV_M_16(cc, name) [cc] = op_cmov##name##_r16_m16,
#define CMOV_M_32(cc, name) [cc] = op_cmov##name##_r32_m32,
#define CMOV_M_64(cc, name) [cc] = op_cmov##name##_r64_m64,
const op_fn ops_cmov[SZ_N][2][16] = {
	[SZ_16] = { { CC_LIST(CMOV_R_16) }, { CC_LIST(CMOV_M_16) } },
	[SZ_32] = { { CC_LIST(CMOV_R_32) }, { CC_LIST(CMOV_M_32) } },
	[SZ_64] = { { CC_LIST(CMOV_R_64) }, { CC_LIST(CMOV_M_64) } },
};

/* ---- push, pop, leave ---- */

const struct op *op_push_r64(struct cpu *cpu, const struct op *op)
{
	guest_push64(cpu, op, gpr_get64(cpu, op->rd));
	return OP_NEXT(cpu, op);
}
const struct op *op_push_m64(struct cpu *cpu, const struct op *op)
{
	guest_push64(cpu, op, ld64(op_ea(cpu, op)));
	return OP_NEXT(cpu, op);
}
const struct op *op_push_i64(struct cpu *cpu, const struct op *op)
{
	guest_push64(cpu, op, (uint64_t)op->imm);
	return OP_NEXT(cpu, op);
}
static inline void push16(struct cpu *cpu, const struct op *op, uint16_t v)
{
	cpu->cur_op = op;
	st16(cpu->r[R_RSP] - 2, v);
	cpu->r[R_RSP] -= 2;
}
const struct op *op_push_r16(struct cpu *cpu, const struct op *op)
{
	push16(cpu, op, gpr_get16(cpu, op->rd));
	return OP_NEXT(cpu, op);
}
const struct op *op_push_m16(struct cpu *cpu, const struct op *op)
{
	push16(cpu, op, ld16(op_ea(cpu, op)));
	return OP_NEXT(cpu, op);
}
const struct op *op_push_i16(struct cpu *cpu, const struct op *op)
{
	push16(cpu, op, (uint16_t)op->imm);
	return OP_NEXT(cpu, op);
}

/* pop rsp leaves the popped value in rsp (the increment is overwritten). */
const struct op *op_pop_r64(struct cpu *cpu, const struct op *op)
{
	uint64_t v = guest_pop64(cpu, op);
	gpr_set64(cpu, op->rd, v);
	return OP_NEXT(cpu, op);
}
const struct op *op_pop_r16(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	uint16_t v = ld16(cpu->r[R_RSP]);
	cpu->r[R_RSP] += 2;
	gpr_set16(cpu, op->rd, v);
	return OP_NEXT(cpu, op);
}
/* A memory destination's address uses rsp as already incremented; rsp changes only once
 * the store has succeeded, so a fault leaves it as it was. */
#define POP_M(n)                                                        \
	const struct op *op_pop_m##n(struct cpu *cpu, const struct op *op) \
	{                                                               \
		uint64_t sp = cpu->r[R_RSP];                            \
		cpu->cur_op = op;                                       \
		U(n) v = ld##n(sp);                                     \
		cpu->r[R_RSP] = sp + n / 8;                             \
		uint64_t ea = op_ea(cpu, op);                           \
		cpu->r[R_RSP] = sp;                                     \
		st##n(ea, v);                                           \
		cpu->r[R_RSP] = sp + n / 8;                             \
		return OP_NEXT(cpu, op);                                 \
	}
POP_M(16)
POP_M(64)

const struct op *op_leave(struct cpu *cpu, const struct op *op)
{
	uint64_t bp = cpu->r[R_RBP];
	cpu->cur_op = op;
	uint64_t v = ld64(bp);
	cpu->r[R_RSP] = bp + 8;
	cpu->r[R_RBP] = v;
	return OP_NEXT(cpu, op);
}

/* ---- what each handler does with the flags (emu/op_flow.h) ---- */

#define CC_FLOW(cc, name)                                                                    \
	OP_FLOW(op_j##name, NULL, OP_FLOW_CC_READS(cc), 0, 0, false)                          \
	OP_FLOW(op_set##name##_r8, NULL, OP_FLOW_CC_READS(cc), 0, 0, false)                   \
	OP_FLOW(op_set##name##_m8, NULL, OP_FLOW_CC_READS(cc), 0, 0, true)                    \
	CMOV_FLOW(cc, name, 16) CMOV_FLOW(cc, name, 32) CMOV_FLOW(cc, name, 64)
#define CMOV_FLOW(cc, name, n)                                                               \
	OP_FLOW(op_cmov##name##_r##n##_r##n, NULL, OP_FLOW_CC_READS(cc), 0, 0, false)         \
	OP_FLOW(op_cmov##name##_r##n##_m##n, NULL, OP_FLOW_CC_READS(cc), 0, 0, true)

const struct op_flow ops_branch_flow[] = {
	CC_LIST(CC_FLOW)
	OP_FLOW_MEM(op_push_r64) OP_FLOW_MEM(op_push_m64) OP_FLOW_MEM(op_push_i64)
	OP_FLOW_MEM(op_push_r16) OP_FLOW_MEM(op_push_m16) OP_FLOW_MEM(op_push_i16)
	OP_FLOW_MEM(op_pop_r64) OP_FLOW_MEM(op_pop_r16) OP_FLOW_MEM(op_pop_m64)
	OP_FLOW_MEM(op_pop_m16) OP_FLOW_MEM(op_leave)
	{ 0 }
};
