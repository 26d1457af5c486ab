/* Bit ops: bt, bts, btr, btc; bsf, bsr (and tzcnt/lzcnt, which are rep bsf/bsr on the CPU
 * CPUID describes); bswap.
 *
 * bt*: CF is the selected bit, every other flag is kept (as the AMD EPYC this is checked on
 * does; OF, SF, AF and PF are undefined). With a memory operand and a register bit offset,
 * the offset is signed and may address any word before or after the operand. The lock forms
 * are one host atomic on the word holding the bit.
 * bsf/bsr: a zero source sets ZF and leaves the destination (all 64 bits) as it was; the
 * other flags are those of the host CPU: CF = OF = SF = AF = 0, PF the parity of the index.
 */
#include "ops_intx.h"

#define LOG2(bits) ((bits) == 16 ? 4 : (bits) == 32 ? 5 : 6)

static inline void bt_flags(struct cpu *cpu, uint64_t bit_set)
{
	intx_flags_update(cpu, FL_CF, bit_set ? FL_CF : 0);
}

static inline uint64_t bt_apply(int opc, uint64_t x, uint64_t m)
{
	switch (opc) {
	case BT_BTS: return x | m;
	case BT_BTR: return x & ~m;
	case BT_BTC: return x ^ m;
	default: return x;
	}
}

/* The word holding bit `off` (signed) of the bit string at a. */
#define BT_ADDR(a, off, bits) ((a) + (uint64_t)(((off) >> LOG2(bits)) * ((bits) / 8)))

#define DEF_BT(name, opc, bits)                                                              \
	static const struct op *op_##name##_rr##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t x = gpr_get##bits(cpu, op->rd);                                     \
		uint64_t m = 1ull << (gpr_get##bits(cpu, op->rs) & ((bits) - 1));            \
		if (opc != BT_BT)                                                            \
			gpr_set##bits(cpu, op->rd, (uint##bits##_t)bt_apply(opc, x, m));     \
		bt_flags(cpu, x & m);                                                        \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_ri##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t x = gpr_get##bits(cpu, op->rd), m = 1ull << op->imm;                \
		if (opc != BT_BT)                                                            \
			gpr_set##bits(cpu, op->rd, (uint##bits##_t)bt_apply(opc, x, m));     \
		bt_flags(cpu, x & m);                                                        \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mr##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		int64_t off = flags_sext(gpr_get##bits(cpu, op->rs), bits);                  \
		uint64_t a = BT_ADDR(op_ea(cpu, op), off, bits);                             \
		uint64_t x = ld##bits(a), m = 1ull << (off & ((bits) - 1));                  \
		if (opc != BT_BT)                                                            \
			st##bits(a, (uint##bits##_t)bt_apply(opc, x, m));                    \
		bt_flags(cpu, x & m);                                                        \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_mi##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint64_t x = ld##bits(a), m = 1ull << op->imm;                               \
		if (opc != BT_BT)                                                            \
			st##bits(a, (uint##bits##_t)bt_apply(opc, x, m));                    \
		bt_flags(cpu, x & m);                                                        \
		return OP_NEXT(cpu, op);                                                      \
	}

/* Lock forms: one atomic read-modify-write of the word. */
#define BT_ATOMIC(opc, p, m)                                                                 \
	((opc) == BT_BTS ? __atomic_fetch_or(p, m, __ATOMIC_SEQ_CST)                         \
	 : (opc) == BT_BTR ? __atomic_fetch_and(p, ~(m), __ATOMIC_SEQ_CST)                   \
	 : __atomic_fetch_xor(p, m, __ATOMIC_SEQ_CST))
#define DEF_BT_LOCK(name, opc, bits)                                                         \
	static const struct op *op_##name##_lmr##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		int64_t off = flags_sext(gpr_get##bits(cpu, op->rs), bits);                  \
		uint##bits##_t *p = (uint##bits##_t *)BT_ADDR(op_ea(cpu, op), off, bits);    \
		uint##bits##_t m = (uint##bits##_t)(1ull << (off & ((bits) - 1)));           \
		bt_flags(cpu, BT_ATOMIC(opc, p, m) & m);                                     \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_##name##_lmi##bits(struct cpu *cpu, const struct op *op)  \
	{                                                                                    \
		uint##bits##_t *p = (uint##bits##_t *)op_ea(cpu, op);                        \
		uint##bits##_t m = (uint##bits##_t)(1ull << op->imm);                        \
		bt_flags(cpu, BT_ATOMIC(opc, p, m) & m);                                     \
		return OP_NEXT(cpu, op);                                                      \
	}

