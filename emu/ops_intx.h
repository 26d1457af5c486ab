/* Handler tables of the extended integer ops (emu/ops_muldiv.c, ops_shift.c, ops_bits.c,
 * ops_string.c, ops_atomic.c, ops_system.c), indexed by operation, form and size, for the
 * lowering in emu/decode_intx.c. Size index SZ_8..SZ_64 as in emu/ops_int.h; NULL where a form
 * does not exist. Operands: op->rd the destination (or only) GPR, op->rs the source GPR,
 * op->imm an immediate, the memory operand through op_ea(). */
#ifndef SFDEMU_OPS_INTX_H
#define SFDEMU_OPS_INTX_H

#include "op.h"
#include "flags.h"
#include "ops_int.h"

/* Register or memory operand (the r/m of the instruction). */
enum { XF_R, XF_M, XF_N };
/* Register or memory operand, or memory with a lock prefix (one host atomic). */
enum { XL_R, XL_M, XL_LM, XL_N };
/* Where a shift count comes from: op->imm (already masked, nonzero) or cl. */
enum { XC_IMM, XC_CL, XC_N };

/* mul, imul, div, idiv with one r/m operand: rs is the register source. */
enum { MD_MUL, MD_IMUL, MD_DIV, MD_IDIV, MD_N };
extern const op_fn intx_muldiv[MD_N][XF_N][SZ_N];
/* imul r, r/m (rd, rs) and imul r, r/m, imm (rd, rs, imm): 16, 32, 64 bits. */
extern const op_fn intx_imul2[XF_N][SZ_N];
extern const op_fn intx_imul3[XF_N][SZ_N];

/* Shifts and rotates in /digit order of the c0/c1/d0-d3 group (sal is shl). rd is the
 * register operand. */
enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAR, SH_N };
extern const op_fn intx_shift[SH_N][XF_N][XC_N][SZ_N];
/* shld, shrd r/m, r (rs), imm/cl: 16, 32, 64 bits. */
enum { SHD_L, SHD_R, SHD_N };
extern const op_fn intx_shxd[SHD_N][XF_N][XC_N][SZ_N];
/* 32-bit register forms with a masked count of 0: the register is zero-extended, nothing else. */
const struct op *op_zext_r32(struct cpu *cpu, const struct op *op);

/* bt, bts, btr, btc: r/m with a register bit offset (rs) or an immediate (imm, masked). */
enum { BT_BT, BT_BTS, BT_BTR, BT_BTC, BT_N };
enum { BTF_RR, BTF_RI, BTF_MR, BTF_MI, BTF_LMR, BTF_LMI, BTF_N };
extern const op_fn intx_bt[BT_N][BTF_N][SZ_N];
/* bsf, bsr rd, r/m (rs): 16, 32, 64 bits. */
enum { BS_F, BS_R, BS_N };
extern const op_fn intx_bsx[BS_N][XF_N][SZ_N];
/* bswap rd: 16 (clears the low word, as the CPU does), 32, 64. */
extern const op_fn intx_bswap[SZ_N];

/* String ops: rsi (plus the segment base op->seg) and rdi, DF honoured. */
enum { STR_MOVS, STR_STOS, STR_LODS, STR_CMPS, STR_SCAS, STR_N };
enum { REP_NONE, REP_E, REP_NE, REP_N };   /* rep is REP_E for movs, stos, lods */
extern const op_fn intx_string[STR_N][REP_N][SZ_N];

/* cmpxchg r/m, r (rs); xadd r/m, r (rs). */
extern const op_fn intx_cmpxchg[XL_N][SZ_N];
extern const op_fn intx_xadd[XL_N][SZ_N];
/* cmpxchg8b, cmpxchg16b m: [0 = plain, 1 = lock]. */
extern const op_fn intx_cmpxchg8b[2];
extern const op_fn intx_cmpxchg16b[2];

/* Instructions without operand forms (emu/ops_system.c). */
enum {
	SYS_CPUID, SYS_RDTSC, SYS_UD2, SYS_INT3, SYS_INT1, SYS_INT, SYS_HLT, SYS_PRIV, SYS_PUSHFQ,
	SYS_POPFQ, SYS_PUSHFW, SYS_POPFW, SYS_LAHF, SYS_SAHF, SYS_CLC, SYS_STC, SYS_CMC,
	SYS_CLD, SYS_STD, SYS_SYSCALL, SYS_XLAT, SYS_ENTER, SYS_CLFLUSH, SYS_N
};
extern const op_fn intx_sys[SYS_N];

/* CPUID leaf `leaf`, subleaf `sub`, as the emulated CPU answers (also for tests and AT_HWCAP). */
void cpuid_query(uint32_t leaf, uint32_t sub, uint32_t out[4]);

/* Parity flag of the low byte of v. */
static inline uint64_t intx_pf(uint64_t v)
{
	return __builtin_parity((unsigned)(v & 0xff)) ? 0 : FL_PF;
}

/* flags_update() without its call for the states rotates, bt and clc/stc/cmc usually follow
 * (an eager state, add, sub/cmp, a logic op): the kept flags come straight from the lazy
 * record, as flags_arith() would compute them. */
static inline __attribute__((always_inline)) void intx_flags_update(struct cpu *cpu, uint64_t mask, uint64_t bits)
{
	unsigned k = cpu->fl_kind >> 2;
	uint64_t f, r = cpu->fl_res;
	if (k == FLK_EAGER) {
		f = cpu->fl_saved;
	} else if (k == FLK_LOGIC || k == FLK_ADD || k == FLK_SUB) {
		f = (r == 0 ? FL_ZF : 0) | ((int64_t)r < 0 ? FL_SF : 0) | intx_pf(r);
		if (k != FLK_LOGIC) {
			uint64_t a = cpu->fl_a, b = cpu->fl_b;
			f |= (a ^ b ^ r) & FL_AF;
			if (!(mask & FL_CF) && (k == FLK_ADD ? r < a : a < b))
				f |= FL_CF;
			if (!(mask & FL_OF) &&
			    (k == FLK_ADD ? ((a ^ r) & (b ^ r)) : ((a ^ b) & (a ^ r))) >> 63)
				f |= FL_OF;
		}
	} else {
		flags_update(cpu, mask, bits);
		return;
	}
	flags_set_arith(cpu, (f & ~mask) | (bits & mask));
}

#endif
