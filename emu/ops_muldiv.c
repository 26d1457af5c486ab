/* mul, imul (one, two and three operands), div and idiv at every width.
 *
 * A zero divisor or a quotient that does not fit raises the guest's SIGFPE (FPE_INTDIV) at the
 * instruction; every host division here is done only after those checks, so none can trap.
 * Flags: mul/imul record FLK_MUL (CF = OF = the product did not fit). div/idiv leave CF and OF,
 * clear SF, ZF and PF and set AF, as the AMD EPYC this is checked on does (all undefined).
 */
#include <signal.h>
#include "ops_intx.h"
#include "op_flow.h"

#define AI static inline __attribute__((always_inline)) const struct op *
#define R(i) ((unsigned)(i) * 8)

static const struct op *divide_error(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGFPE, FPE_INTDIV, op->pc, op->pc);
}

static inline void div_flags(struct cpu *cpu)
{
	intx_flags_update(cpu, FL_PF | FL_AF | FL_ZF | FL_SF, FL_AF);
}

/* ---- one-operand mul and imul: rdx:rax (ax for 8 bits) = accumulator * source ---- */

AI do_mul8(struct cpu *cpu, const struct op *op, uint8_t s)
{
	uint16_t p = (uint16_t)(gpr_get8(cpu, R(R_RAX)) * s);
	gpr_set16(cpu, R(R_RAX), p);
	flags_lazy(cpu, FLK_MUL, 8, p, p >> 8, 0);
	return OP_NEXT(cpu, op);
}
AI do_mul16(struct cpu *cpu, const struct op *op, uint16_t s)
{
	uint32_t p = (uint32_t)gpr_get16(cpu, R(R_RAX)) * s;
	gpr_set16(cpu, R(R_RAX), (uint16_t)p);
	gpr_set16(cpu, R(R_RDX), (uint16_t)(p >> 16));
	flags_lazy(cpu, FLK_MUL, 16, p, p >> 16, 0);
	return OP_NEXT(cpu, op);
}
AI do_mul32(struct cpu *cpu, const struct op *op, uint32_t s)
{
	uint64_t p = (uint64_t)gpr_get32(cpu, R(R_RAX)) * s;
	gpr_set32(cpu, R(R_RAX), (uint32_t)p);
	gpr_set32(cpu, R(R_RDX), (uint32_t)(p >> 32));
	flags_lazy(cpu, FLK_MUL, 32, p, p >> 32, 0);
	return OP_NEXT(cpu, op);
}
AI do_mul64(struct cpu *cpu, const struct op *op, uint64_t s)
{
	unsigned __int128 p = (unsigned __int128)cpu->r[R_RAX] * s;
	cpu->r[R_RAX] = (uint64_t)p;
	cpu->r[R_RDX] = (uint64_t)(p >> 64);
	flags_lazy(cpu, FLK_MUL, 64, (uint64_t)p, (uint64_t)(p >> 64) != 0, 0);
	return OP_NEXT(cpu, op);
}

AI do_imul8(struct cpu *cpu, const struct op *op, uint8_t s)
{
	int16_t p = (int16_t)((int8_t)gpr_get8(cpu, R(R_RAX)) * (int8_t)s);
	gpr_set16(cpu, R(R_RAX), (uint16_t)p);
	flags_lazy(cpu, FLK_MUL, 8, (uint64_t)p, p != (int8_t)p, 0);
	return OP_NEXT(cpu, op);
}
AI do_imul16(struct cpu *cpu, const struct op *op, uint16_t s)
{
	int32_t p = (int16_t)gpr_get16(cpu, R(R_RAX)) * (int16_t)s;
	gpr_set16(cpu, R(R_RAX), (uint16_t)p);
	gpr_set16(cpu, R(R_RDX), (uint16_t)((uint32_t)p >> 16));
	flags_lazy(cpu, FLK_MUL, 16, (uint64_t)p, p != (int16_t)p, 0);
	return OP_NEXT(cpu, op);
}
AI do_imul32(struct cpu *cpu, const struct op *op, uint32_t s)
{
	int64_t p = (int64_t)(int32_t)gpr_get32(cpu, R(R_RAX)) * (int32_t)s;
	gpr_set32(cpu, R(R_RAX), (uint32_t)p);
	gpr_set32(cpu, R(R_RDX), (uint32_t)((uint64_t)p >> 32));
	flags_lazy(cpu, FLK_MUL, 32, (uint64_t)p, p != (int32_t)p, 0);
	return OP_NEXT(cpu, op);
}
AI do_imul64(struct cpu *cpu, const struct op *op, uint64_t s)
{
	__int128 p = (__int128)(int64_t)cpu->r[R_RAX] * (int64_t)s;
	cpu->r[R_RAX] = (uint64_t)p;
	cpu->r[R_RDX] = (uint64_t)((unsigned __int128)p >> 64);
	flags_lazy(cpu, FLK_MUL, 64, (uint64_t)p, p != (int64_t)p, 0);
	return OP_NEXT(cpu, op);
}

