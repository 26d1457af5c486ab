/* Shifts and rotates: shl/sal, shr, sar, rol, ror, rcl, rcr (by 1, imm, cl) and shld, shrd.
 *
 * The count is masked to 5 bits (6 for 64-bit operands); a masked count of 0 changes no flags
 * and no operand, but a 32-bit register destination is still zero-extended. The lowering
 * resolves immediate counts, so the imm forms here always see a nonzero masked count.
 * shl/shr/sar record lazy flags; rotates update CF and OF only. Flags the manual leaves
 * undefined follow the AMD EPYC this is checked on: OF for counts above 1 is MSB ^ CF (rol,
 * rcl, shl, shld) or the top two result bits XORed (ror, rcr, shrd); shld/shrd set AF.
 */
#include "ops_intx.h"
#include "op_flow.h"

#define CMASK(bits) ((bits) == 64 ? 63u : 31u)
#define MSB(v, n) (((v) >> ((n) - 1)) & 1)
#define NMASK(n) ((n) == 64 ? ~0ull : (1ull << (n)) - 1)

static inline __attribute__((always_inline)) void set_cf_of(struct cpu *cpu, uint64_t cf, uint64_t of)
{
	intx_flags_update(cpu, FL_CF | FL_OF, (cf ? FL_CF : 0) | (of ? FL_OF : 0));
}

/* ---- bodies: x is the n-bit operand zero-extended, c the masked count (nonzero) ---- */