#define DEF_BT3(name, opc) DEF_BT(name, opc, 16) DEF_BT(name, opc, 32) DEF_BT(name, opc, 64)
#define DEF_BT_LOCK3(name, opc)                                                              \
	DEF_BT_LOCK(name, opc, 16) DEF_BT_LOCK(name, opc, 32) DEF_BT_LOCK(name, opc, 64)
DEF_BT3(bt, BT_BT)
DEF_BT3(bts, BT_BTS)
DEF_BT3(btr, BT_BTR)
DEF_BT3(btc, BT_BTC)
DEF_BT_LOCK3(bts, BT_BTS)
DEF_BT_LOCK3(btr, BT_BTR)
DEF_BT_LOCK3(btc, BT_BTC)

#define BT_FORM(name, f) { NULL, op_##name##_##f##16, op_##name##_##f##32, op_##name##_##f##64 }
#define BT_ROW(name)                                                                         \
	{ BT_FORM(name, rr), BT_FORM(name, ri), BT_FORM(name, mr), BT_FORM(name, mi),        \
	  BT_FORM(name, lmr), BT_FORM(name, lmi) }
const op_fn intx_bt[BT_N][BTF_N][SZ_N] = {
	[BT_BT] = { BT_FORM(bt, rr), BT_FORM(bt, ri), BT_FORM(bt, mr), BT_FORM(bt, mi) },
	[BT_BTS] = BT_ROW(bts),
	[BT_BTR] = BT_ROW(btr),
	[BT_BTC] = BT_ROW(btc),
};

/* ---- bsf, bsr ---- */

static inline const struct op *bsx(struct cpu *cpu, const struct op *op, uint64_t s, bool rev,
				    unsigned bits)
{
	if (unlikely(s == 0)) {
		flags_set_arith(cpu, FL_ZF | FL_PF);
		return OP_NEXT(cpu, op);
	}
	uint64_t idx = rev ? 63u - (unsigned)__builtin_clzll(s) : (unsigned)__builtin_ctzll(s);
	switch (bits) {
	case 16: gpr_set16(cpu, op->rd, (uint16_t)idx); break;
	case 32: gpr_set32(cpu, op->rd, (uint32_t)idx); break;
	default: gpr_set64(cpu, op->rd, idx); break;
	}
	flags_set_arith(cpu, intx_pf(idx));
	return OP_NEXT(cpu, op);
}

#define DEF_BSX(name, rev, bits)                                                             \
	static const struct op *op_##name##_r##bits(struct cpu *cpu, const struct op *op)    \
	{                                                                                    \
		return bsx(cpu, op, gpr_get##bits(cpu, op->rs), rev, bits);                  \
	}                                                                                    \
	static const struct op *op_##name##_m##bits(struct cpu *cpu, const struct op *op)    \
	{                                                                                    \
		return bsx(cpu, op, ld##bits(op_ea(cpu, op)), rev, bits);                    \
	}
DEF_BSX(bsf, false, 16)
DEF_BSX(bsf, false, 32)
DEF_BSX(bsf, false, 64)
DEF_BSX(bsr, true, 16)
DEF_BSX(bsr, true, 32)
DEF_BSX(bsr, true, 64)

const op_fn intx_bsx[BS_N][XF_N][SZ_N] = {
	[BS_F] = { { NULL, op_bsf_r16, op_bsf_r32, op_bsf_r64 },
		   { NULL, op_bsf_m16, op_bsf_m32, op_bsf_m64 } },
	[BS_R] = { { NULL, op_bsr_r16, op_bsr_r32, op_bsr_r64 },
		   { NULL, op_bsr_m16, op_bsr_m32, op_bsr_m64 } },
};

/* ---- bswap ---- */

static const struct op *op_bswap_r16(struct cpu *cpu, const struct op *op)
{
	gpr_set16(cpu, op->rd, 0);
	return OP_NEXT(cpu, op);
}

static const struct op *op_bswap_r32(struct cpu *cpu, const struct op *op)
{
	gpr_set32(cpu, op->rd, __builtin_bswap32(gpr_get32(cpu, op->rd)));
	return OP_NEXT(cpu, op);
}

static const struct op *op_bswap_r64(struct cpu *cpu, const struct op *op)
{
	gpr_set64(cpu, op->rd, __builtin_bswap64(gpr_get64(cpu, op->rd)));
	return OP_NEXT(cpu, op);
}

const op_fn intx_bswap[SZ_N] = { NULL, op_bswap_r16, op_bswap_r32, op_bswap_r64 };
