/* SSE/SSE2 conversions: between XMM formats (generated from SSE_LIST_CVT) and between scalar
 * floats and 32/64-bit integers. The host instruction does each conversion, so MXCSR rounding,
 * the precision/invalid flags and the integer indefinite value (0x80000000, 0x8000000000000000)
 * for NaN and out-of-range inputs are the CPU's. */
#include "ops_sse.h"

SSE_LIST_CVT(SSE_DEFINE_BIN)

/* cvtsi2ss/cvtsi2sd xmm, r/m32 or r/m64: the low lane is replaced, the rest kept. */
#define SSE_DEFINE_CVT_SI(name, TY, fn32, fn64)                                             \
	SSE_HANDLER(op_##name##_xr32)                                                       \
	{                                                                                   \
		sse_mark(cpu, op);                                                          \
		SSE_T_##TY a = SSE_FROMI_##TY(xget(cpu, op->rd));                           \
		xput(cpu, op->rd, SSE_TOI_##TY(fn32(a, (int)gpr_get32(cpu, op->rs))));      \
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_xm32)                                                       \
	{                                                                                   \
		uint64_t ea = op_ea(cpu, op);                                               \
		int v = (int)ld32(ea);                                                      \
		SSE_T_##TY a = SSE_FROMI_##TY(xget(cpu, op->rd));                           \
		xput(cpu, op->rd, SSE_TOI_##TY(fn32(a, v)));                                \
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_xr64)                                                       \
	{                                                                                   \
		sse_mark(cpu, op);                                                          \
		SSE_T_##TY a = SSE_FROMI_##TY(xget(cpu, op->rd));                           \
		xput(cpu, op->rd, SSE_TOI_##TY(fn64(a, (long long)gpr_get64(cpu, op->rs))));\
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_xm64)                                                       \
	{                                                                                   \
		uint64_t ea = op_ea(cpu, op);                                               \
		long long v = (long long)ld64(ea);                                          \
		SSE_T_##TY a = SSE_FROMI_##TY(xget(cpu, op->rd));                           \
		xput(cpu, op->rd, SSE_TOI_##TY(fn64(a, v)));                                \
		return OP_NEXT(cpu, op);                                                     \
	}
SSE_DEFINE_CVT_SI(cvtsi2ss, S, _mm_cvtsi32_ss, _mm_cvtsi64_ss)
SSE_DEFINE_CVT_SI(cvtsi2sd, D, _mm_cvtsi32_sd, _mm_cvtsi64_sd)

/* cvt(t)ss2si/cvt(t)sd2si r32 or r64, xmm/m32 (ss) or xmm/m64 (sd). */
#define SSE_DEFINE_CVT_2SI(name, TY, LK, fn32, fn64)                                        \
	SSE_HANDLER(op_##name##_r32x)                                                       \
	{                                                                                   \
		sse_mark(cpu, op);                                                          \
		SSE_T_##TY b = SSE_FROMI_##TY(xget(cpu, op->rs));                           \
		gpr_set32(cpu, op->rd, (uint32_t)fn32(b));                                  \
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_r32m)                                                       \
	{                                                                                   \
		uint64_t ea = op_ea(cpu, op);                                               \
		SSE_T_##TY b = SSE_FROMI_##TY(SSE_MLD_##LK(ea));                            \
		gpr_set32(cpu, op->rd, (uint32_t)fn32(b));                                  \
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_r64x)                                                       \
	{                                                                                   \
		sse_mark(cpu, op);                                                          \
		SSE_T_##TY b = SSE_FROMI_##TY(xget(cpu, op->rs));                           \
		gpr_set64(cpu, op->rd, (uint64_t)fn64(b));                                  \
		return OP_NEXT(cpu, op);                                                     \
	}                                                                                   \
	SSE_HANDLER(op_##name##_r64m)                                                       \
	{                                                                                   \
		uint64_t ea = op_ea(cpu, op);                                               \
		SSE_T_##TY b = SSE_FROMI_##TY(SSE_MLD_##LK(ea));                            \
		gpr_set64(cpu, op->rd, (uint64_t)fn64(b));                                  \
		return OP_NEXT(cpu, op);                                                     \
	}
SSE_DEFINE_CVT_2SI(cvtss2si, S, L, _mm_cvtss_si32, _mm_cvtss_si64)
SSE_DEFINE_CVT_2SI(cvttss2si, S, L, _mm_cvttss_si32, _mm_cvttss_si64)
SSE_DEFINE_CVT_2SI(cvtsd2si, D, Q, _mm_cvtsd_si32, _mm_cvtsd_si64)
SSE_DEFINE_CVT_2SI(cvttsd2si, D, Q, _mm_cvttsd_si32, _mm_cvttsd_si64)
