/* SSE/SSE2 single and double precision arithmetic, bitwise ops and unpacks (generated from
 * SSE_LIST_FLOAT), compares into masks (cmpps/cmppd/cmpss/cmpsd), compares into RFLAGS
 * (comiss/ucomiss/comisd/ucomisd) and shufps/shufpd. Arithmetic runs on the host's SSE unit
 * under the guest's MXCSR (see ops_sse.h). */
#include "flags.h"
#include "ops_sse.h"

SSE_LIST_FLOAT(SSE_DEFINE_BIN)

/* ---- cmpps/cmppd/cmpss/cmpsd xmm, xmm/mem, imm8: one op per predicate ---- */

#define SSE_CMP_PREDICATES(X, T, TY, LK, PFX) \
	X(eq, T, TY, LK, PFX) X(lt, T, TY, LK, PFX) X(le, T, TY, LK, PFX) \
	X(unord, T, TY, LK, PFX) X(neq, T, TY, LK, PFX) X(nlt, T, TY, LK, PFX) \
	X(nle, T, TY, LK, PFX) X(ord, T, TY, LK, PFX)
#define SSE_CMP_TYPES(X) \
	SSE_CMP_PREDICATES(X, ps, S, A16, PN) SSE_CMP_PREDICATES(X, pd, D, A16, P66) \
	SSE_CMP_PREDICATES(X, ss, S, L, PF3) SSE_CMP_PREDICATES(X, sd, D, Q, PF2)

#define SSE_DEFINE_CMP(pred, T, TY, LK, PFX) \
	SSE_DEFINE_BIN(cmp##pred##T, PFX, 0xc2, TY, TY, LK, _mm_cmp##pred##_##T(a, b))
SSE_CMP_TYPES(SSE_DEFINE_CMP)

#define SSE_CMP_ENTRY(pred, T, TY, LK, PFX) { op_cmp##pred##T##_rr, op_cmp##pred##T##_rm },
#define SSE_CMP_ROW(T, TY, LK, PFX) { SSE_CMP_PREDICATES(SSE_CMP_ENTRY, T, TY, LK, PFX) },
const op_fn sse_cmp_fns[4][8][2] = {
	SSE_CMP_ROW(ps, S, A16, PN)
	SSE_CMP_ROW(pd, D, A16, P66)
	SSE_CMP_ROW(ss, S, L, PF3)
	SSE_CMP_ROW(sd, D, Q, PF2)
};

/* ---- comiss/ucomiss/comisd/ucomisd: ZF PF CF from the compare, OF SF AF cleared ---- */

static inline void sse_set_compare_flags(struct cpu *cpu, bool zf, bool pf, bool cf)
{
	flags_set_arith(cpu, (zf ? FL_ZF : 0) | (pf ? FL_PF : 0) | (cf ? FL_CF : 0));
}

/* The host instruction itself, so signalling (comis) and quiet (ucomis) NaN rules, DAZ and the
 * invalid/denormal flags are the CPU's. */
#define SSE_DEFINE_COMI(name, TY, LK)                                                      \
	static inline void sse_##name(struct cpu *cpu, SSE_T_##TY a, SSE_T_##TY b)         \
	{                                                                                  \
		bool zf, pf, cf;                                                           \
		__asm__ volatile(#name " %[b], %[a]"                                       \
				 : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)                   \
				 : [a] "x"(a), [b] "x"(b));                                \
		sse_set_compare_flags(cpu, zf, pf, cf);                                    \
	}                                                                                  \
	SSE_HANDLER(op_##name##_rr)                                                        \
	{                                                                                  \
		sse_mark(cpu, op);                                                         \
		sse_##name(cpu, SSE_FROMI_##TY(xget(cpu, op->rd)),                         \
			   SSE_FROMI_##TY(xget(cpu, op->rs)));                             \
		return OP_NEXT(cpu, op);                                                    \
	}                                                                                  \
	SSE_HANDLER(op_##name##_rm)                                                        \
	{                                                                                  \
		uint64_t ea = op_ea(cpu, op);                                              \
		SSE_T_##TY b = SSE_FROMI_##TY(SSE_MLD_##LK(ea));                           \
		sse_##name(cpu, SSE_FROMI_##TY(xget(cpu, op->rd)), b);                     \
		return OP_NEXT(cpu, op);                                                    \
	}
SSE_DEFINE_COMI(comiss, S, L)
SSE_DEFINE_COMI(ucomiss, S, L)
SSE_DEFINE_COMI(comisd, D, Q)
SSE_DEFINE_COMI(ucomisd, D, Q)

/* ---- shufps / shufpd xmm, xmm/m128, imm8 ---- */

static inline __m128i sse_shufps(__m128i va, __m128i vb, unsigned imm)
{
	union xmm_reg a, b, d;
	_mm_store_si128((__m128i *)&a, va);
	_mm_store_si128((__m128i *)&b, vb);
	d.d[0] = a.d[imm & 3];
	d.d[1] = a.d[(imm >> 2) & 3];
	d.d[2] = b.d[(imm >> 4) & 3];
	d.d[3] = b.d[(imm >> 6) & 3];
	return _mm_load_si128((const __m128i *)&d);
}
static inline __m128i sse_shufpd(__m128i va, __m128i vb, unsigned imm)
{
	union xmm_reg a, b, d;
	_mm_store_si128((__m128i *)&a, va);
	_mm_store_si128((__m128i *)&b, vb);
	d.q[0] = a.q[imm & 1];
	d.q[1] = b.q[(imm >> 1) & 1];
	return _mm_load_si128((const __m128i *)&d);
}
SSE_DEFINE_BIN(shufps, PN, 0xc6, I, I, A16, sse_shufps(a, b, (unsigned)op->imm))
SSE_DEFINE_BIN(shufpd, P66, 0xc6, I, I, A16, sse_shufpd(a, b, (unsigned)op->imm))