static inline __attribute__((always_inline)) uint64_t sh_shl(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	uint64_t r = x << c;
	if (fl)
		flags_lazy(cpu, FLK_SHL, n, r, x, c);
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_shr(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	uint64_t r = x >> c;
	if (fl)
		flags_lazy(cpu, FLK_SHR, n, r, x, c);
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_sar(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	uint64_t r = (uint64_t)(flags_sext(x, n) >> c);
	if (fl)
		flags_lazy(cpu, FLK_SAR, n, r, x, c);
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_rol(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	unsigned k = c & (n - 1);
	uint64_t r = k ? ((x << k) | (x >> (n - k))) & NMASK(n) : x;
	if (fl)
		set_cf_of(cpu, r & 1, MSB(r, n) ^ (r & 1));
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_ror(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	unsigned k = c & (n - 1);
	uint64_t r = k ? ((x >> k) | (x << (n - k))) & NMASK(n) : x;
	if (fl)
		set_cf_of(cpu, MSB(r, n), MSB(r, n) ^ MSB(r, n - 1));
	return r;
}

/* Through carry: an (n+1)-bit rotate of CF:x. 8- and 16-bit counts go modulo 9 and 17. */
static inline __attribute__((always_inline)) uint64_t sh_rcl(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	uint64_t cf = flags_cf(cpu), r = x;
	unsigned k = n < 32 ? c % (n + 1) : c;
	if (k) {
		r = ((x << k) | (cf << (k - 1)) | ((x >> (n - k)) >> 1)) & NMASK(n);
		cf = (x >> (n - k)) & 1;
	}
	set_cf_of(cpu, cf, MSB(r, n) ^ cf);
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_rcr(struct cpu *cpu, uint64_t x, unsigned c, unsigned n,
						       bool fl)
{
	uint64_t cf = flags_cf(cpu), r = x;
	unsigned k = n < 32 ? c % (n + 1) : c;
	if (k) {
		r = ((x >> k) | (cf << (n - k)) | ((x << (n - k)) << 1)) & NMASK(n);
		cf = (x >> (k - 1)) & 1;
	}
	set_cf_of(cpu, cf, MSB(r, n) ^ MSB(r, n - 1));
	return r;
}

/* Four forms of each body: register or memory operand, count in op->imm or cl; with F = 0
 * (suffix _nf) the variant that records no flags, for when nothing reads them. */
#define DEF_SHIFT_F(name, bits, sfx, F)                                                                \
	static const struct op *op_##name##_ri##bits##sfx(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t r = sh_##name(cpu, gpr_get##bits(cpu, op->rd), (unsigned)op->imm, bits, F); \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)r);                               \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_rc##bits##sfx(struct cpu *cpu, const struct op *op)   \
	{                                                                                    \
		unsigned c = (unsigned)cpu->r[R_RCX] & CMASK(bits);                          \
		uint64_t r = gpr_get##bits(cpu, op->rd);                                     \
		if (likely(c))                                                               \
			r = sh_##name(cpu, r, c, bits, F);                                      \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)r);                               \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mi##bits##sfx(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t a = op_ea(cpu, op);                                                 \
		st##bits(a, (uint##bits##_t)sh_##name(cpu, ld##bits(a), (unsigned)op->imm, bits, F)); \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mc##bits##sfx(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		unsigned c = (unsigned)cpu->r[R_RCX] & CMASK(bits);                          \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint64_t x = ld##bits(a);                                                    \
		if (likely(c))                                                               \
			st##bits(a, (uint##bits##_t)sh_##name(cpu, x, c, bits, F));             \
		return OP_NEXT(cpu, op);                                                      \
	}
#define DEF_SHIFT(name, bits) DEF_SHIFT_F(name, bits, , 1) DEF_SHIFT_F(name, bits, _nf, 0)
#define DEF_SHIFT_ONLY(name, bits) DEF_SHIFT_F(name, bits, , 1)
#define DEF_SHIFT4(name) DEF_SHIFT(name, 8) DEF_SHIFT(name, 16) DEF_SHIFT(name, 32) DEF_SHIFT(name, 64)
#define DEF_SHIFT4_ONLY(name) DEF_SHIFT_ONLY(name, 8) DEF_SHIFT_ONLY(name, 16) DEF_SHIFT_ONLY(name, 32) \
	DEF_SHIFT_ONLY(name, 64)
DEF_SHIFT4(shl)
DEF_SHIFT4(shr)
DEF_SHIFT4(sar)
DEF_SHIFT4(rol)
DEF_SHIFT4(ror)
DEF_SHIFT4_ONLY(rcl)
DEF_SHIFT4_ONLY(rcr)

#define SHIFT_ROW(name)                                                                      \
	{ { { op_##name##_ri8, op_##name##_ri16, op_##name##_ri32, op_##name##_ri64 },       \
	    { op_##name##_rc8, op_##name##_rc16, op_##name##_rc32, op_##name##_rc64 } },     \
	  { { op_##name##_mi8, op_##name##_mi16, op_##name##_mi32, op_##name##_mi64 },       \
	    { op_##name##_mc8, op_##name##_mc16, op_##name##_mc32, op_##name##_mc64 } } }
const op_fn intx_shift[SH_N][XF_N][XC_N][SZ_N] = {
	[SH_ROL] = SHIFT_ROW(rol), [SH_ROR] = SHIFT_ROW(ror), [SH_RCL] = SHIFT_ROW(rcl),
	[SH_RCR] = SHIFT_ROW(rcr), [SH_SHL] = SHIFT_ROW(shl), [SH_SHR] = SHIFT_ROW(shr),
	[SH_SAR] = SHIFT_ROW(sar),
};

const struct op *op_zext_r32(struct cpu *cpu, const struct op *op)
{
	gpr_set32(cpu, op->rd, gpr_get32(cpu, op->rd));
	return OP_NEXT(cpu, op);
}

/* ---- shld, shrd: d the destination, s the source supplying the bits shifted in ---- */

static inline __attribute__((always_inline)) void shxd_flags(struct cpu *cpu, uint64_t r, uint64_t cf, uint64_t of, unsigned n)
{
	r &= NMASK(n);
	flags_set_arith(cpu, (r ? 0 : FL_ZF) | (MSB(r, n) ? FL_SF : 0) | intx_pf(r) | FL_AF |
			     (cf ? FL_CF : 0) | (of ? FL_OF : 0));
}

static inline __attribute__((always_inline)) uint64_t sh_shld(struct cpu *cpu, uint64_t d, uint64_t s, unsigned c, unsigned n)
{
	uint64_t r, cf;
	if (n == 16) {
		if (c > 16) {   /* undefined: the CPU rotates the source */
			c -= 16;
			r = ((s << c) | (s >> (16 - c))) & 0xffff;
			shxd_flags(cpu, r, 0, 0, 16);
			return r;
		}
		uint32_t v = (uint32_t)(d << 16 | s);
		r = (v << c) >> 16;
		cf = (v >> (32 - c)) & 1;
	} else {
		r = (d << c) | (s >> (n - c));
		cf = (d >> (n - c)) & 1;
	}
	shxd_flags(cpu, r, cf, MSB(r, n) ^ cf, n);
	return r;
}

static inline __attribute__((always_inline)) uint64_t sh_shrd(struct cpu *cpu, uint64_t d, uint64_t s, unsigned c, unsigned n)
{
	uint64_t r, cf;
	if (n == 16) {
		if (c > 16) {
			c -= 16;
			r = ((s >> c) | (s << (16 - c))) & 0xffff;
			shxd_flags(cpu, r, 0, MSB(r, 16) ^ MSB(r, 15), 16);
			return r;
		}
		uint32_t v = (uint32_t)(s << 16 | d);
		r = (v >> c) & 0xffff;
		cf = (v >> (c - 1)) & 1;
	} else {
		r = (d >> c) | (s << (n - c));
		cf = (d >> (c - 1)) & 1;
	}
	r &= NMASK(n);
	shxd_flags(cpu, r, cf, MSB(r, n) ^ MSB(r, n - 1), n);
	return r;
}

#define DEF_SHXD(name, bits)                                                                 \
	static const struct op *op_##name##_ri##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t r = sh_##name(cpu, gpr_get##bits(cpu, op->rd), gpr_get##bits(cpu, op->rs), \
				       (unsigned)op->imm, bits);                             \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)r);                               \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_rc##bits(struct cpu *cpu, const struct op *op)   \
	{                                                                                    \
		unsigned c = (unsigned)cpu->r[R_RCX] & CMASK(bits);                          \
		uint64_t r = gpr_get##bits(cpu, op->rd);                                     \
		if (likely(c))                                                               \
			r = sh_##name(cpu, r, gpr_get##bits(cpu, op->rs), c, bits);          \
		gpr_set##bits(cpu, op->rd, (uint##bits##_t)r);                               \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mi##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint64_t r = sh_##name(cpu, ld##bits(a), gpr_get##bits(cpu, op->rs),         \
				       (unsigned)op->imm, bits);                             \
		st##bits(a, (uint##bits##_t)r);                                              \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mc##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		unsigned c = (unsigned)cpu->r[R_RCX] & CMASK(bits);                          \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint64_t x = ld##bits(a);                                                    \
		if (likely(c))                                                               \
			st##bits(a, (uint##bits##_t)sh_##name(cpu, x, gpr_get##bits(cpu, op->rs), \
							      c, bits));                     \
		return OP_NEXT(cpu, op);                                                      \
	}
DEF_SHXD(shld, 16)
DEF_SHXD(shld, 32)
DEF_SHXD(shld, 64)
DEF_SHXD(shrd, 16)
DEF_SHXD(shrd, 32)
DEF_SHXD(shrd, 64)

#define SHXD_ROW(name)                                                                       \
	{ { { NULL, op_##name##_ri16, op_##name##_ri32, op_##name##_ri64 },                  \
	    { NULL, op_##name##_rc16, op_##name##_rc32, op_##name##_rc64 } },                \
	  { { NULL, op_##name##_mi16, op_##name##_mi32, op_##name##_mi64 },                  \
	    { NULL, op_##name##_mc16, op_##name##_mc32, op_##name##_mc64 } } }
const op_fn intx_shxd[SHD_N][XF_N][XC_N][SZ_N] = {
	[SHD_L] = SHXD_ROW(shld), [SHD_R] = SHXD_ROW(shrd),
};

/* ---- what each handler does with the flags (emu/op_flow.h) ---- */

/* A count in cl may be 0, which changes no flag: those forms kill none. */
#define SHIFT_FLOW_N(name, bits, nf, rd, w)                                                  \
	OP_FLOW(op_##name##_ri##bits, nf(op_##name##_ri##bits), rd, w, w, false)              \
	OP_FLOW(op_##name##_rc##bits, nf(op_##name##_rc##bits), rd, w, 0, false)              \
	OP_FLOW(op_##name##_mi##bits, nf(op_##name##_mi##bits), rd, w, w, true)               \
	OP_FLOW(op_##name##_mc##bits, nf(op_##name##_mc##bits), rd, w, 0, true)
#define NF(fn) fn##_nf
#define NO_NF(fn) NULL
#define SHIFT_FLOW(name, nf, rd, w)                                                          \
	SHIFT_FLOW_N(name, 8, nf, rd, w) SHIFT_FLOW_N(name, 16, nf, rd, w)                     \
	SHIFT_FLOW_N(name, 32, nf, rd, w) SHIFT_FLOW_N(name, 64, nf, rd, w)

const struct op_flow ops_shift_flow[] = {
	SHIFT_FLOW(shl, NF, 0, FL_ARITH) SHIFT_FLOW(shr, NF, 0, FL_ARITH)
	SHIFT_FLOW(sar, NF, 0, FL_ARITH)
	SHIFT_FLOW(rol, NF, 0, FL_CF | FL_OF) SHIFT_FLOW(ror, NF, 0, FL_CF | FL_OF)
	SHIFT_FLOW(rcl, NO_NF, FL_CF, FL_CF | FL_OF) SHIFT_FLOW(rcr, NO_NF, FL_CF, FL_CF | FL_OF)
	OP_FLOW_PLAIN(op_zext_r32)
	{ 0 }
};
