/* Data movement that sets no flags: mov (every form, movabs and moffs included), movzx,
 * movsx/movsxd, lea, xchg, the sign extensions of rax (cbw .. cqo), nops and fences. */
#include "ops_int.h"
#include "op_flow.h"

#define HANDLER(name) static const struct op *name(struct cpu *cpu, const struct op *op)
#define U(n) uint##n##_t
#define I(n) int##n##_t
#define ALL_SIZES(gen) gen(8) gen(16) gen(32) gen(64)
#define SIZES(pre, post) { pre##8##post, pre##16##post, pre##32##post, pre##64##post }
#define SIZES2(pre, mid, post) \
	{ pre##8##mid##8##post, pre##16##mid##16##post, pre##32##mid##32##post, pre##64##mid##64##post }

/* ---- mov ---- */

#define MOV(n)                                                          \
	HANDLER(op_mov_r##n##_r##n)                                     \
	{                                                               \
		gpr_set##n(cpu, op->rd, gpr_get##n(cpu, op->rs));       \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	HANDLER(op_mov_r##n##_i)                                        \
	{                                                               \
		gpr_set##n(cpu, op->rd, (U(n))op->imm);                 \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	MOV_MEM(n, op_ea, ) MOV_MEM(n, op_ea_bd, _bd)
/* The memory forms, with the generic address or [base + disp] (suffix _bd). */
#define MOV_MEM(n, ea, sfx)                                             \
	HANDLER(op_mov_r##n##_m##n##sfx)                                \
	{                                                               \
		gpr_set##n(cpu, op->rd, ld##n(ea(cpu, op)));            \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	HANDLER(op_mov_m##n##_r##n##sfx)                                \
	{                                                               \
		st##n(ea(cpu, op), gpr_get##n(cpu, op->rs));            \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	HANDLER(op_mov_m##n##_i##sfx)                                   \
	{                                                               \
		st##n(ea(cpu, op), (U(n))op->imm);                      \
		return OP_NEXT(cpu, op);                                \
	}
ALL_SIZES(MOV)

const op_fn ops_mov[FORM_MI + 1][SZ_N] = {
	[FORM_RR] = SIZES2(op_mov_r, _r, ),
	[FORM_RM] = SIZES2(op_mov_r, _m, ),
	[FORM_MR] = SIZES2(op_mov_m, _r, ),
	[FORM_RI] = SIZES(op_mov_r, _i),
	[FORM_MI] = SIZES(op_mov_m, _i),
};

/* ---- movzx, movsx, movsxd: destination d bits from source s bits ---- */

/* A 64-bit zero extension writes what the 32-bit one does (the upper half is cleared). */
#define MOVZX(d, s)                                                             \
	HANDLER(op_movzx_r##d##_r##s)                                           \
	{                                                                       \
		gpr_set##d(cpu, op->rd, gpr_get##s(cpu, op->rs));               \
		return OP_NEXT(cpu, op);                                        \
	}                                                                       \
	MOVZX_M(d, s, op_ea, ) MOVZX_M(d, s, op_ea_bd, _bd)
#define MOVZX_M(d, s, ea, sfx)                                                  \
	HANDLER(op_movzx_r##d##_m##s##sfx)                                      \
	{                                                                       \
		gpr_set##d(cpu, op->rd, ld##s(ea(cpu, op)));                    \
		return OP_NEXT(cpu, op);                                        \
	}
MOVZX(16, 8)
MOVZX(32, 8)
MOVZX(32, 16)

#define MOVSX(d, s)                                                                     \
	HANDLER(op_movsx_r##d##_r##s)                                                   \
	{                                                                               \
		gpr_set##d(cpu, op->rd, (U(d))(I(d))(I(s))gpr_get##s(cpu, op->rs));     \
		return OP_NEXT(cpu, op);                                                \
	}                                                                               \
	MOVSX_M(d, s, op_ea, ) MOVSX_M(d, s, op_ea_bd, _bd)
#define MOVSX_M(d, s, ea, sfx)                                                          \
	HANDLER(op_movsx_r##d##_m##s##sfx)                                              \
	{                                                                               \
		gpr_set##d(cpu, op->rd, (U(d))(I(d))(I(s))ld##s(ea(cpu, op)));          \
		return OP_NEXT(cpu, op);                                                \
	}
MOVSX(16, 8)
MOVSX(32, 8)
MOVSX(32, 16)
MOVSX(64, 8)
MOVSX(64, 16)
MOVSX(64, 32)

#define RM(pre, post) { pre##_r##post, pre##_m##post }
/* Same-size pairs (movsx r16, r/m16; movsxd r32, r/m32) are plain moves. */
const op_fn ops_movzx[SZ_N][SZ_N][2] = {
	[SZ_16] = { [SZ_8] = RM(op_movzx_r16, 8), [SZ_16] = RM(op_mov_r16, 16) },
	[SZ_32] = { [SZ_8] = RM(op_movzx_r32, 8), [SZ_16] = RM(op_movzx_r32, 16),
		    [SZ_32] = RM(op_mov_r32, 32) },
	[SZ_64] = { [SZ_8] = RM(op_movzx_r32, 8), [SZ_16] = RM(op_movzx_r32, 16) },
};
const op_fn ops_movsx[SZ_N][SZ_N][2] = {
	[SZ_16] = { [SZ_8] = RM(op_movsx_r16, 8), [SZ_16] = RM(op_mov_r16, 16) },
	[SZ_32] = { [SZ_8] = RM(op_movsx_r32, 8), [SZ_16] = RM(op_movsx_r32, 16),
		    [SZ_32] = RM(op_mov_r32, 32) },
	[SZ_64] = { [SZ_8] = RM(op_movsx_r64, 8), [SZ_16] = RM(op_movsx_r64, 16),
		    [SZ_32] = RM(op_movsx_r64, 32) },
};

/* ---- lea: the address without a segment base, truncated to the destination ---- */

static inline uint64_t lea_addr(struct cpu *cpu, const struct op *op)
{
	return cpu->r[op->base] + (cpu->r[op->index] << op->scale) + (uint64_t)op->disp;
}
/* [base + disp] (suffix _bd, chosen by the decoder when there is no index). */
static inline uint64_t lea_addr_bd(struct cpu *cpu, const struct op *op)
{
	return cpu->r[op->base] + (uint64_t)op->disp;
}
#define LEA(addr, sfx)                                                  \
	HANDLER(op_lea_r16##sfx)                                        \
	{                                                               \
		gpr_set16(cpu, op->rd, (uint16_t)addr(cpu, op));        \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	HANDLER(op_lea_r32##sfx)                                        \
	{                                                               \
		gpr_set32(cpu, op->rd, (uint32_t)addr(cpu, op));        \
		return OP_NEXT(cpu, op);                                \
	}                                                               \
	HANDLER(op_lea_r64##sfx)                                        \
	{                                                               \
		gpr_set64(cpu, op->rd, addr(cpu, op));                  \
		return OP_NEXT(cpu, op);                                \
	}
LEA(lea_addr, )
LEA(lea_addr_bd, _bd)
const op_fn ops_lea[SZ_N] = { [SZ_16] = op_lea_r16, [SZ_32] = op_lea_r32, [SZ_64] = op_lea_r64 };

/* ---- xchg: with memory it is atomic, lock prefix or not ---- */

#define XCHG(n)                                                                         \
	HANDLER(op_xchg_r##n##_r##n)                                                    \
	{                                                                               \
		U(n) a = gpr_get##n(cpu, op->rd), b = gpr_get##n(cpu, op->rs);         \
		gpr_set##n(cpu, op->rd, b);                                             \
		gpr_set##n(cpu, op->rs, a);                                             \
		return OP_NEXT(cpu, op);                                                 \
	}                                                                               \
	HANDLER(op_xchg_m##n##_r##n)                                                    \
	{                                                                               \
		U(n) *p = (U(n) *)(uintptr_t)op_ea(cpu, op);                            \
		gpr_set##n(cpu, op->rs,                                                 \
			   __atomic_exchange_n(p, gpr_get##n(cpu, op->rs), __ATOMIC_SEQ_CST)); \
		return OP_NEXT(cpu, op);                                                 \
	}
ALL_SIZES(XCHG)

const op_fn ops_xchg[2][SZ_N] = { SIZES2(op_xchg_r, _r, ), SIZES2(op_xchg_m, _r, ) };

/* ---- sign extensions of the accumulator ---- */

const struct op *op_cbw(struct cpu *cpu, const struct op *op)
{
	gpr_set16(cpu, R_RAX * 8, (uint16_t)(int8_t)cpu->r[R_RAX]);
	return OP_NEXT(cpu, op);
}
const struct op *op_cwde(struct cpu *cpu, const struct op *op)
{
	gpr_set32(cpu, R_RAX * 8, (uint32_t)(int16_t)cpu->r[R_RAX]);
	return OP_NEXT(cpu, op);
}
const struct op *op_cdqe(struct cpu *cpu, const struct op *op)
{
	cpu->r[R_RAX] = (uint64_t)(int32_t)cpu->r[R_RAX];
	return OP_NEXT(cpu, op);
}
const struct op *op_cwd(struct cpu *cpu, const struct op *op)
{
	gpr_set16(cpu, R_RDX * 8, (uint16_t)((int16_t)cpu->r[R_RAX] >> 15));
	return OP_NEXT(cpu, op);
}
const struct op *op_cdq(struct cpu *cpu, const struct op *op)
{
	gpr_set32(cpu, R_RDX * 8, (uint32_t)((int32_t)cpu->r[R_RAX] >> 31));
	return OP_NEXT(cpu, op);
}
const struct op *op_cqo(struct cpu *cpu, const struct op *op)
{
	cpu->r[R_RDX] = (uint64_t)((int64_t)cpu->r[R_RAX] >> 63);
	return OP_NEXT(cpu, op);
}

/* ---- nops and fences ---- */

/* nop in every form, endbr64, pause, prefetch*, lfence and sfence: guest accesses are host
 * accesses made in program order by one host thread, so only mfence needs a host fence. */
const struct op *op_nop(struct cpu *cpu, const struct op *op)
{
	return OP_NEXT(cpu, op);
}
const struct op *op_mfence(struct cpu *cpu, const struct op *op)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return OP_NEXT(cpu, op);
}

/* ---- what each handler does with the flags (emu/op_flow.h): nothing ---- */

#define MOV_FLOW(n)                                                                          \
	OP_FLOW_PLAIN(op_mov_r##n##_r##n) OP_FLOW_PLAIN(op_mov_r##n##_i)                      \
	OP_FLOW_MEM_BD(op_mov_r##n##_m##n) OP_FLOW_MEM_BD(op_mov_m##n##_r##n)                 \
	OP_FLOW_MEM_BD(op_mov_m##n##_i)                                                       \
	OP_FLOW_PLAIN(op_xchg_r##n##_r##n) OP_FLOW_MEM(op_xchg_m##n##_r##n)
#define EXT_FLOW(kind, d, s)                                                                 \
	OP_FLOW_PLAIN(op_##kind##_r##d##_r##s) OP_FLOW_MEM_BD(op_##kind##_r##d##_m##s)

#define LEA_FLOW(n)                                                                          \
	OP_FLOW_BD(op_lea_r##n, NULL, op_lea_r##n##_bd, 0, 0, 0, false) OP_FLOW_PLAIN(op_lea_r##n##_bd)

const struct op_flow ops_mov_flow[] = {
	ALL_SIZES(MOV_FLOW)
	EXT_FLOW(movzx, 16, 8) EXT_FLOW(movzx, 32, 8) EXT_FLOW(movzx, 32, 16)
	EXT_FLOW(movsx, 16, 8) EXT_FLOW(movsx, 32, 8) EXT_FLOW(movsx, 32, 16)
	EXT_FLOW(movsx, 64, 8) EXT_FLOW(movsx, 64, 16) EXT_FLOW(movsx, 64, 32)
	LEA_FLOW(16) LEA_FLOW(32) LEA_FLOW(64)
	OP_FLOW_PLAIN(op_cbw) OP_FLOW_PLAIN(op_cwde) OP_FLOW_PLAIN(op_cdqe)
	OP_FLOW_PLAIN(op_cwd) OP_FLOW_PLAIN(op_cdq) OP_FLOW_PLAIN(op_cqo)
	OP_FLOW_PLAIN(op_nop) OP_FLOW_PLAIN(op_mfence)
	{ 0 }
};