/* ---- div: quotient to rax (al), remainder to rdx (ah) ---- */

AI do_div8(struct cpu *cpu, const struct op *op, uint8_t s)
{
	uint16_t n = gpr_get16(cpu, R(R_RAX));
	if (unlikely(s == 0 || n / s > 0xff))
		return divide_error(cpu, op);
	gpr_set16(cpu, R(R_RAX), (uint16_t)((n / s) | (n % s) << 8));
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}
AI do_div16(struct cpu *cpu, const struct op *op, uint16_t s)
{
	uint32_t n = (uint32_t)gpr_get16(cpu, R(R_RDX)) << 16 | gpr_get16(cpu, R(R_RAX));
	if (unlikely(s == 0 || n / s > 0xffff))
		return divide_error(cpu, op);
	gpr_set16(cpu, R(R_RAX), (uint16_t)(n / s));
	gpr_set16(cpu, R(R_RDX), (uint16_t)(n % s));
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}
AI do_div32(struct cpu *cpu, const struct op *op, uint32_t s)
{
	uint64_t n = (uint64_t)gpr_get32(cpu, R(R_RDX)) << 32 | gpr_get32(cpu, R(R_RAX));
	if (unlikely(s == 0 || n / s > 0xffffffffu))
		return divide_error(cpu, op);
	gpr_set32(cpu, R(R_RAX), (uint32_t)(n / s));
	gpr_set32(cpu, R(R_RDX), (uint32_t)(n % s));
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}
AI do_div64(struct cpu *cpu, const struct op *op, uint64_t s)
{
	uint64_t hi = cpu->r[R_RDX], lo = cpu->r[R_RAX], q, r;
	if (unlikely(hi >= s))   /* also s == 0: the quotient would not fit */
		return divide_error(cpu, op);
	if (likely(hi == 0)) {
		q = lo / s;
		r = lo % s;
	} else {
		__asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(s) : "cc");
	}
	cpu->r[R_RAX] = q;
	cpu->r[R_RDX] = r;
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}

/* ---- idiv: the quotient truncates toward zero, the remainder takes the dividend's sign ---- */

AI do_idiv8(struct cpu *cpu, const struct op *op, uint8_t s)
{
	int32_t n = (int16_t)gpr_get16(cpu, R(R_RAX)), d = (int8_t)s;
	if (unlikely(d == 0 || n / d > INT8_MAX || n / d < INT8_MIN))
		return divide_error(cpu, op);
	gpr_set16(cpu, R(R_RAX), (uint16_t)((uint8_t)(n / d) | (uint8_t)(n % d) << 8));
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}
AI do_idiv16(struct cpu *cpu, const struct op *op, uint16_t s)
{
	int64_t n = (int32_t)((uint32_t)gpr_get16(cpu, R(R_RDX)) << 16 | gpr_get16(cpu, R(R_RAX)));
	int64_t d = (int16_t)s;
	if (unlikely(d == 0 || n / d > INT16_MAX || n / d < INT16_MIN))
		return divide_error(cpu, op);
	gpr_set16(cpu, R(R_RAX), (uint16_t)(n / d));
	gpr_set16(cpu, R(R_RDX), (uint16_t)(n % d));
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}
AI do_idiv32(struct cpu *cpu, const struct op *op, uint32_t s)
{
	int64_t n = (int64_t)((uint64_t)gpr_get32(cpu, R(R_RDX)) << 32 | gpr_get32(cpu, R(R_RAX)));
	int64_t d = (int32_t)s, q, r;
	if (unlikely(d == 0))
		return divide_error(cpu, op);
	if (unlikely(d == -1)) {   /* INT64_MIN / -1 would trap on the host */
		q = (int64_t)(0 - (uint64_t)n);
		r = 0;
		if (n == INT64_MIN)
			return divide_error(cpu, op);
	} else {
		q = n / d;
		r = n % d;
	}
	if (unlikely(q > INT32_MAX || q < INT32_MIN))
		return divide_error(cpu, op);
	gpr_set32(cpu, R(R_RAX), (uint32_t)q);
	gpr_set32(cpu, R(R_RDX), (uint32_t)r);
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}

