/* SSE, SSE2 and MMX through compiler intrinsics: `sse MODE` with MODE one of
 *   ops        every packed/scalar op family on edge and random inputs under four MXCSR
 *              settings (rounding modes, FTZ/DAZ); one checksum per family, and MXCSR after
 *   convert    float <-> integer conversions at the edges, printed (integer indefinite too)
 *   mxcsr      ldmxcsr/stmxcsr, sticky exception flags, fenv.h, rounding, DAZ/FTZ
 *   vector     loops gcc vectorizes (SSE2 code generation)
 *   mmx        MMX ops on mm registers, emms
 *   misaligned movaps from an address that is not 16-byte aligned (dies of SIGSEGV)
 *   badmxcsr   ldmxcsr with a reserved bit set (dies of SIGSEGV)
 *   fpe        division by zero with the exception unmasked (dies of SIGFPE)
 */
#include <emmintrin.h>
#include <fenv.h>
#include <mmintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

#define N 48
static __m128i vi[N];
static __m128 vf[N];
static __m128d vd[N];
static uint64_t seed = 0x1234567887654321ULL;

static float edge_f32(void)
{
	static const uint32_t bits[] = {
		0, 0x80000000, 0x3f800000, 0xbfc00000, 0x7f800000, 0xff800000, 0x7fc00000,
		0xffc00001, 0x7fa00000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff,
		0x4f000000, 0xcf000000, 0x4effffff, 0x5f000000, 0xdf000001, 0x3effffff,
	};
	uint64_t r = rng_next(&seed);
	uint32_t u;
	if (r % 3 == 0)
		u = bits[(r >> 8) % (sizeof bits / sizeof bits[0])];
	else if (r % 3 == 1)
		u = (uint32_t)(r >> 16);
	else {
		float f = (float)((int64_t)((r >> 16) % 40001) - 20000) / 64;
		memcpy(&u, &f, 4);
	}
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static double edge_f64(void)
{
	static const uint64_t bits[] = {
		0, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0x7ff0000000000000ULL,
		0xfff0000000000000ULL, 0x7ff8000000000000ULL, 0xfff8000000000001ULL,
		0x7ff4000000000000ULL, 1, 0x800fffffffffffffULL, 0x0010000000000000ULL,
		0x7fefffffffffffffULL, 0x41e0000000000000ULL, 0xc1e0000000200000ULL,
		0x43e0000000000000ULL, 0xc3e0000000000000ULL, 0x3fdfffffffffffffULL,
	};
	uint64_t r = rng_next(&seed);
	uint64_t u;
	if (r % 3 == 0)
		u = bits[(r >> 8) % (sizeof bits / sizeof bits[0])];
	else if (r % 3 == 1)
		u = rng_next(&seed);
	else {
		double d = (double)((int64_t)((r >> 16) % 40001) - 20000) / 64;
		memcpy(&u, &d, 8);
	}
	double d;
	memcpy(&d, &u, 8);
	return d;
}

static __m128i edge_int(void)
{
	uint64_t r = rng_next(&seed);
	switch (r % 4) {
	case 0:
		return _mm_set_epi16(0x7fff, -32768, -1, 0, 1, 255, 256, (short)(r >> 32));
	case 1:
		return _mm_set_epi8(127, -128, -1, 0, 1, 2, 0x40, (char)0x80, 0x7f, 3, -3,
				    (char)(r >> 8), (char)(r >> 16), (char)(r >> 24), 0, -2);
	default:
		return _mm_set_epi64x((long long)rng_next(&seed), (long long)rng_next(&seed));
	}
}

static void fill(void)
{
	for (int i = 0; i < N; i++) {
		vi[i] = edge_int();
		vf[i] = _mm_set_ps(edge_f32(), edge_f32(), edge_f32(), edge_f32());
		vd[i] = _mm_set_pd(edge_f64(), edge_f64());
	}
}

/* One checksum per family: FAM(name, body) runs body for every input pair (a = vi[i], b =
 * vi[j], fa/fb, da/db) and hashes what body stores in `out`. */
#define FAM(name, body)                                                          \
	do {                                                                     \
		uint64_t h = FNV_INIT;                                           \
		for (int i = 0; i < N; i++) {                                    \
			int j = (i * 7 + 3) % N;                                 \
			__m128i a = vi[i], b = vi[j];                            \
			__m128 fa = vf[i], fb = vf[j];                           \
			__m128d da = vd[i], db = vd[j];                          \
			unsigned char out[64];                                   \
			memset(out, 0, sizeof out);                              \
			(void)a; (void)b; (void)fa; (void)fb; (void)da; (void)db; \
			body;                                                    \
			h = fnv1a(h, out, sizeof out);                           \
		}                                                                \
		printf("  %-14s %016llx\n", name, (unsigned long long)h);        \
	} while (0)
#define PUT(k, v) _mm_storeu_si128((__m128i *)(out + 16 * (k)), (v))
#define PUTF(k, v) _mm_storeu_ps((float *)(out + 16 * (k)), (v))
#define PUTD(k, v) _mm_storeu_pd((double *)(out + 16 * (k)), (v))
#define PUTI(k, v) memcpy(out + 8 * (k), &(long long){ (v) }, 8)

static void ops_int(void)
{
	FAM("add/sub", (PUT(0, _mm_add_epi8(a, b)), PUT(1, _mm_add_epi16(a, b)),
			PUT(2, _mm_add_epi32(a, b)), PUT(3, _mm_sub_epi64(a, b))));
	FAM("sub", (PUT(0, _mm_sub_epi8(a, b)), PUT(1, _mm_sub_epi16(a, b)),
		    PUT(2, _mm_sub_epi32(a, b)), PUT(3, _mm_add_epi64(a, b))));
	FAM("saturating", (PUT(0, _mm_adds_epi8(a, b)), PUT(1, _mm_adds_epu16(a, b)),
			   PUT(2, _mm_subs_epi16(a, b)), PUT(3, _mm_subs_epu8(a, b))));
	FAM("saturating2", (PUT(0, _mm_adds_epi16(a, b)), PUT(1, _mm_adds_epu8(a, b)),
			    PUT(2, _mm_subs_epi8(a, b)), PUT(3, _mm_subs_epu16(a, b))));
	FAM("multiply", (PUT(0, _mm_mullo_epi16(a, b)), PUT(1, _mm_mulhi_epi16(a, b)),
			 PUT(2, _mm_mulhi_epu16(a, b)), PUT(3, _mm_mul_epu32(a, b))));
	FAM("madd/sad/avg", (PUT(0, _mm_madd_epi16(a, b)), PUT(1, _mm_sad_epu8(a, b)),
			     PUT(2, _mm_avg_epu8(a, b)), PUT(3, _mm_avg_epu16(a, b))));
	FAM("min/max", (PUT(0, _mm_min_epi16(a, b)), PUT(1, _mm_max_epi16(a, b)),
			PUT(2, _mm_min_epu8(a, b)), PUT(3, _mm_max_epu8(a, b))));
	FAM("compare", (PUT(0, _mm_cmpeq_epi8(a, b)), PUT(1, _mm_cmpgt_epi16(a, b)),
			PUT(2, _mm_cmpeq_epi32(_mm_and_si128(a, b), a)), PUT(3, _mm_cmpgt_epi32(a, b))));
	FAM("compare2", (PUT(0, _mm_cmpeq_epi16(a, b)), PUT(1, _mm_cmpgt_epi8(a, b)),
			 PUT(2, _mm_cmplt_epi8(a, b))));
	FAM("logic", (PUT(0, _mm_and_si128(a, b)), PUT(1, _mm_andnot_si128(a, b)),
		      PUT(2, _mm_or_si128(a, b)), PUT(3, _mm_xor_si128(a, b))));
	FAM("shift by reg", (PUT(0, _mm_sll_epi16(a, _mm_srli_epi64(b, 60))),
			     PUT(1, _mm_srl_epi32(a, _mm_srli_epi64(b, 58))),
			     PUT(2, _mm_sra_epi16(a, _mm_srli_epi64(b, 59))),
			     PUT(3, _mm_sll_epi64(a, b))));
	FAM("shift by reg2", (PUT(0, _mm_srl_epi16(a, b)), PUT(1, _mm_sra_epi32(a, _mm_srli_epi64(b, 58))),
			      PUT(2, _mm_sll_epi32(a, _mm_srli_epi64(b, 59))),
			      PUT(3, _mm_srl_epi64(a, _mm_srli_epi64(b, 57)))));
	FAM("shift by imm", (PUT(0, _mm_slli_epi16(a, 3)), PUT(1, _mm_srai_epi32(a, 31)),
			     PUT(2, _mm_srli_epi64(a, 17)), PUT(3, _mm_srai_epi16(a, 16))));
	FAM("byte shifts", (PUT(0, _mm_slli_si128(a, 1)), PUT(1, _mm_srli_si128(a, 7)),
			    PUT(2, _mm_slli_si128(a, 15)), PUT(3, _mm_srli_si128(a, 16))));
	FAM("pack", (PUT(0, _mm_packs_epi16(a, b)), PUT(1, _mm_packs_epi32(a, b)),
		     PUT(2, _mm_packus_epi16(a, b))));
	FAM("unpack low", (PUT(0, _mm_unpacklo_epi8(a, b)), PUT(1, _mm_unpacklo_epi16(a, b)),
			   PUT(2, _mm_unpacklo_epi32(a, b)), PUT(3, _mm_unpacklo_epi64(a, b))));
	FAM("unpack high", (PUT(0, _mm_unpackhi_epi8(a, b)), PUT(1, _mm_unpackhi_epi16(a, b)),
			    PUT(2, _mm_unpackhi_epi32(a, b)), PUT(3, _mm_unpackhi_epi64(a, b))));
	FAM("shuffle", (PUT(0, _mm_shuffle_epi32(a, 0x1b)), PUT(1, _mm_shufflelo_epi16(a, 0xb1)),
			PUT(2, _mm_shufflehi_epi16(a, 0x4e)), PUT(3, _mm_insert_epi16(a, i * 977, 5))));
	FAM("extract/mask", (PUTI(0, _mm_extract_epi16(a, 3)), PUTI(1, _mm_movemask_epi8(a)),
			     PUTI(2, _mm_movemask_ps(fa)), PUTI(3, _mm_movemask_pd(da)),
			     PUTI(4, _mm_cvtsi128_si32(a)), PUTI(5, _mm_cvtsi128_si64(b))));
}

static void ops_float(void)
{
	FAM("add/sub ps", (PUTF(0, _mm_add_ps(fa, fb)), PUTF(1, _mm_sub_ps(fa, fb)),
			   PUTF(2, _mm_add_ss(fa, fb)), PUTF(3, _mm_sub_ss(fa, fb))));
	FAM("mul/div ps", (PUTF(0, _mm_mul_ps(fa, fb)), PUTF(1, _mm_div_ps(fa, fb)),
			   PUTF(2, _mm_mul_ss(fa, fb)), PUTF(3, _mm_div_ss(fa, fb))));
	FAM("min/max ps", (PUTF(0, _mm_min_ps(fa, fb)), PUTF(1, _mm_max_ps(fa, fb)),
			   PUTF(2, _mm_min_ss(fa, fb)), PUTF(3, _mm_max_ss(fa, fb))));
	FAM("sqrt/rcp ps", (PUTF(0, _mm_sqrt_ps(fa)), PUTF(1, _mm_rcp_ps(fa)),
			    PUTF(2, _mm_rsqrt_ps(fa)), PUTF(3, _mm_sqrt_ss(fb))));
	FAM("add/sub pd", (PUTD(0, _mm_add_pd(da, db)), PUTD(1, _mm_sub_pd(da, db)),
			   PUTD(2, _mm_add_sd(da, db)), PUTD(3, _mm_sub_sd(da, db))));
	FAM("mul/div pd", (PUTD(0, _mm_mul_pd(da, db)), PUTD(1, _mm_div_pd(da, db)),
			   PUTD(2, _mm_mul_sd(da, db)), PUTD(3, _mm_div_sd(da, db))));
	FAM("min/max pd", (PUTD(0, _mm_min_pd(da, db)), PUTD(1, _mm_max_pd(da, db)),
			   PUTD(2, _mm_min_sd(da, db)), PUTD(3, _mm_max_sd(da, db))));
	FAM("sqrt pd", (PUTD(0, _mm_sqrt_pd(da)), PUTD(1, _mm_sqrt_sd(da, db)),
			PUTF(2, _mm_rcp_ss(fa)), PUTF(3, _mm_rsqrt_ss(fb))));
	FAM("logic ps/pd", (PUTF(0, _mm_and_ps(fa, fb)), PUTF(1, _mm_andnot_ps(fa, fb)),
			    PUTD(2, _mm_or_pd(da, db)), PUTD(3, _mm_xor_pd(da, db))));
	FAM("cmp ps", (PUTF(0, _mm_cmplt_ps(fa, fb)), PUTF(1, _mm_cmpunord_ps(fa, fb)),
		       PUTF(2, _mm_cmpnle_ps(fa, fb)), PUTF(3, _mm_cmpeq_ss(fa, fb))));
	FAM("cmp ps 2", (PUTF(0, _mm_cmpeq_ps(fa, fb)), PUTF(1, _mm_cmpord_ps(fa, fb)),
			 PUTF(2, _mm_cmpneq_ps(fa, fb)), PUTF(3, _mm_cmpnlt_ss(fa, fb))));
	FAM("cmp pd", (PUTD(0, _mm_cmple_pd(da, db)), PUTD(1, _mm_cmpord_pd(da, db)),
		       PUTD(2, _mm_cmpnlt_pd(da, db)), PUTD(3, _mm_cmpneq_sd(da, db))));
	FAM("cmp pd 2", (PUTD(0, _mm_cmpeq_pd(da, db)), PUTD(1, _mm_cmpunord_pd(da, db)),
			 PUTD(2, _mm_cmplt_sd(da, db)), PUTD(3, _mm_cmple_sd(da, db))));
	FAM("comis", (PUTI(0, _mm_comilt_ss(fa, fb) | _mm_comieq_ss(fa, fb) << 1 |
			      _mm_comige_ss(fa, fb) << 2 | _mm_comineq_ss(fa, fb) << 3),
		      PUTI(1, _mm_ucomile_ss(fa, fb) | _mm_ucomigt_ss(fa, fb) << 1 |
			      _mm_ucomieq_ss(fa, fb) << 2 | _mm_ucomineq_ss(fa, fb) << 3),
		      PUTI(2, _mm_comilt_sd(da, db) | _mm_comieq_sd(da, db) << 1 |
			      _mm_comige_sd(da, db) << 2 | _mm_comineq_sd(da, db) << 3),
		      PUTI(3, _mm_ucomile_sd(da, db) | _mm_ucomigt_sd(da, db) << 1 |
			      _mm_ucomieq_sd(da, db) << 2 | _mm_ucomineq_sd(da, db) << 3)));
	FAM("shuffle f", (PUTF(0, _mm_shuffle_ps(fa, fb, 0x9c)), PUTD(1, _mm_shuffle_pd(da, db, 2)),
			  PUTF(2, _mm_unpacklo_ps(fa, fb)), PUTF(3, _mm_unpackhi_ps(fa, fb))));
	FAM("moves f", (PUTF(0, _mm_movehl_ps(fa, fb)), PUTF(1, _mm_movelh_ps(fa, fb)),
			PUTF(2, _mm_move_ss(fa, fb)), PUTD(3, _mm_move_sd(da, db))));
	FAM("cvt vector", (PUT(0, _mm_cvtps_epi32(fa)), PUT(1, _mm_cvttps_epi32(fa)),
			   PUT(2, _mm_cvtpd_epi32(da)), PUT(3, _mm_cvttpd_epi32(da))));
	FAM("cvt vector 2", (PUTF(0, _mm_cvtepi32_ps(a)), PUTD(1, _mm_cvtepi32_pd(a)),
			     PUTF(2, _mm_cvtpd_ps(da)), PUTD(3, _mm_cvtps_pd(fa))));
	FAM("cvt scalar", (PUTF(0, _mm_cvtsd_ss(fa, db)), PUTD(1, _mm_cvtss_sd(da, fb)),
			   PUTF(2, _mm_cvtsi32_ss(fa, _mm_cvtsi128_si32(a))),
			   PUTD(3, _mm_cvtsi64_sd(da, _mm_cvtsi128_si64(b)))));
	FAM("cvt to int", (PUTI(0, _mm_cvtss_si32(fa)), PUTI(1, _mm_cvttss_si64(fb)),
			   PUTI(2, _mm_cvtsd_si64(da)), PUTI(3, _mm_cvttsd_si32(db)),
			   PUTI(4, _mm_cvtss_si64(fb)), PUTI(5, _mm_cvttsd_si64(da))));
}

/* Memory-operand forms: loads at every alignment the instruction allows. */
static void ops_memory(void)
{
	static unsigned char buf[N * 16 + 64] __attribute__((aligned(16)));
	for (size_t k = 0; k < sizeof buf; k++)
		buf[k] = (unsigned char)rng_next(&seed);
	FAM("loads", (PUT(0, _mm_loadu_si128((const __m128i *)(buf + i * 16 + i % 16))),
		      PUTF(1, _mm_load_ss((const float *)(buf + i * 16 + 3))),
		      PUTD(2, _mm_loadh_pd(db, (const double *)(buf + i * 16 + 5))),
		      PUT(3, _mm_loadl_epi64((const __m128i *)(buf + i * 16 + 9)))));
	FAM("aligned ops", (PUT(0, _mm_add_epi16(a, *(const __m128i *)(buf + 16 * i))),
			    PUTF(1, _mm_mul_ps(fa, *(const __m128 *)(buf + 16 * j))),
			    PUTD(2, _mm_max_sd(da, _mm_load_sd((const double *)(buf + 16 * i + 1)))),
			    PUT(3, _mm_unpacklo_epi8(a, *(const __m128i *)(buf + 16 * j)))));
	FAM("stores", (_mm_storeu_si128((__m128i *)(out + i % 16), a),
		       _mm_storel_epi64((__m128i *)(out + 20), b),
		       _mm_store_ss((float *)(out + 30), fb), _mm_storeh_pd((double *)(out + 40), da),
		       _mm_maskmoveu_si128(b, a, (char *)out + 48 - i % 16)));
}

static void mode_ops(void)
{
	static const unsigned modes[] = { 0x1f80, 0x3f80, 0x5f80 | 0x8040, 0x7f80 | 0x40 };
	for (unsigned m = 0; m < 4; m++) {
		fill();
		printf("mxcsr %04x:\n", modes[m]);
		_mm_setcsr(modes[m]);
		ops_int();
		ops_float();
		ops_memory();
		unsigned after = _mm_getcsr();
		_mm_setcsr(0x1f80);
		printf("  mxcsr after %04x\n", after);
	}
}

static void mode_convert(void)
{
	static const double d[] = { 0.5, 1.5, 2.5, -0.5, -2.5, 2147483647.5, 2147483648.0,
				    -2147483648.5, -2147483649.0, 9.3e18, -9.3e18, 1e300, -0.0 };
	for (unsigned r = 0; r < 4; r++) {
		_mm_setcsr(0x1f80 | r << 13);
		for (unsigned k = 0; k < sizeof d / sizeof d[0]; k++) {
			__m128d v = _mm_set_sd(d[k]);
			__m128 f = _mm_cvtsd_ss(_mm_setzero_ps(), v);
			printf("rc%u %-22.17g cvtsd2si %d cvttsd2si %d cvtsd2si64 %lld cvtss2si %d "
			       "cvttss2si64 %lld float %a\n", r, d[k], _mm_cvtsd_si32(v),
			       _mm_cvttsd_si32(v), (long long)_mm_cvtsd_si64(v), _mm_cvtss_si32(f),
			       (long long)_mm_cvttss_si64(f), (double)_mm_cvtss_f32(f));
		}
		unsigned flags = _mm_getcsr() & 0x3f;
		_mm_setcsr(0x1f80);
		printf("rc%u flags %02x\n", r, flags);
	}
	long long ints[] = { 0, 1, -1, 16777217, 9007199254740993LL, -9223372036854775807LL - 1 };
	for (unsigned k = 0; k < sizeof ints / sizeof ints[0]; k++)
		printf("%lld -> %a %a\n", ints[k],
		       (double)_mm_cvtss_f32(_mm_cvtsi64_ss(_mm_setzero_ps(), ints[k])),
		       _mm_cvtsd_f64(_mm_cvtsi64_sd(_mm_setzero_pd(), ints[k])));
}

static void mode_mxcsr(void)
{
	volatile double one = 1.0, three = 3.0, zero = 0.0, tiny = 1e-310, big = 1e308;
	printf("initial %04x\n", _mm_getcsr());
	_mm_setcsr(0x1f80);
	volatile double q = one / three;
	printf("1/3 flags %02x\n", _mm_getcsr() & 0x3f);
	_mm_setcsr(0x1f80);
	q = one / zero;
	printf("1/0 %g flags %02x\n", q, _mm_getcsr() & 0x3f);
	_mm_setcsr(0x1f80);
	q = zero / zero;
	printf("0/0 %g flags %02x\n", q, _mm_getcsr() & 0x3f);
	_mm_setcsr(0x1f80);
	q = big * big;
	printf("overflow %g flags %02x\n", q, _mm_getcsr() & 0x3f);
	_mm_setcsr(0x1f80);
	q = tiny * 0.5;
	printf("underflow %a flags %02x\n", q, _mm_getcsr() & 0x3f);
	_mm_setcsr(0x1f80 | 0x8040);
	q = tiny * three;
	printf("daz/ftz %a flags %02x\n", q, _mm_getcsr() & 0x3f);
	static const int rounds[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
	for (unsigned r = 0; r < 4; r++) {
		fesetround(rounds[r]);
		feclearexcept(FE_ALL_EXCEPT);
		q = one / three;
		volatile double m = -one / three;
		printf("round %d: %a %a inexact %d mxcsr %04x\n", fegetround(), q, m,
		       fetestexcept(FE_INEXACT) != 0, _mm_getcsr());
	}
	fesetround(FE_TONEAREST);
	unsigned v = 0x1f80 | 0x3f;
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
	unsigned back;
	__asm__ volatile("stmxcsr %0" : "=m"(back));
	printf("ldmxcsr/stmxcsr %04x\n", back);
}

#pragma GCC push_options
#pragma GCC optimize("tree-vectorize")
static void mode_vector(void)
{
	enum { M = 1021 };
	static double x[M], y[M], z[M];
	static float f[M], g[M];
	static int ia[M], ib[M];
	static short sa[M], sb[M];
	static unsigned char ua[M], ub[M];
	for (int i = 0; i < M; i++) {
		x[i] = (double)(int64_t)rng_next(&seed) / 1e12;
		y[i] = (double)(i % 97) - 48.5;
		f[i] = (float)(int32_t)rng_next(&seed) / 1e4f;
		g[i] = (float)(i % 13) * 0.75f;
		ia[i] = (int)rng_next(&seed);
		ib[i] = (int)(rng_next(&seed) % 100000) - 50000;
		sa[i] = (short)rng_next(&seed);
		sb[i] = (short)rng_next(&seed);
		ua[i] = (unsigned char)rng_next(&seed);
		ub[i] = (unsigned char)rng_next(&seed);
	}
	for (int i = 0; i < M; i++)
		z[i] = x[i] * y[i] + x[i] / (y[i] + 0.25) - (x[i] > y[i] ? x[i] : y[i]);
	for (int i = 0; i < M; i++)
		f[i] = f[i] * g[i] - (float)ia[i] / (g[i] + 1.0f);
	for (int i = 0; i < M; i++)
		ia[i] = ia[i] * ib[i] + (ia[i] >> 5) - (ib[i] < ia[i] ? ib[i] : ia[i]);
	for (int i = 0; i < M; i++)
		sa[i] = (short)(sa[i] * sb[i] + (sa[i] > sb[i] ? sa[i] : sb[i]));
	for (int i = 0; i < M; i++)
		ua[i] = (unsigned char)(((ua[i] + ub[i] + 1) >> 1) ^ (ua[i] < ub[i] ? ua[i] : ub[i]));
	for (int i = 0; i < M; i++)
		z[i] += (double)ia[i] + (double)f[i];
	double sum = 0;
	for (int i = 0; i < M; i++)
		sum += z[i];
	uint64_t h = FNV_INIT;
	h = fnv1a(h, z, sizeof z);
	h = fnv1a(h, f, sizeof f);
	h = fnv1a(h, ia, sizeof ia);
	h = fnv1a(h, sa, sizeof sa);
	h = fnv1a(h, ua, sizeof ua);
	printf("vector checksum %016llx sum %.17g\n", (unsigned long long)h, sum);
}
#pragma GCC pop_options

static void mode_mmx(void)
{
	uint64_t h = FNV_INIT;
	for (int i = 0; i < 64; i++) {
		__m64 a = _mm_cvtsi64_m64((long long)rng_next(&seed));
		__m64 b = _mm_cvtsi64_m64(i & 1 ? (long long)rng_next(&seed) : 0x7fff8000ff0180LL);
		__m64 r[12] = {
			_mm_add_pi8(a, b), _mm_subs_pi16(a, b), _mm_mullo_pi16(a, b),
			_mm_madd_pi16(a, b), _mm_cmpgt_pi32(a, b), _mm_packs_pi16(a, b),
			_mm_unpackhi_pi8(a, b), _mm_unpacklo_pi16(a, b), _mm_sll_pi16(a, _mm_cvtsi32_si64(i % 20)),
			_mm_srai_pi32(a, i % 35), _mm_xor_si64(a, b), _mm_packs_pu16(a, b),
		};
		long long v[12];
		for (int k = 0; k < 12; k++)
			v[k] = _mm_cvtm64_si64(r[k]);
		_mm_empty();
		h = fnv1a(h, v, sizeof v);
	}
	printf("mmx checksum %016llx\n", (unsigned long long)h);
	double d = 1.0;
	for (int i = 0; i < 10; i++)
		d = d * 1.5 + (long double)i / 3;
	printf("x87 after emms %.17g\n", d);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "ops";
	static char buf[64] __attribute__((aligned(16)));
	printf("sse %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "ops"))
		mode_ops();
	else if (!strcmp(mode, "convert"))
		mode_convert();
	else if (!strcmp(mode, "mxcsr"))
		mode_mxcsr();
	else if (!strcmp(mode, "vector"))
		mode_vector();
	else if (!strcmp(mode, "mmx"))
		mode_mmx();
	else if (!strcmp(mode, "misaligned")) {
		__m128 v;
		__asm__ volatile("movaps (%1), %0" : "=x"(v) : "r"(buf + 8 + argc % 2));
		printf("not reached %g\n", (double)_mm_cvtss_f32(v));
	} else if (!strcmp(mode, "badmxcsr")) {
		unsigned v = 0x1f80 | 1u << 20;
		__asm__ volatile("ldmxcsr %0" : : "m"(v));
		printf("not reached\n");
	} else if (!strcmp(mode, "fpe")) {
		volatile double zero = 0.0;
		_mm_setcsr(0x1f80 & ~0x200u);
		volatile double r = 1.0 / zero;
		printf("not reached %g\n", r);
	}
	return 0;
}
