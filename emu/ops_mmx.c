/* MMX: packed integer ops on mm0-mm7 (generated from MMX_LIST), moves, emms, and the SSE/SSE2
 * instructions that read or write MMX registers (pshufw, pinsrw/pextrw, pmovmskb, maskmovq,
 * cvtpi2ps/cvtps2pi/..., movdq2q/movq2dq).
 *
 * mmN is the 64-bit significand of x87 physical register N (struct x87_state). Every MMX
 * instruction but emms sets TOP to 0 and tags every register valid; a write also sets the
 * register's exponent and sign to all ones. The host's own MMX registers are never used (they
 * alias the host x87 stack that long double code relies on): the work is done in XMM registers
 * on the low 64 bits.
 */
#include "ops_sse.h"

static inline __m128i mget(const struct cpu *cpu, unsigned n)
{
	return _mm_cvtsi64_si128((long long)mm_get(cpu, n));
}
static inline void mput(struct cpu *cpu, unsigned n, __m128i v)
{
	mm_put(cpu, n, (uint64_t)_mm_cvtsi128_si64(v));
}
static inline __m128i mload(uint64_t ea)
{
	return _mm_cvtsi64_si128((long long)ld64(ea));
}

#define MMX_DEFINE_BIN(name, opc, LK, expr)                         \
	SSE_HANDLER(op_##name##_mmx_rr)                         \
	{                                                       \
		__m128i a = mget(cpu, op->rd);                  \
		__m128i b = mget(cpu, op->rs);                  \
		mm_enter(cpu);                                  \
		mput(cpu, op->rd, expr);                        \
		return OP_NEXT(cpu, op);                         \
	}                                                       \
	SSE_HANDLER(op_##name##_mmx_rm)                         \
	{                                                       \
		uint64_t ea = op_ea(cpu, op);                   \
		__m128i b = SSE_MLD_##LK(ea);                   \
		__m128i a = mget(cpu, op->rd);                  \
		mm_enter(cpu);                                  \
		mput(cpu, op->rd, expr);                        \
		return OP_NEXT(cpu, op);                         \
	}
MMX_LIST(MMX_DEFINE_BIN)

SSE_HANDLER(op_emms)
{
	cpu->x87.tag_valid = 0;
	return OP_NEXT(cpu, op);
}

/* ---- moves: movq mm, mm/m64 and back; movd/movq between mm and r/m32, r/m64 (mr32 is
 * mm <- r32, mm32 mm <- m32, r32m r32 <- mm, m32m m32 <- mm) ---- */

SSE_HANDLER(op_movq_mmx_rr)
{
	mm_enter(cpu);
	mm_put(cpu, op->rd, mm_get(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movq_mmx_rm)
{
	uint64_t ea = op_ea(cpu, op);
	uint64_t v = ld64(ea);
	mm_enter(cpu);
	mm_put(cpu, op->rd, v);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movq_mmx_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, mm_get(cpu, op->rs));
	mm_enter(cpu);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_mr32)
{
	mm_enter(cpu);
	mm_put(cpu, op->rd, gpr_get32(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_mm32)
{
	uint64_t ea = op_ea(cpu, op);
	uint64_t v = ld32(ea);
	mm_enter(cpu);
	mm_put(cpu, op->rd, v);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_mr64)
{
	mm_enter(cpu);
	mm_put(cpu, op->rd, gpr_get64(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_mm64)
{
	return op_movq_mmx_rm(cpu, op);
}
SSE_HANDLER(op_movd_mmx_r32m)
{
	mm_enter(cpu);
	gpr_set32(cpu, op->rd, (uint32_t)mm_get(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_m32m)
{
	uint64_t ea = op_ea(cpu, op);
	st32(ea, (uint32_t)mm_get(cpu, op->rs));
	mm_enter(cpu);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_r64m)
{
	mm_enter(cpu);
	gpr_set64(cpu, op->rd, mm_get(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_mmx_m64m)
{
	return op_movq_mmx_mr(cpu, op);
}
SSE_HANDLER(op_movdq2q_rr)
{
	mm_enter(cpu);
	mm_put(cpu, op->rd, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movq2dq_rr)
{
	mm_enter(cpu);
	xput(cpu, op->rd, mget(cpu, op->rs));
	return OP_NEXT(cpu, op);
}

/* ---- pshufw, pinsrw, pextrw, pmovmskb, maskmovq ---- */

static inline uint64_t mmx_pshufw(uint64_t v, unsigned imm)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < 4; i++)
		r |= ((v >> (16 * ((imm >> (2 * i)) & 3))) & 0xffff) << (16 * i);
	return r;
}
SSE_HANDLER(op_pshufw_mmx_rr)
{
	mm_enter(cpu);
	mm_put(cpu, op->rd, mmx_pshufw(mm_get(cpu, op->rs), (unsigned)op->imm));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pshufw_mmx_rm)
{
	uint64_t ea = op_ea(cpu, op);
	uint64_t v = ld64(ea);
	mm_enter(cpu);
	mm_put(cpu, op->rd, mmx_pshufw(v, (unsigned)op->imm));
	return OP_NEXT(cpu, op);
}
static inline void mmx_pinsrw(struct cpu *cpu, const struct op *op, uint16_t w)
{
	unsigned sh = 16 * (op->imm & 3);
	uint64_t v = mm_get(cpu, op->rd);
	v = (v & ~(0xffffull << sh)) | ((uint64_t)w << sh);
	mm_enter(cpu);
	mm_put(cpu, op->rd, v);
}
SSE_HANDLER(op_pinsrw_mmx_rr)
{
	mmx_pinsrw(cpu, op, gpr_get16(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pinsrw_mmx_rm)
{
	uint64_t ea = op_ea(cpu, op);
	mmx_pinsrw(cpu, op, ld16(ea));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pextrw_mmx_rr)
{
	mm_enter(cpu);
	gpr_set32(cpu, op->rd, (uint16_t)(mm_get(cpu, op->rs) >> (16 * (op->imm & 3))));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pmovmskb_mmx_rr)
{
	mm_enter(cpu);
	gpr_set32(cpu, op->rd, (uint32_t)_mm_movemask_epi8(mget(cpu, op->rs)) & 0xff);
	return OP_NEXT(cpu, op);
}
/* maskmovq mm1, mm2: as maskmovdqu, 8 bytes. */
SSE_HANDLER(op_maskmovq_mmx_rr)
{
	uint64_t base = cpu->r[R_RDI];
	if (op->aux & 1)
		base = (uint32_t)base;
	base += cpu->segbase[op->seg];
	unsigned mask = (unsigned)_mm_movemask_epi8(mget(cpu, op->rs)) & 0xff;
	uint64_t v = mm_get(cpu, op->rd);
	cpu->cur_op = op;
	for (; mask; mask &= mask - 1) {
		unsigned i = (unsigned)__builtin_ctz(mask);
		st8(base + i, (uint8_t)(v >> (8 * i)));
	}
	mm_enter(cpu);
	return OP_NEXT(cpu, op);
}

/* ---- shifts by an immediate (0f 71/72/73 /2 /4 /6) ---- */

#define MMX_DEFINE_SHIFT_IMM(name, fn)                                                  \
	SSE_HANDLER(op_##name##_mmx_ri)                                                 \
	{                                                                               \
		__m128i count = _mm_cvtsi32_si128((int)(uint8_t)op->imm);               \
		mm_enter(cpu);                                                          \
		mput(cpu, op->rd, fn(mget(cpu, op->rd), count));                        \
		return OP_NEXT(cpu, op);                                                 \
	}
MMX_DEFINE_SHIFT_IMM(psrlw, _mm_srl_epi16)
MMX_DEFINE_SHIFT_IMM(psraw, _mm_sra_epi16)
MMX_DEFINE_SHIFT_IMM(psllw, _mm_sll_epi16)
MMX_DEFINE_SHIFT_IMM(psrld, _mm_srl_epi32)
MMX_DEFINE_SHIFT_IMM(psrad, _mm_sra_epi32)
MMX_DEFINE_SHIFT_IMM(pslld, _mm_sll_epi32)
MMX_DEFINE_SHIFT_IMM(psrlq, _mm_srl_epi64)
MMX_DEFINE_SHIFT_IMM(psllq, _mm_sll_epi64)

/* ---- conversions between mm and xmm: done in XMM lanes whose unused inputs are zero, which
 * convert exactly and raise nothing ---- */

/* cvtpi2ps xmm, mm/m64: two singles into the low half, the high half kept. Only the register
 * form switches to MMX mode. */
static inline void mmx_cvtpi2ps(struct cpu *cpu, const struct op *op, __m128i v)
{
	__m128i r = _mm_castps_si128(_mm_cvtepi32_ps(v));
	cpu->xmm[op->rd].q[0] = (uint64_t)_mm_cvtsi128_si64(r);
}
SSE_HANDLER(op_cvtpi2ps_rr)
{
	sse_mark(cpu, op);
	__m128i v = mget(cpu, op->rs);
	mmx_cvtpi2ps(cpu, op, v);
	mm_enter(cpu);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_cvtpi2ps_rm)
{
	uint64_t ea = op_ea(cpu, op);
	mmx_cvtpi2ps(cpu, op, mload(ea));
	return OP_NEXT(cpu, op);
}
/* cvtpi2pd xmm, mm/m64: exact. */
SSE_HANDLER(op_cvtpi2pd_rr)
{
	xput(cpu, op->rd, _mm_castpd_si128(_mm_cvtepi32_pd(mget(cpu, op->rs))));
	mm_enter(cpu);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_cvtpi2pd_rm)
{
	uint64_t ea = op_ea(cpu, op);
	xput(cpu, op->rd, _mm_castpd_si128(_mm_cvtepi32_pd(mload(ea))));
	return OP_NEXT(cpu, op);
}

/* cvt(t)ps2pi mm, xmm/m64 and cvt(t)pd2pi mm, xmm/m128 (aligned). */
#define MMX_DEFINE_CVT2PI(name, LK, LOAD_REG, conv)                                     \
	SSE_HANDLER(op_##name##_rr)                                                     \
	{                                                                               \
		sse_mark(cpu, op);                                                      \
		__m128i r = conv(LOAD_REG(xget(cpu, op->rs)));                          \
		mm_enter(cpu);                                                          \
		mput(cpu, op->rd, r);                                                   \
		return OP_NEXT(cpu, op);                                                 \
	}                                                                               \
	SSE_HANDLER(op_##name##_rm)                                                     \
	{                                                                               \
		uint64_t ea = op_ea(cpu, op);                                           \
		SSE_MCHK_##LK(cpu, op, ea);                                             \
		__m128i r = conv(SSE_MLD_##LK(ea));                                     \
		mm_enter(cpu);                                                          \
		mput(cpu, op->rd, r);                                                   \
		return OP_NEXT(cpu, op);                                                 \
	}
#define MMX_LOW64(v) _mm_move_epi64(v)
#define MMX_ALL(v) (v)
#define MMX_PS2DQ(v) _mm_cvtps_epi32(_mm_castsi128_ps(v))
#define MMX_TPS2DQ(v) _mm_cvttps_epi32(_mm_castsi128_ps(v))
#define MMX_PD2DQ(v) _mm_cvtpd_epi32(_mm_castsi128_pd(v))
#define MMX_TPD2DQ(v) _mm_cvttpd_epi32(_mm_castsi128_pd(v))
MMX_DEFINE_CVT2PI(cvtps2pi, Q, MMX_LOW64, MMX_PS2DQ)
MMX_DEFINE_CVT2PI(cvttps2pi, Q, MMX_LOW64, MMX_TPS2DQ)
MMX_DEFINE_CVT2PI(cvtpd2pi, A16, MMX_ALL, MMX_PD2DQ)
MMX_DEFINE_CVT2PI(cvttpd2pi, A16, MMX_ALL, MMX_TPD2DQ)
