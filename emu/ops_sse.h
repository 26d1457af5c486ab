/* Shared by the SSE/SSE2/MMX op files (emu/ops_sse_*.c, emu/ops_mmx.c) and their lowering
 * (emu/decode_sse.c): operand access, the alignment rule, and the lists of generated ops.
 *
 * Operands: op->rd is the destination, op->rs the source: an XMM or MMX register number, or a GPR
 * byte offset (op.h). The memory operand, when there is one, is op_ea(). op->imm is the imm8.
 *
 * Float ops compute with the host's SSE instructions on the guest's values: the host MXCSR is the
 * guest's (emu/sse.h), so results and exception flags are the CPU's. An op that may raise a SIMD
 * exception marks itself in cpu->cur_op first (op_ea does for memory forms), so an exception the
 * guest unmasked traps as a host SIGFPE attributed to that op, before its destination is written.
 */
#ifndef SFDEMU_OPS_SSE_H
#define SFDEMU_OPS_SSE_H

#include <emmintrin.h>
#include <stdbool.h>
#include "op.h"
#include "sse.h"

#define SSE_HANDLER(fn) const struct op *fn(struct cpu *cpu, const struct op *op)

/* The mandatory prefix of an SSE encoding: none, 66, f3, f2. */
enum { PN, P66, PF3, PF2 };

/* ---- XMM registers ---- */

static inline __m128i xget(const struct cpu *cpu, unsigned n)
{
	return _mm_load_si128((const __m128i *)&cpu->xmm[n]);
}
static inline void xput(struct cpu *cpu, unsigned n, __m128i v)
{
	_mm_store_si128((__m128i *)&cpu->xmm[n], v);
}

/* ---- MMX registers: mmN is the significand of x87 physical register N ---- */

static inline uint64_t mm_get(const struct cpu *cpu, unsigned n)
{
	uint64_t v;
	memcpy(&v, &cpu->x87.phys[n], 8);
	return v;
}
/* Writing mmN sets the register's sign and exponent to all ones, as the CPU does. */
static inline void mm_put(struct cpu *cpu, unsigned n, uint64_t v)
{
	static const uint16_t ones = 0xffff;
	memcpy(&cpu->x87.phys[n], &v, 8);
	memcpy((char *)&cpu->x87.phys[n] + 8, &ones, 2);
}
/* Every MMX instruction but emms: TOP = 0, every register tagged valid. */
static inline void mm_enter(struct cpu *cpu)
{
	cpu->x87.top = 0;
	cpu->x87.tag_valid = 0xff;
}

/* ---- memory operands ---- */

/* #GP for a misaligned 16-byte operand: Linux sends SIGSEGV, SI_KERNEL, si_addr 0. */
const struct op *sse_gp(struct cpu *cpu, const struct op *op);

/* A legacy-SSE 16-byte operand must be aligned, unless the guest set MXCSR.MM (AMD's
 * misaligned-SSE mode, which the explicitly aligned moves ignore). */
static inline bool sse_misaligned(const struct cpu *cpu, uint64_t ea)
{
	return unlikely(ea & 15) && !(cpu->mxcsr & MXCSR_MM);
}

/* Mark op as the one that may trap (see above); the barrier keeps the store before the
 * arithmetic, whose operands are loaded after it. */
static inline void sse_mark(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	__asm__ volatile("" ::: "memory");
}

#define SSE_PTR(ea) ((const void *)(uintptr_t)(ea))
#define SSE_WPTR(ea) ((void *)(uintptr_t)(ea))

/* Load kinds of a source memory operand, as an __m128i: A16 (16 bytes, aligned unless MM), S16
 * (16 bytes, always aligned), U16 (16 bytes, any alignment), Q (8 bytes into the low half, the
 * rest zero), L (4 bytes into the low lane, the rest zero). */
#define SSE_MCHK_A16(cpu, op, ea) do { if (sse_misaligned(cpu, ea)) return sse_gp(cpu, op); } while (0)
#define SSE_MCHK_S16(cpu, op, ea) do { if (unlikely((ea) & 15)) return sse_gp(cpu, op); } while (0)
#define SSE_MCHK_U16(cpu, op, ea) do { } while (0)
#define SSE_MCHK_Q(cpu, op, ea) do { } while (0)
#define SSE_MCHK_L(cpu, op, ea) do { } while (0)
#define SSE_MLD_A16(ea) _mm_loadu_si128((const __m128i *)SSE_PTR(ea))
#define SSE_MLD_S16(ea) _mm_loadu_si128((const __m128i *)SSE_PTR(ea))
#define SSE_MLD_U16(ea) _mm_loadu_si128((const __m128i *)SSE_PTR(ea))
#define SSE_MLD_Q(ea) _mm_loadl_epi64((const __m128i *)SSE_PTR(ea))
#define SSE_MLD_L(ea) _mm_cvtsi32_si128((int)ld32(ea))

