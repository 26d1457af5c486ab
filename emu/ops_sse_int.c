/* SSE2 packed integer ops on XMM registers: arithmetic, compares, logic, shifts, packs and
 * unpacks (generated from SSE_LIST_INT), shuffles, word insert/extract, shifts by an immediate. */
#include "ops_sse.h"

SSE_LIST_INT(SSE_DEFINE_BIN)

/* ---- pshufd / pshuflw / pshufhw xmm, xmm/m128, imm8 ---- */

static inline __m128i sse_pshufd(__m128i v, unsigned imm)
{
	union xmm_reg s, d;
	_mm_store_si128((__m128i *)&s, v);
	for (unsigned i = 0; i < 4; i++)
		d.d[i] = s.d[(imm >> (2 * i)) & 3];
	return _mm_load_si128((const __m128i *)&d);
}
/* Shuffle the four words starting at word `base`; the other half is kept. */
static inline __m128i sse_pshufw(__m128i v, unsigned imm, unsigned base)
{
	union xmm_reg s, d;
	_mm_store_si128((__m128i *)&s, v);
	d = s;
	for (unsigned i = 0; i < 4; i++)
		d.w[base + i] = s.w[base + ((imm >> (2 * i)) & 3)];
	return _mm_load_si128((const __m128i *)&d);
}

#define SSE_DEFINE_SHUF(name, expr)                                  \
	SSE_HANDLER(op_##name##_rr)                                  \
	{                                                            \
		__m128i b = xget(cpu, op->rs);                       \
		xput(cpu, op->rd, expr);                             \
		return OP_NEXT(cpu, op);                              \
	}                                                            \
	SSE_HANDLER(op_##name##_rm)                                  \
	{                                                            \
		uint64_t ea = op_ea(cpu, op);                        \
		SSE_MCHK_A16(cpu, op, ea);                           \
		__m128i b = SSE_MLD_A16(ea);                         \
		xput(cpu, op->rd, expr);                             \
		return OP_NEXT(cpu, op);                              \
	}
SSE_DEFINE_SHUF(pshufd, sse_pshufd(b, (unsigned)op->imm))
SSE_DEFINE_SHUF(pshuflw, sse_pshufw(b, (unsigned)op->imm, 0))
SSE_DEFINE_SHUF(pshufhw, sse_pshufw(b, (unsigned)op->imm, 4))

/* ---- pextrw r32, xmm, imm8 / pinsrw xmm, r32/m16, imm8 ---- */

SSE_HANDLER(op_pextrw_rr)
{
	gpr_set32(cpu, op->rd, cpu->xmm[op->rs].w[op->imm & 7]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pinsrw_rr)
{
	cpu->xmm[op->rd].w[op->imm & 7] = gpr_get16(cpu, op->rs);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pinsrw_rm)
{
	uint64_t ea = op_ea(cpu, op);
	cpu->xmm[op->rd].w[op->imm & 7] = ld16(ea);
	return OP_NEXT(cpu, op);
}

/* ---- shifts by an immediate (66 0f 71/72/73 /2 /4 /6): a count past the lane width clears
 * the lane (fills it with the sign for psra), as the count-in-register forms do ---- */

#define SSE_DEFINE_SHIFT_IMM(name, fn)                                                  \
	SSE_HANDLER(op_##name##_ri)                                                     \
	{                                                                               \
		__m128i count = _mm_cvtsi32_si128((int)(uint8_t)op->imm);               \
		xput(cpu, op->rd, fn(xget(cpu, op->rd), count));                        \
		return OP_NEXT(cpu, op);                                                 \
	}
SSE_DEFINE_SHIFT_IMM(psrlw, _mm_srl_epi16)
SSE_DEFINE_SHIFT_IMM(psraw, _mm_sra_epi16)
SSE_DEFINE_SHIFT_IMM(psllw, _mm_sll_epi16)
SSE_DEFINE_SHIFT_IMM(psrld, _mm_srl_epi32)
SSE_DEFINE_SHIFT_IMM(psrad, _mm_sra_epi32)
SSE_DEFINE_SHIFT_IMM(pslld, _mm_sll_epi32)
SSE_DEFINE_SHIFT_IMM(psrlq, _mm_srl_epi64)
SSE_DEFINE_SHIFT_IMM(psllq, _mm_sll_epi64)

/* ---- psrldq / pslldq xmm, imm8: one op per byte count, the count being a constant ---- */

#define SSE_DEFINE_BYTE_SHIFT(n)                                                         \
	static SSE_HANDLER(op_psrldq_##n)                                                \
	{                                                                                \
		xput(cpu, op->rd, _mm_srli_si128(xget(cpu, op->rd), n));                 \
		return OP_NEXT(cpu, op);                                                  \
	}                                                                                \
	static SSE_HANDLER(op_pslldq_##n)                                                \
	{                                                                                \
		xput(cpu, op->rd, _mm_slli_si128(xget(cpu, op->rd), n));                 \
		return OP_NEXT(cpu, op);                                                  \
	}
#define SSE_BYTE_COUNTS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
	X(12) X(13) X(14) X(15) X(16)
SSE_BYTE_COUNTS(SSE_DEFINE_BYTE_SHIFT)

#define SSE_PSRLDQ_ENTRY(n) op_psrldq_##n,
#define SSE_PSLLDQ_ENTRY(n) op_pslldq_##n,
const op_fn sse_psrldq_fns[17] = { SSE_BYTE_COUNTS(SSE_PSRLDQ_ENTRY) };
const op_fn sse_pslldq_fns[17] = { SSE_BYTE_COUNTS(SSE_PSLLDQ_ENTRY) };