static bool idiv128(uint64_t hi, uint64_t lo, int64_t d, int64_t *q, int64_t *r)
{
	__int128 n = (__int128)((unsigned __int128)hi << 64 | lo), qq;
	if (d == -1) {   /* the only divisor whose int128 division can overflow */
		qq = (__int128)(0 - (unsigned __int128)n);   /* out of range below if it wraps */
		*r = 0;
	} else {
		qq = n / d;
		*r = (int64_t)(n % d);
	}
	if (qq > INT64_MAX || qq < INT64_MIN)
		return false;
	*q = (int64_t)qq;
	return true;
}

AI do_idiv64(struct cpu *cpu, const struct op *op, uint64_t s)
{
	uint64_t hi = cpu->r[R_RDX], lo = cpu->r[R_RAX];
	int64_t d = (int64_t)s, q, r;
	if (unlikely(d == 0))
		return divide_error(cpu, op);
	if (likely(hi == (uint64_t)((int64_t)lo >> 63) && d != -1)) {
		q = (int64_t)lo / d;   /* a sign-extended dividend (cqo): cannot overflow */
		r = (int64_t)lo % d;
	} else if (!idiv128(hi, lo, d, &q, &r)) {
		return divide_error(cpu, op);
	}
	cpu->r[R_RAX] = (uint64_t)q;
	cpu->r[R_RDX] = (uint64_t)r;
	div_flags(cpu);
	return OP_NEXT(cpu, op);
}

/* Register and memory forms of each one-operand body. */
#define DEF_RM(name, bits)                                                                   \
	static const struct op *op_##name##_r##bits(struct cpu *cpu, const struct op *op)    \
	{                                                                                    \
		return do_##name##bits(cpu, op, gpr_get##bits(cpu, op->rs));                 \
	}                                                                                    \
	static const struct op *op_##name##_m##bits(struct cpu *cpu, const struct op *op)    \
	{                                                                                    \
		return do_##name##bits(cpu, op, ld##bits(op_ea(cpu, op)));                   \
	}
#define DEF_RM4(name) DEF_RM(name, 8) DEF_RM(name, 16) DEF_RM(name, 32) DEF_RM(name, 64)
DEF_RM4(mul)
DEF_RM4(imul)
DEF_RM4(div)
DEF_RM4(idiv)

