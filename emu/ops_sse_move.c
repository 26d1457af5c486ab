/* SSE/SSE2 data movement: register and memory moves of XMM registers, moves between XMM and
 * general registers, sign-mask extraction, non-temporal and masked stores, ldmxcsr/stmxcsr,
 * prefetch. None of them raises a SIMD exception. */
#include <signal.h>
#include "ops_sse.h"

SSE_LIST_MOVE(SSE_DEFINE_BIN)

const struct op *sse_gp(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
}

uint32_t sse_mxcsr_mask(void)
{
	static uint32_t mask;
	uint32_t m = __atomic_load_n(&mask, __ATOMIC_RELAXED);
	if (unlikely(!m)) {
		uint8_t area[512] __attribute__((aligned(16)));
		memset(area, 0, sizeof area);
		__asm__ volatile("fxsave64 %0" : "=m"(area));
		memcpy(&m, area + 28, 4);
		if (!m)
			m = 0xffbf; /* the architectural default when fxsave leaves it zero */
		__atomic_store_n(&mask, m, __ATOMIC_RELAXED);
	}
	return m;
}

/* ---- scalar and half moves ---- */

SSE_HANDLER(op_movss_rr)
{
	cpu->xmm[op->rd].d[0] = cpu->xmm[op->rs].d[0];
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movss_rm)
{
	uint64_t ea = op_ea(cpu, op);
	xput(cpu, op->rd, _mm_cvtsi32_si128((int)ld32(ea)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movss_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st32(ea, cpu->xmm[op->rs].d[0]);
	return OP_NEXT(cpu, op);
}

SSE_HANDLER(op_movsd_rr)
{
	cpu->xmm[op->rd].q[0] = cpu->xmm[op->rs].q[0];
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movsd_rm)
{
	uint64_t ea = op_ea(cpu, op);
	xput(cpu, op->rd, _mm_loadl_epi64((const __m128i *)SSE_PTR(ea)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movsd_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}
/* movq xmm/m64, xmm (66 0f d6): the register form is op_movq_rr. */
SSE_HANDLER(op_movq_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}

/* movlps/movlpd and movhps/movhpd: one 64-bit half to or from memory. */
SSE_HANDLER(op_movlps_rm)
{
	uint64_t ea = op_ea(cpu, op);
	cpu->xmm[op->rd].q[0] = ld64(ea);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movlps_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movhps_rm)
{
	uint64_t ea = op_ea(cpu, op);
	cpu->xmm[op->rd].q[1] = ld64(ea);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movhps_mr)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, cpu->xmm[op->rs].q[1]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movhlps_rr)
{
	cpu->xmm[op->rd].q[0] = cpu->xmm[op->rs].q[1];
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movlhps_rr)
{
	cpu->xmm[op->rd].q[1] = cpu->xmm[op->rs].q[0];
	return OP_NEXT(cpu, op);
}

/* ---- 16-byte stores (movups/movupd/movdqu; movaps/movapd/movdqa/movntps/movntpd/movntdq) ---- */

SSE_HANDLER(op_movups_mr)
{
	uint64_t ea = op_ea(cpu, op);
	_mm_storeu_si128((__m128i *)SSE_WPTR(ea), xget(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movaps_mr)
{
	uint64_t ea = op_ea(cpu, op);
	SSE_MCHK_S16(cpu, op, ea);
	_mm_storeu_si128((__m128i *)SSE_WPTR(ea), xget(cpu, op->rs));
	return OP_NEXT(cpu, op);
}

/* ---- movd/movq between XMM and general registers or memory (zero-extending into XMM) ---- */

SSE_HANDLER(op_movd_xr32)
{
	xput(cpu, op->rd, _mm_cvtsi32_si128((int)gpr_get32(cpu, op->rs)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_xm32)
{
	uint64_t ea = op_ea(cpu, op);
	xput(cpu, op->rd, _mm_cvtsi32_si128((int)ld32(ea)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_xr64)
{
	xput(cpu, op->rd, _mm_cvtsi64_si128((long long)gpr_get64(cpu, op->rs)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_xm64)
{
	uint64_t ea = op_ea(cpu, op);
	xput(cpu, op->rd, _mm_cvtsi64_si128((long long)ld64(ea)));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_r32x)
{
	gpr_set32(cpu, op->rd, cpu->xmm[op->rs].d[0]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_m32x)
{
	uint64_t ea = op_ea(cpu, op);
	st32(ea, cpu->xmm[op->rs].d[0]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_r64x)
{
	gpr_set64(cpu, op->rd, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movd_m64x)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, cpu->xmm[op->rs].q[0]);
	return OP_NEXT(cpu, op);
}

/* ---- sign masks (register source only; a 64-bit destination is zero-extended) ---- */

SSE_HANDLER(op_movmskps_rr)
{
	gpr_set32(cpu, op->rd, (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(xget(cpu, op->rs))));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movmskpd_rr)
{
	gpr_set32(cpu, op->rd, (uint32_t)_mm_movemask_pd(_mm_castsi128_pd(xget(cpu, op->rs))));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_pmovmskb_rr)
{
	gpr_set32(cpu, op->rd, (uint32_t)_mm_movemask_epi8(xget(cpu, op->rs)));
	return OP_NEXT(cpu, op);
}

/* ---- non-temporal and masked stores ---- */

SSE_HANDLER(op_movnti_m32)
{
	uint64_t ea = op_ea(cpu, op);
	st32(ea, gpr_get32(cpu, op->rs));
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_movnti_m64)
{
	uint64_t ea = op_ea(cpu, op);
	st64(ea, gpr_get64(cpu, op->rs));
	return OP_NEXT(cpu, op);
}

/* maskmovdqu xmm1, xmm2: the bytes of xmm1 whose mask byte in xmm2 has its top bit set go to
 * seg:[rdi] (edi with an address-size prefix: aux bit 0); the others are not touched. */
SSE_HANDLER(op_maskmovdqu_rr)
{
	uint64_t base = cpu->r[R_RDI];
	if (op->aux & 1)
		base = (uint32_t)base;
	base += cpu->segbase[op->seg];
	unsigned mask = (unsigned)_mm_movemask_epi8(xget(cpu, op->rs));
	const union xmm_reg *src = &cpu->xmm[op->rd];
	cpu->cur_op = op;
	for (; mask; mask &= mask - 1) {
		unsigned i = (unsigned)__builtin_ctz(mask);
		st8(base + i, src->b[i]);
	}
	return OP_NEXT(cpu, op);
}

/* ---- MXCSR ---- */

SSE_HANDLER(op_ldmxcsr_m)
{
	uint64_t ea = op_ea(cpu, op);
	uint32_t v = ld32(ea);
	if (unlikely(!sse_mxcsr_valid(v)))
		return sse_gp(cpu, op);
	sse_set_mxcsr(cpu, v);
	return OP_NEXT(cpu, op);
}
SSE_HANDLER(op_stmxcsr_m)
{
	uint64_t ea = op_ea(cpu, op);
	st32(ea, sse_get_mxcsr(cpu));
	return OP_NEXT(cpu, op);
}

/* prefetcht0/t1/t2/nta and the reserved-hint forms of 0f 18: a hint that never faults. */
SSE_HANDLER(op_prefetch_m)
{
	return OP_NEXT(cpu, op);
}