/* Operand types: I integer, S single, D double. */
#define SSE_T_I __m128i
#define SSE_T_S __m128
#define SSE_T_D __m128d
#define SSE_FROMI_I(x) (x)
#define SSE_FROMI_S(x) _mm_castsi128_ps(x)
#define SSE_FROMI_D(x) _mm_castsi128_pd(x)
#define SSE_TOI_I(x) (x)
#define SSE_TOI_S(x) _mm_castps_si128(x)
#define SSE_TOI_D(x) _mm_castpd_si128(x)
/* Ops with a float operand may raise SIMD exceptions; integer-only ones never do. */
#define SSE_FLOAT_I 0
#define SSE_FLOAT_S 1
#define SSE_FLOAT_D 1
#define SSE_MARK_IF(cpu, op, TD, TS)                          \
	do {                                                  \
		if (SSE_FLOAT_##TD || SSE_FLOAT_##TS)         \
			sse_mark(cpu, op);                    \
	} while (0)

/* An op `xmm = expr(a, b)`, a being the destination's old value (type TD) and b the source
 * (type TS, an XMM register or memory of load kind LK): op_<name>_rr and op_<name>_rm. The
 * source is read in full before the destination is written (they may be the same register). */
#define SSE_DEFINE_BIN(name, pfx, opc, TD, TS, LK, expr)                                   \
	SSE_HANDLER(op_##name##_rr)                                                        \
	{                                                                                  \
		SSE_MARK_IF(cpu, op, TD, TS);                                              \
		__attribute__((unused)) SSE_T_##TD a = SSE_FROMI_##TD(xget(cpu, op->rd));  \
		SSE_T_##TS b = SSE_FROMI_##TS(xget(cpu, op->rs));                          \
		xput(cpu, op->rd, SSE_TOI_##TD(expr));                                     \
		return OP_NEXT(cpu, op);                                                    \
	}                                                                                  \
	SSE_HANDLER(op_##name##_rm)                                                        \
	{                                                                                  \
		uint64_t ea = op_ea(cpu, op);                                              \
		SSE_MCHK_##LK(cpu, op, ea);                                                \
		SSE_T_##TS b = SSE_FROMI_##TS(SSE_MLD_##LK(ea));                           \
		__attribute__((unused)) SSE_T_##TD a = SSE_FROMI_##TD(xget(cpu, op->rd));  \
		xput(cpu, op->rd, SSE_TOI_##TD(expr));                                     \
		return OP_NEXT(cpu, op);                                                    \
	}
#define SSE_DECLARE_BIN(name, ...) SSE_HANDLER(op_##name##_rr); SSE_HANDLER(op_##name##_rm);

/* Packed add and multiply as explicit instructions: gcc treats vector + and * as commutative and
 * may swap the operands, which changes which NaN the result carries. */
#define SSE_DEFINE_ASM_BIN(fn, insn, T)                                 \
	static inline T fn(T a, T b)                                    \
	{                                                               \
		__asm__(insn " %1, %0" : "+x"(a) : "x"(b));             \
		return a;                                               \
	}
SSE_DEFINE_ASM_BIN(sse_addps, "addps", __m128)
SSE_DEFINE_ASM_BIN(sse_addpd, "addpd", __m128d)
SSE_DEFINE_ASM_BIN(sse_mulps, "mulps", __m128)
SSE_DEFINE_ASM_BIN(sse_mulpd, "mulpd", __m128d)

/* ---- the generated ops: X(name, prefix, opcode, TD, TS, LK, expr) ---- */

/* Packed integer (66 0f xx), emu/ops_sse_int.c. MMX forms are the same opcodes without 66. */
#define SSE_LIST_INT(X)                                                                    \
	X(paddb, P66, 0xfc, I, I, A16, _mm_add_epi8(a, b))                                 \
	X(paddw, P66, 0xfd, I, I, A16, _mm_add_epi16(a, b))                                \
	X(paddd, P66, 0xfe, I, I, A16, _mm_add_epi32(a, b))                                \
	X(paddq, P66, 0xd4, I, I, A16, _mm_add_epi64(a, b))                                \
	X(psubb, P66, 0xf8, I, I, A16, _mm_sub_epi8(a, b))                                 \
	X(psubw, P66, 0xf9, I, I, A16, _mm_sub_epi16(a, b))                                \
	X(psubd, P66, 0xfa, I, I, A16, _mm_sub_epi32(a, b))                                \
	X(psubq, P66, 0xfb, I, I, A16, _mm_sub_epi64(a, b))                                \
	X(paddsb, P66, 0xec, I, I, A16, _mm_adds_epi8(a, b))                               \
	X(paddsw, P66, 0xed, I, I, A16, _mm_adds_epi16(a, b))                              \
	X(paddusb, P66, 0xdc, I, I, A16, _mm_adds_epu8(a, b))                              \
	X(paddusw, P66, 0xdd, I, I, A16, _mm_adds_epu16(a, b))                             \
	X(psubsb, P66, 0xe8, I, I, A16, _mm_subs_epi8(a, b))                               \
	X(psubsw, P66, 0xe9, I, I, A16, _mm_subs_epi16(a, b))                              \
	X(psubusb, P66, 0xd8, I, I, A16, _mm_subs_epu8(a, b))                              \
	X(psubusw, P66, 0xd9, I, I, A16, _mm_subs_epu16(a, b))                             \
	X(pmullw, P66, 0xd5, I, I, A16, _mm_mullo_epi16(a, b))                             \
	X(pmulhw, P66, 0xe5, I, I, A16, _mm_mulhi_epi16(a, b))                             \
	X(pmulhuw, P66, 0xe4, I, I, A16, _mm_mulhi_epu16(a, b))                            \
	X(pmuludq, P66, 0xf4, I, I, A16, _mm_mul_epu32(a, b))                              \
	X(pmaddwd, P66, 0xf5, I, I, A16, _mm_madd_epi16(a, b))                             \
	X(pavgb, P66, 0xe0, I, I, A16, _mm_avg_epu8(a, b))                                 \
	X(pavgw, P66, 0xe3, I, I, A16, _mm_avg_epu16(a, b))                                \
	X(pmaxsw, P66, 0xee, I, I, A16, _mm_max_epi16(a, b))                               \
	X(pmaxub, P66, 0xde, I, I, A16, _mm_max_epu8(a, b))                                \
	X(pminsw, P66, 0xea, I, I, A16, _mm_min_epi16(a, b))                               \
	X(pminub, P66, 0xda, I, I, A16, _mm_min_epu8(a, b))                                \
	X(psadbw, P66, 0xf6, I, I, A16, _mm_sad_epu8(a, b))                                \
	X(pcmpeqb, P66, 0x74, I, I, A16, _mm_cmpeq_epi8(a, b))                             \
	X(pcmpeqw, P66, 0x75, I, I, A16, _mm_cmpeq_epi16(a, b))                            \
	X(pcmpeqd, P66, 0x76, I, I, A16, _mm_cmpeq_epi32(a, b))                            \
	X(pcmpgtb, P66, 0x64, I, I, A16, _mm_cmpgt_epi8(a, b))                             \
	X(pcmpgtw, P66, 0x65, I, I, A16, _mm_cmpgt_epi16(a, b))                            \
	X(pcmpgtd, P66, 0x66, I, I, A16, _mm_cmpgt_epi32(a, b))                            \
	X(pand, P66, 0xdb, I, I, A16, _mm_and_si128(a, b))                                 \
	X(pandn, P66, 0xdf, I, I, A16, _mm_andnot_si128(a, b))                             \
	X(por, P66, 0xeb, I, I, A16, _mm_or_si128(a, b))                                   \
	X(pxor, P66, 0xef, I, I, A16, _mm_xor_si128(a, b))                                 \
	X(psllw, P66, 0xf1, I, I, A16, _mm_sll_epi16(a, b))                                \
	X(pslld, P66, 0xf2, I, I, A16, _mm_sll_epi32(a, b))                                \
	X(psllq, P66, 0xf3, I, I, A16, _mm_sll_epi64(a, b))                                \
	X(psrlw, P66, 0xd1, I, I, A16, _mm_srl_epi16(a, b))                                \
	X(psrld, P66, 0xd2, I, I, A16, _mm_srl_epi32(a, b))                                \
	X(psrlq, P66, 0xd3, I, I, A16, _mm_srl_epi64(a, b))                                \
	X(psraw, P66, 0xe1, I, I, A16, _mm_sra_epi16(a, b))                                \
	X(psrad, P66, 0xe2, I, I, A16, _mm_sra_epi32(a, b))                                \
	X(packsswb, P66, 0x63, I, I, A16, _mm_packs_epi16(a, b))                           \
	X(packssdw, P66, 0x6b, I, I, A16, _mm_packs_epi32(a, b))                           \
	X(packuswb, P66, 0x67, I, I, A16, _mm_packus_epi16(a, b))                          \
	X(punpcklbw, P66, 0x60, I, I, A16, _mm_unpacklo_epi8(a, b))                        \
	X(punpcklwd, P66, 0x61, I, I, A16, _mm_unpacklo_epi16(a, b))                       \
	X(punpckldq, P66, 0x62, I, I, A16, _mm_unpacklo_epi32(a, b))                       \
	X(punpcklqdq, P66, 0x6c, I, I, A16, _mm_unpacklo_epi64(a, b))                      \
	X(punpckhbw, P66, 0x68, I, I, A16, _mm_unpackhi_epi8(a, b))                        \
	X(punpckhwd, P66, 0x69, I, I, A16, _mm_unpackhi_epi16(a, b))                       \
	X(punpckhdq, P66, 0x6a, I, I, A16, _mm_unpackhi_epi32(a, b))                       \
	X(punpckhqdq, P66, 0x6d, I, I, A16, _mm_unpackhi_epi64(a, b))

/* Float arithmetic and bitwise ops, emu/ops_sse_float.c. Bitwise ops and unpacks are integer
 * operations: they never raise. */
#define SSE_LIST_FLOAT(X)                                                                  \
	X(addps, PN, 0x58, S, S, A16, sse_addps(a, b))                                     \
	X(addpd, P66, 0x58, D, D, A16, sse_addpd(a, b))                                    \
	X(addss, PF3, 0x58, S, S, L, _mm_add_ss(a, b))                                     \
	X(addsd, PF2, 0x58, D, D, Q, _mm_add_sd(a, b))                                     \
	X(mulps, PN, 0x59, S, S, A16, sse_mulps(a, b))                                     \
	X(mulpd, P66, 0x59, D, D, A16, sse_mulpd(a, b))                                    \
	X(mulss, PF3, 0x59, S, S, L, _mm_mul_ss(a, b))                                     \
	X(mulsd, PF2, 0x59, D, D, Q, _mm_mul_sd(a, b))                                     \
	X(subps, PN, 0x5c, S, S, A16, _mm_sub_ps(a, b))                                    \
	X(subpd, P66, 0x5c, D, D, A16, _mm_sub_pd(a, b))                                   \
	X(subss, PF3, 0x5c, S, S, L, _mm_sub_ss(a, b))                                     \
	X(subsd, PF2, 0x5c, D, D, Q, _mm_sub_sd(a, b))                                     \
	X(minps, PN, 0x5d, S, S, A16, _mm_min_ps(a, b))                                    \
	X(minpd, P66, 0x5d, D, D, A16, _mm_min_pd(a, b))                                   \
	X(minss, PF3, 0x5d, S, S, L, _mm_min_ss(a, b))                                     \
	X(minsd, PF2, 0x5d, D, D, Q, _mm_min_sd(a, b))                                     \
	X(divps, PN, 0x5e, S, S, A16, _mm_div_ps(a, b))                                    \
	X(divpd, P66, 0x5e, D, D, A16, _mm_div_pd(a, b))                                   \
	X(divss, PF3, 0x5e, S, S, L, _mm_div_ss(a, b))                                     \
	X(divsd, PF2, 0x5e, D, D, Q, _mm_div_sd(a, b))                                     \
	X(maxps, PN, 0x5f, S, S, A16, _mm_max_ps(a, b))                                    \
	X(maxpd, P66, 0x5f, D, D, A16, _mm_max_pd(a, b))                                   \
	X(maxss, PF3, 0x5f, S, S, L, _mm_max_ss(a, b))                                     \
	X(maxsd, PF2, 0x5f, D, D, Q, _mm_max_sd(a, b))                                     \
	X(sqrtps, PN, 0x51, S, S, A16, _mm_sqrt_ps(b))                                     \
	X(sqrtpd, P66, 0x51, D, D, A16, _mm_sqrt_pd(b))                                    \
	X(sqrtss, PF3, 0x51, S, S, L, _mm_move_ss(a, _mm_sqrt_ss(b)))                      \
	X(sqrtsd, PF2, 0x51, D, D, Q, _mm_sqrt_sd(a, b))                                   \
	X(rsqrtps, PN, 0x52, S, S, A16, _mm_rsqrt_ps(b))                                   \
	X(rsqrtss, PF3, 0x52, S, S, L, _mm_move_ss(a, _mm_rsqrt_ss(b)))                    \
	X(rcpps, PN, 0x53, S, S, A16, _mm_rcp_ps(b))                                       \
	X(rcpss, PF3, 0x53, S, S, L, _mm_move_ss(a, _mm_rcp_ss(b)))                        \
	X(andps, PN, 0x54, I, I, A16, _mm_and_si128(a, b))                                 \
	X(andpd, P66, 0x54, I, I, A16, _mm_and_si128(a, b))                                \
	X(andnps, PN, 0x55, I, I, A16, _mm_andnot_si128(a, b))                             \
	X(andnpd, P66, 0x55, I, I, A16, _mm_andnot_si128(a, b))                            \
	X(orps, PN, 0x56, I, I, A16, _mm_or_si128(a, b))                                   \
	X(orpd, P66, 0x56, I, I, A16, _mm_or_si128(a, b))                                  \
	X(xorps, PN, 0x57, I, I, A16, _mm_xor_si128(a, b))                                 \
	X(xorpd, P66, 0x57, I, I, A16, _mm_xor_si128(a, b))                                \
	X(unpcklps, PN, 0x14, I, I, A16, _mm_unpacklo_epi32(a, b))                         \
	X(unpcklpd, P66, 0x14, I, I, A16, _mm_unpacklo_epi64(a, b))                        \
	X(unpckhps, PN, 0x15, I, I, A16, _mm_unpackhi_epi32(a, b))                         \
	X(unpckhpd, P66, 0x15, I, I, A16, _mm_unpackhi_epi64(a, b))

/* Conversions between XMM formats, emu/ops_sse_convert.c. */
#define SSE_LIST_CVT(X)                                                                    \
	X(cvtps2pd, PN, 0x5a, D, S, Q, _mm_cvtps_pd(b))                                    \
	X(cvtpd2ps, P66, 0x5a, S, D, A16, _mm_cvtpd_ps(b))                                 \
	X(cvtss2sd, PF3, 0x5a, D, S, L, _mm_cvtss_sd(a, b))                                \
	X(cvtsd2ss, PF2, 0x5a, S, D, Q, _mm_cvtsd_ss(a, b))                                \
	X(cvtdq2ps, PN, 0x5b, S, I, A16, _mm_cvtepi32_ps(b))                               \
	X(cvtps2dq, P66, 0x5b, I, S, A16, _mm_cvtps_epi32(b))                              \
	X(cvttps2dq, PF3, 0x5b, I, S, A16, _mm_cvttps_epi32(b))                            \
	X(cvtdq2pd, PF3, 0xe6, D, I, Q, _mm_cvtepi32_pd(b))                                \
	X(cvtpd2dq, PF2, 0xe6, I, D, A16, _mm_cvtpd_epi32(b))                              \
	X(cvttpd2dq, P66, 0xe6, I, D, A16, _mm_cvttpd_epi32(b))

/* Moves whose register and memory forms agree, emu/ops_sse_move.c. */
#define SSE_LIST_MOVE(X)                                                                   \
	X(movups, PN, 0x10, I, I, U16, b)                                                  \
	X(movupd, P66, 0x10, I, I, U16, b)                                                 \
	X(movdqu, PF3, 0x6f, I, I, U16, b)                                                 \
	X(movaps, PN, 0x28, I, I, S16, b)                                                  \
	X(movapd, P66, 0x28, I, I, S16, b)                                                 \
	X(movdqa, P66, 0x6f, I, I, S16, b)                                                 \
	X(movq, PF3, 0x7e, I, I, Q, _mm_move_epi64(b))

/* MMX packed integer (0f xx, no prefix), emu/ops_mmx.c: X(name, opcode, LK, expr), a and b
 * holding the 64-bit operands in their low halves, LK the memory width (Q, or L for the low
 * unpacks, which read m32); the result is the low half of expr. */
#define MMX_LIST(X)                                                                        \
	X(paddb, 0xfc, Q, _mm_add_epi8(a, b))                                              \
	X(paddw, 0xfd, Q, _mm_add_epi16(a, b))                                             \
	X(paddd, 0xfe, Q, _mm_add_epi32(a, b))                                             \
	X(paddq, 0xd4, Q, _mm_add_epi64(a, b))                                             \
	X(psubb, 0xf8, Q, _mm_sub_epi8(a, b))                                              \
	X(psubw, 0xf9, Q, _mm_sub_epi16(a, b))                                             \
	X(psubd, 0xfa, Q, _mm_sub_epi32(a, b))                                             \
	X(psubq, 0xfb, Q, _mm_sub_epi64(a, b))                                             \
	X(paddsb, 0xec, Q, _mm_adds_epi8(a, b))                                            \
	X(paddsw, 0xed, Q, _mm_adds_epi16(a, b))                                           \
	X(paddusb, 0xdc, Q, _mm_adds_epu8(a, b))                                           \
	X(paddusw, 0xdd, Q, _mm_adds_epu16(a, b))                                          \
	X(psubsb, 0xe8, Q, _mm_subs_epi8(a, b))                                            \
	X(psubsw, 0xe9, Q, _mm_subs_epi16(a, b))                                           \
	X(psubusb, 0xd8, Q, _mm_subs_epu8(a, b))                                           \
	X(psubusw, 0xd9, Q, _mm_subs_epu16(a, b))                                          \
	X(pmullw, 0xd5, Q, _mm_mullo_epi16(a, b))                                          \
	X(pmulhw, 0xe5, Q, _mm_mulhi_epi16(a, b))                                          \
	X(pmulhuw, 0xe4, Q, _mm_mulhi_epu16(a, b))                                         \
	X(pmuludq, 0xf4, Q, _mm_mul_epu32(a, b))                                           \
	X(pmaddwd, 0xf5, Q, _mm_madd_epi16(a, b))                                          \
	X(pavgb, 0xe0, Q, _mm_avg_epu8(a, b))                                              \
	X(pavgw, 0xe3, Q, _mm_avg_epu16(a, b))                                             \
	X(pmaxsw, 0xee, Q, _mm_max_epi16(a, b))                                            \
	X(pmaxub, 0xde, Q, _mm_max_epu8(a, b))                                             \
	X(pminsw, 0xea, Q, _mm_min_epi16(a, b))                                            \
	X(pminub, 0xda, Q, _mm_min_epu8(a, b))                                             \
	X(psadbw, 0xf6, Q, _mm_sad_epu8(a, b))                                             \
	X(pcmpeqb, 0x74, Q, _mm_cmpeq_epi8(a, b))                                          \
	X(pcmpeqw, 0x75, Q, _mm_cmpeq_epi16(a, b))                                         \
	X(pcmpeqd, 0x76, Q, _mm_cmpeq_epi32(a, b))                                         \
	X(pcmpgtb, 0x64, Q, _mm_cmpgt_epi8(a, b))                                          \
	X(pcmpgtw, 0x65, Q, _mm_cmpgt_epi16(a, b))                                         \
	X(pcmpgtd, 0x66, Q, _mm_cmpgt_epi32(a, b))                                         \
	X(pand, 0xdb, Q, _mm_and_si128(a, b))                                              \
	X(pandn, 0xdf, Q, _mm_andnot_si128(a, b))                                          \
	X(por, 0xeb, Q, _mm_or_si128(a, b))                                                \
	X(pxor, 0xef, Q, _mm_xor_si128(a, b))                                              \
	X(psllw, 0xf1, Q, _mm_sll_epi16(a, b))                                             \
	X(pslld, 0xf2, Q, _mm_sll_epi32(a, b))                                             \
	X(psllq, 0xf3, Q, _mm_sll_epi64(a, b))                                             \
	X(psrlw, 0xd1, Q, _mm_srl_epi16(a, b))                                             \
	X(psrld, 0xd2, Q, _mm_srl_epi32(a, b))                                             \
	X(psrlq, 0xd3, Q, _mm_srl_epi64(a, b))                                             \
	X(psraw, 0xe1, Q, _mm_sra_epi16(a, b))                                             \
	X(psrad, 0xe2, Q, _mm_sra_epi32(a, b))                                             \
	X(packsswb, 0x63, Q, _mm_packs_epi16(_mm_unpacklo_epi64(a, b), b))                 \
	X(packssdw, 0x6b, Q, _mm_packs_epi32(_mm_unpacklo_epi64(a, b), b))                 \
	X(packuswb, 0x67, Q, _mm_packus_epi16(_mm_unpacklo_epi64(a, b), b))                \
	X(punpcklbw, 0x60, L, _mm_unpacklo_epi8(a, b))                                     \
	X(punpcklwd, 0x61, L, _mm_unpacklo_epi16(a, b))                                    \
	X(punpckldq, 0x62, L, _mm_unpacklo_epi32(a, b))                                    \
	X(punpckhbw, 0x68, Q, _mm_srli_si128(_mm_unpacklo_epi8(a, b), 8))                  \
	X(punpckhwd, 0x69, Q, _mm_srli_si128(_mm_unpacklo_epi16(a, b), 8))                 \
	X(punpckhdq, 0x6a, Q, _mm_srli_si128(_mm_unpacklo_epi32(a, b), 8))
#define MMX_DECLARE_BIN(name, ...) SSE_HANDLER(op_##name##_mmx_rr); SSE_HANDLER(op_##name##_mmx_rm);

SSE_LIST_INT(SSE_DECLARE_BIN)
MMX_LIST(MMX_DECLARE_BIN)
SSE_LIST_FLOAT(SSE_DECLARE_BIN)
SSE_LIST_CVT(SSE_DECLARE_BIN)
SSE_LIST_MOVE(SSE_DECLARE_BIN)

/* ---- hand-written ops (suffix: rr reg<-reg, rm reg<-mem, mr mem<-reg; r32/r64/m32/m64 name
 * a GPR or memory operand's width) ---- */

/* emu/ops_sse_move.c */
SSE_HANDLER(op_movss_rr); SSE_HANDLER(op_movss_rm); SSE_HANDLER(op_movss_mr);
SSE_HANDLER(op_movsd_rr); SSE_HANDLER(op_movsd_rm); SSE_HANDLER(op_movsd_mr);
SSE_HANDLER(op_movups_mr); SSE_HANDLER(op_movaps_mr);
SSE_HANDLER(op_movlps_rm); SSE_HANDLER(op_movlps_mr);
SSE_HANDLER(op_movhps_rm); SSE_HANDLER(op_movhps_mr);
SSE_HANDLER(op_movhlps_rr); SSE_HANDLER(op_movlhps_rr);
SSE_HANDLER(op_movq_mr);
SSE_HANDLER(op_movd_xr32); SSE_HANDLER(op_movd_xm32);
SSE_HANDLER(op_movd_xr64); SSE_HANDLER(op_movd_xm64);
SSE_HANDLER(op_movd_r32x); SSE_HANDLER(op_movd_m32x);
SSE_HANDLER(op_movd_r64x); SSE_HANDLER(op_movd_m64x);
SSE_HANDLER(op_movmskps_rr); SSE_HANDLER(op_movmskpd_rr); SSE_HANDLER(op_pmovmskb_rr);
SSE_HANDLER(op_movnti_m32); SSE_HANDLER(op_movnti_m64);
SSE_HANDLER(op_maskmovdqu_rr);
SSE_HANDLER(op_ldmxcsr_m); SSE_HANDLER(op_stmxcsr_m);
SSE_HANDLER(op_prefetch_m);

/* emu/ops_sse_int.c */
SSE_HANDLER(op_pshufd_rr); SSE_HANDLER(op_pshufd_rm);
SSE_HANDLER(op_pshuflw_rr); SSE_HANDLER(op_pshuflw_rm);
SSE_HANDLER(op_pshufhw_rr); SSE_HANDLER(op_pshufhw_rm);
SSE_HANDLER(op_pextrw_rr);
SSE_HANDLER(op_pinsrw_rr); SSE_HANDLER(op_pinsrw_rm);
/* Shifts by an immediate (66 0f 71/72/73), by /reg: [0] psrl, [1] psra, [2] psll. */
SSE_HANDLER(op_psrlw_ri); SSE_HANDLER(op_psraw_ri); SSE_HANDLER(op_psllw_ri);
SSE_HANDLER(op_psrld_ri); SSE_HANDLER(op_psrad_ri); SSE_HANDLER(op_pslld_ri);
SSE_HANDLER(op_psrlq_ri); SSE_HANDLER(op_psllq_ri);
/* Byte shifts, one op per count 0..16 (16 and above clear the register). */
extern const op_fn sse_psrldq_fns[17], sse_pslldq_fns[17];

/* emu/ops_sse_float.c */
SSE_HANDLER(op_shufps_rr); SSE_HANDLER(op_shufps_rm);
SSE_HANDLER(op_shufpd_rr); SSE_HANDLER(op_shufpd_rm);
SSE_HANDLER(op_comiss_rr); SSE_HANDLER(op_comiss_rm);
SSE_HANDLER(op_ucomiss_rr); SSE_HANDLER(op_ucomiss_rm);
SSE_HANDLER(op_comisd_rr); SSE_HANDLER(op_comisd_rm);
SSE_HANDLER(op_ucomisd_rr); SSE_HANDLER(op_ucomisd_rm);
/* cmpps/cmppd/cmpss/cmpsd (0f c2): [prefix PN/P66/PF3/PF2][predicate imm8 & 7][0 rr, 1 rm]. */
extern const op_fn sse_cmp_fns[4][8][2];

/* emu/ops_sse_convert.c: xr32 is xmm <- r32, r32m is r32 <- memory, and so on. */
#define SSE_DECLARE_CVT_SI(name) SSE_HANDLER(op_##name##_xr32); SSE_HANDLER(op_##name##_xm32); \
	SSE_HANDLER(op_##name##_xr64); SSE_HANDLER(op_##name##_xm64);
#define SSE_DECLARE_CVT_2SI(name) SSE_HANDLER(op_##name##_r32x); SSE_HANDLER(op_##name##_r32m); \
	SSE_HANDLER(op_##name##_r64x); SSE_HANDLER(op_##name##_r64m);
SSE_DECLARE_CVT_SI(cvtsi2ss)
SSE_DECLARE_CVT_SI(cvtsi2sd)
SSE_DECLARE_CVT_2SI(cvtss2si)
SSE_DECLARE_CVT_2SI(cvttss2si)
SSE_DECLARE_CVT_2SI(cvtsd2si)
SSE_DECLARE_CVT_2SI(cvttsd2si)

/* emu/ops_mmx.c */
SSE_HANDLER(op_emms);
SSE_HANDLER(op_movq_mmx_rr); SSE_HANDLER(op_movq_mmx_rm); SSE_HANDLER(op_movq_mmx_mr);
SSE_HANDLER(op_movd_mmx_mr32); SSE_HANDLER(op_movd_mmx_mm32);
SSE_HANDLER(op_movd_mmx_mr64); SSE_HANDLER(op_movd_mmx_mm64);
SSE_HANDLER(op_movd_mmx_r32m); SSE_HANDLER(op_movd_mmx_m32m);
SSE_HANDLER(op_movd_mmx_r64m); SSE_HANDLER(op_movd_mmx_m64m);
SSE_HANDLER(op_pshufw_mmx_rr); SSE_HANDLER(op_pshufw_mmx_rm);
SSE_HANDLER(op_pinsrw_mmx_rr); SSE_HANDLER(op_pinsrw_mmx_rm); SSE_HANDLER(op_pextrw_mmx_rr);
SSE_HANDLER(op_pmovmskb_mmx_rr); SSE_HANDLER(op_maskmovq_mmx_rr);
SSE_HANDLER(op_psrlw_mmx_ri); SSE_HANDLER(op_psraw_mmx_ri); SSE_HANDLER(op_psllw_mmx_ri);
SSE_HANDLER(op_psrld_mmx_ri); SSE_HANDLER(op_psrad_mmx_ri); SSE_HANDLER(op_pslld_mmx_ri);
SSE_HANDLER(op_psrlq_mmx_ri); SSE_HANDLER(op_psllq_mmx_ri);
SSE_HANDLER(op_movdq2q_rr); SSE_HANDLER(op_movq2dq_rr);
SSE_HANDLER(op_cvtpi2ps_rr); SSE_HANDLER(op_cvtpi2ps_rm);
SSE_HANDLER(op_cvtpi2pd_rr); SSE_HANDLER(op_cvtpi2pd_rm);
SSE_HANDLER(op_cvtps2pi_rr); SSE_HANDLER(op_cvtps2pi_rm);
SSE_HANDLER(op_cvttps2pi_rr); SSE_HANDLER(op_cvttps2pi_rm);
SSE_HANDLER(op_cvtpd2pi_rr); SSE_HANDLER(op_cvtpd2pi_rm);
SSE_HANDLER(op_cvttpd2pi_rr); SSE_HANDLER(op_cvttpd2pi_rm);

#endif