#define ROW4(name)                                                                           \
	{ { op_##name##_r8, op_##name##_r16, op_##name##_r32, op_##name##_r64 },             \
	  { op_##name##_m8, op_##name##_m16, op_##name##_m32, op_##name##_m64 } }
const op_fn intx_muldiv[MD_N][XF_N][SZ_N] = {
	[MD_MUL] = ROW4(mul), [MD_IMUL] = ROW4(imul), [MD_DIV] = ROW4(div), [MD_IDIV] = ROW4(idiv),
};

/* ---- imul r, r/m and imul r, r/m, imm: the product truncated to the destination ---- */

static inline uint64_t imul_n(uint64_t a, uint64_t b, unsigned bits, uint64_t *ovf)
{
	int64_t p;
	switch (bits) {
	case 16:
		p = (int64_t)(int16_t)a * (int16_t)b;
		*ovf = p != (int16_t)p;
		return (uint64_t)p;
	case 32:
		p = (int64_t)(int32_t)a * (int32_t)b;
		*ovf = p != (int32_t)p;
		return (uint64_t)p;
	default:
		*ovf = __builtin_mul_overflow((int64_t)a, (int64_t)b, &p);
		return (uint64_t)p;
	}
}

#define DEF_IMUL23_F(bits, sfx, F)                                                                     \
	static const struct op *op_imul_rr##bits##sfx(struct cpu *cpu, const struct op *op)       \
	{                                                                                    \
		uint64_t ovf, p = imul_n(gpr_get##bits(cpu, op->rd), gpr_get##bits(cpu, op->rs), \
					 bits, &ovf);                                        \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)p);                               \
		if (F)                                                                       \
			flags_lazy(cpu, FLK_MUL, bits, p, ovf, 0);                           \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_imul_rm##bits##sfx(struct cpu *cpu, const struct op *op)       \
	{                                                                                    \
		uint64_t ovf, s = ld##bits(op_ea(cpu, op));                                  \
		uint64_t p = imul_n(gpr_get##bits(cpu, op->rd), s, bits, &ovf);              \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)p);                               \
		if (F)                                                                       \
			flags_lazy(cpu, FLK_MUL, bits, p, ovf, 0);                           \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_imul_rri##bits##sfx(struct cpu *cpu, const struct op *op)      \
	{                                                                                    \
		uint64_t ovf, p = imul_n(gpr_get##bits(cpu, op->rs), (uint64_t)op->imm, bits, &ovf); \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)p);                               \
		if (F)                                                                       \
			flags_lazy(cpu, FLK_MUL, bits, p, ovf, 0);                           \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_imul_rmi##bits##sfx(struct cpu *cpu, const struct op *op)      \
	{                                                                                    \
		uint64_t ovf, s = ld##bits(op_ea(cpu, op));                                  \
		uint64_t p = imul_n(s, (uint64_t)op->imm, bits, &ovf);                       \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)p);                               \
		if (F)                                                                       \
			flags_lazy(cpu, FLK_MUL, bits, p, ovf, 0);                           \
		return OP_NEXT(cpu, op);                                                      \
	}
/* With F = 0 (suffix _nf): the variant that records no flags, for when nothing reads them. */
#define DEF_IMUL23(bits) DEF_IMUL23_F(bits, , 1) DEF_IMUL23_F(bits, _nf, 0)
DEF_IMUL23(16)
DEF_IMUL23(32)
DEF_IMUL23(64)

const op_fn intx_imul2[XF_N][SZ_N] = {
	{ NULL, op_imul_rr16, op_imul_rr32, op_imul_rr64 },
	{ NULL, op_imul_rm16, op_imul_rm32, op_imul_rm64 },
};
const op_fn intx_imul3[XF_N][SZ_N] = {
	{ NULL, op_imul_rri16, op_imul_rri32, op_imul_rri64 },
	{ NULL, op_imul_rmi16, op_imul_rmi32, op_imul_rmi64 },
};

/* ---- what each handler does with the flags (emu/op_flow.h); div and idiv may trap ---- */

#define NF(fn) fn##_nf
#define IMUL_FLOW(bits)                                                                      \
	OP_FLOW(op_imul_rr##bits, NF(op_imul_rr##bits), 0, FL_ARITH, FL_ARITH, false)         \
	OP_FLOW(op_imul_rm##bits, NF(op_imul_rm##bits), 0, FL_ARITH, FL_ARITH, true)          \
	OP_FLOW(op_imul_rri##bits, NF(op_imul_rri##bits), 0, FL_ARITH, FL_ARITH, false)       \
	OP_FLOW(op_imul_rmi##bits, NF(op_imul_rmi##bits), 0, FL_ARITH, FL_ARITH, true)
#define MUL1_FLOW(name, bits)                                                                \
	OP_FLOW(op_##name##_r##bits, NULL, 0, FL_ARITH, FL_ARITH, false)                      \
	OP_FLOW(op_##name##_m##bits, NULL, 0, FL_ARITH, FL_ARITH, true)

const struct op_flow ops_muldiv_flow[] = {
	IMUL_FLOW(16) IMUL_FLOW(32) IMUL_FLOW(64)
	MUL1_FLOW(mul, 8) MUL1_FLOW(mul, 16) MUL1_FLOW(mul, 32) MUL1_FLOW(mul, 64)
	MUL1_FLOW(imul, 8) MUL1_FLOW(imul, 16) MUL1_FLOW(imul, 32) MUL1_FLOW(imul, 64)
	{ 0 }
};
