/* Lowering of the extended integer instructions to the handlers of emu/ops_muldiv.c,
 * ops_shift.c, ops_bits.c, ops_string.c, ops_atomic.c and ops_system.c: mul/imul/div/idiv,
 * shifts and rotates, shld/shrd, bit tests and scans, bswap, string ops, cmpxchg/xadd, and
 * the system instructions (cpuid, rdtsc, traps, flag register ops, syscall, enter, xlat).
 *
 * What CPUID does not report is left unlowered so it raises SIGILL, as on such a CPU: popcnt,
 * movbe, rdtscp, rdrand, ... The f3 0f bc/bd bytes Capstone calls tzcnt/lzcnt are rep bsf/bsr
 * on a CPU without BMI1/LZCNT, and run as bsf/bsr.
 *
 * Capstone 4.0.2 details relied on: movsd and cmpsd name both the string instructions and
 * the SSE2 scalar-double ones (the latter have xmm operands and are left to lower_sse); shift
 * counts of 1 come as an immediate operand; a segment override is in prefix[1].
 */
#include "decode_internal.h"
#include "ops_intx.h"

/* The r/m operand o: register (sets *reg) or memory. -1 for anything else. */
static int rm_form(const struct dopnd *o, uint8_t *reg)
{
	if (o->kind == DO_GPR) {
		*reg = (uint8_t)o->reg;
		return XF_R;
	}
	return o->kind == DO_MEM ? XF_M : -1;
}

static uint8_t seg_override(const struct dinsn *d)
{
	switch (d->x86->prefix[1]) {
	case X86_PREFIX_FS: return SEG_FS;
	case X86_PREFIX_GS: return SEG_GS;
	default: return SEG_NONE;
	}
}

/* ---- mul, imul, div, idiv ---- */

static bool lower_muldiv(const struct dinsn *d, struct op *op, int md)
{
	int s = size_index(d->o[0].size), f;
	if (d->lock || s < 0)
		return false;
	if (d->nops == 1) {
		if ((f = rm_form(&d->o[0], &op->rs)) < 0)
			return false;
		return set_fn(op, intx_muldiv[md][f][s]);
	}
	if (md != MD_IMUL || d->o[0].kind != DO_GPR || (f = rm_form(&d->o[1], &op->rs)) < 0)
		return false;
	op->rd = (uint8_t)d->o[0].reg;
	if (d->nops == 2)
		return set_fn(op, intx_imul2[f][s]);
	if (d->nops != 3 || d->o[2].kind != DO_IMM)
		return false;
	op->imm = d->o[2].imm;
	return set_fn(op, intx_imul3[f][s]);
}

/* ---- shifts and rotates ---- */

/* The count operand o: an immediate (masked into op->imm; *zero when it masks to 0) or cl. */
static int count_form(const struct dopnd *o, unsigned bits, struct op *op, bool *zero)
{
	if (o->kind == DO_IMM) {
		op->imm = o->imm & (bits == 64 ? 63 : 31);
		*zero = op->imm == 0;
		return XC_IMM;
	}
	*zero = false;
	return o->kind == DO_GPR && o->capreg == X86_REG_CL ? XC_CL : -1;
}

/* A zero immediate count does nothing but zero-extend a 32-bit register destination. */
static bool lower_zero_count(struct op *op, int f, int s)
{
	return set_fn(op, f == XF_R && s == SZ_32 ? op_zext_r32 : op_nop);
}

static bool lower_shift(const struct dinsn *d, struct op *op, int sh)
{
	int s = size_index(d->o[0].size), f, c;
	bool zero;
	if (d->lock || s < 0 || (f = rm_form(&d->o[0], &op->rd)) < 0)
		return false;
	if (d->nops == 1) {
		op->imm = 1;
		c = XC_IMM;
		zero = false;
	} else if (d->nops != 2 || (c = count_form(&d->o[1], 8u << s, op, &zero)) < 0) {
		return false;
	}
	if (zero)
		return lower_zero_count(op, f, s);
	return set_fn(op, intx_shift[sh][f][c][s]);
}

static bool lower_shxd(const struct dinsn *d, struct op *op, int which)
{
	int s = size_index(d->o[0].size), f, c;
	bool zero;
	if (d->lock || d->nops != 3 || s < 0 || (f = rm_form(&d->o[0], &op->rd)) < 0 ||
	    d->o[1].kind != DO_GPR || (c = count_form(&d->o[2], 8u << s, op, &zero)) < 0)
		return false;
	op->rs = (uint8_t)d->o[1].reg;
	if (zero)
		return lower_zero_count(op, f, s);
	return set_fn(op, intx_shxd[which][f][c][s]);
}

/* ---- bit tests and scans, bswap ---- */

static bool lower_bt(const struct dinsn *d, struct op *op, int bt)
{
	int s = size_index(d->o[0].size), f, form;
	if (d->nops != 2 || s < 0 || (f = rm_form(&d->o[0], &op->rd)) < 0)
		return false;
	if (d->o[1].kind == DO_GPR) {
		op->rs = (uint8_t)d->o[1].reg;
		form = f == XF_R ? BTF_RR : BTF_MR;
	} else if (d->o[1].kind == DO_IMM) {
		op->imm = d->o[1].imm & ((8 << s) - 1);
		form = f == XF_R ? BTF_RI : BTF_MI;
	} else {
		return false;
	}
	if (d->lock) {
		if (f != XF_M || bt == BT_BT)
			return false;
		form = form == BTF_MR ? BTF_LMR : BTF_LMI;
	}
	return set_fn(op, intx_bt[bt][form][s]);
}

static bool lower_bsx(const struct dinsn *d, struct op *op, int which)
{
	int s = size_index(d->o[0].size), f;
	if (d->lock || d->nops != 2 || s < 0 || d->o[0].kind != DO_GPR ||
	    (f = rm_form(&d->o[1], &op->rs)) < 0)
		return false;
	op->rd = (uint8_t)d->o[0].reg;
	return set_fn(op, intx_bsx[which][f][s]);
}

static bool lower_bswap(const struct dinsn *d, struct op *op)
{
	int s = size_index(d->o[0].size);
	if (d->lock || d->nops != 1 || s < 0 || d->o[0].kind != DO_GPR)
		return false;
	op->rd = (uint8_t)d->o[0].reg;
	return set_fn(op, intx_bswap[s]);
}

/* ---- string instructions ---- */

/* Capstone 4.0.2 misreads some prefixed string instructions (66 f3 a5 comes out as rep movsd,
 * f2 a5 as a plain movsd), so their prefixes are read from the bytes: the last of f2/f3
 * counts, 66 selects 16-bit elements unless REX.W selects 64-bit ones. */
struct str_prefixes {
	int rep;
	bool opsize, rex_w, addr32, lock;
	uint8_t seg;
};

static struct str_prefixes string_prefixes(const struct dinsn *d)
{
	struct str_prefixes p = { .rep = REP_NONE, .seg = SEG_NONE };
	for (unsigned i = 0; i < d->len && i < sizeof d->insn->bytes; i++) {
		uint8_t b = d->insn->bytes[i];
		switch (b) {
		case 0xf3: p.rep = REP_E; break;
		case 0xf2: p.rep = REP_NE; break;
		case 0xf0: p.lock = true; break;
		case 0x66: p.opsize = true; break;
		case 0x67: p.addr32 = true; break;
		case 0x64: p.seg = SEG_FS; break;
		case 0x65: p.seg = SEG_GS; break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: p.seg = SEG_NONE; break;
		default:
			if ((b & 0xf0) == 0x40) {   /* REX: the last byte before the opcode */
				p.rex_w = b & 8;
				break;
			}
			return p;
		}
		if ((b & 0xf0) != 0x40)
			p.rex_w = false;
	}
	return p;
}

static bool lower_string(const struct dinsn *d, struct op *op, int str, int s)
{
	for (unsigned i = 0; i < d->nops; i++)
		if (d->o[i].kind == DO_XMM)   /* movsd/cmpsd xmm: SSE2, not ours */
			return false;
	struct str_prefixes p = string_prefixes(d);
	if (p.lock || p.addr32)
		return false;
	if (s != SZ_8)
		s = p.rex_w ? SZ_64 : p.opsize ? SZ_16 : SZ_32;
	op->seg = p.seg;
	return set_fn(op, intx_string[str][p.rep][s]);
}

/* ---- cmpxchg, xadd ---- */

static bool lower_xchg_rm(const struct dinsn *d, struct op *op, const op_fn table[XL_N][SZ_N])
{
	int s = size_index(d->o[0].size), f;
	if (d->nops != 2 || s < 0 || d->o[1].kind != DO_GPR || (f = rm_form(&d->o[0], &op->rd)) < 0)
		return false;
	op->rs = (uint8_t)d->o[1].reg;
	if (d->lock) {
		if (f != XF_M)
			return false;
		return set_fn(op, table[XL_LM][s]);
	}
	return set_fn(op, table[f == XF_R ? XL_R : XL_M][s]);
}

static bool lower_cmpxchg_wide(const struct dinsn *d, struct op *op, const op_fn table[2])
{
	if (d->nops != 1 || d->o[0].kind != DO_MEM)
		return false;
	return set_fn(op, table[d->lock]);
}

/* ---- system instructions ---- */

static bool lower_sys(const struct dinsn *d, struct op *op, int which)
{
	if (d->lock)
		return false;
	return set_fn(op, intx_sys[which]);
}

static bool lower_enter(const struct dinsn *d, struct op *op)
{
	if (d->lock || d->opsize || d->nops != 2 || d->o[0].kind != DO_IMM || d->o[1].kind != DO_IMM)
		return false;
	op->imm = d->o[0].imm & 0xffff;
	op->aux = (uint8_t)(d->o[1].imm & 31);
	return set_fn(op, intx_sys[SYS_ENTER]);
}

static bool lower_int_n(const struct dinsn *d, struct op *op)
{
	if (d->lock || d->nops != 1 || d->o[0].kind != DO_IMM)
		return false;
	op->imm = d->o[0].imm & 0xff;
	return set_fn(op, intx_sys[SYS_INT]);
}

/* mov to or from a control or debug register: privileged. */
static bool lower_mov_special(const struct dinsn *d, struct op *op)
{
	for (unsigned i = 0; i < d->nops; i++) {
		x86_reg r = d->o[i].capreg;
		if (d->o[i].kind == DO_OTHER && ((r >= X86_REG_CR0 && r <= X86_REG_CR15) ||
						 (r >= X86_REG_DR0 && r <= X86_REG_DR15)))
			return set_fn(op, intx_sys[SYS_PRIV]);
	}
	return false;
}

static bool lower_system(const struct dinsn *d, struct op *op)
{
	switch (d->id) {
	case X86_INS_CPUID: return lower_sys(d, op, SYS_CPUID);
	case X86_INS_RDTSC: return lower_sys(d, op, SYS_RDTSC);
	case X86_INS_UD2: case X86_INS_UD2B: case X86_INS_UD0: return set_fn(op, intx_sys[SYS_UD2]);
	case X86_INS_INT3: return lower_sys(d, op, SYS_INT3);
	case X86_INS_INT1: return lower_sys(d, op, SYS_INT1);
	case X86_INS_INT: return lower_int_n(d, op);
	case X86_INS_HLT: return lower_sys(d, op, SYS_HLT);
	case X86_INS_PUSHFQ: return lower_sys(d, op, SYS_PUSHFQ);
	case X86_INS_POPFQ: return lower_sys(d, op, SYS_POPFQ);
	case X86_INS_PUSHF: return lower_sys(d, op, SYS_PUSHFW);
	case X86_INS_POPF: return lower_sys(d, op, SYS_POPFW);
	case X86_INS_LAHF: return lower_sys(d, op, SYS_LAHF);
	case X86_INS_SAHF: return lower_sys(d, op, SYS_SAHF);
	case X86_INS_CLC: return lower_sys(d, op, SYS_CLC);
	case X86_INS_STC: return lower_sys(d, op, SYS_STC);
	case X86_INS_CMC: return lower_sys(d, op, SYS_CMC);
	case X86_INS_CLD: return lower_sys(d, op, SYS_CLD);
	case X86_INS_STD: return lower_sys(d, op, SYS_STD);
	case X86_INS_SYSCALL: return lower_sys(d, op, SYS_SYSCALL);
	case X86_INS_ENTER: return lower_enter(d, op);
	case X86_INS_XLATB:
		op->seg = seg_override(d);
		return lower_sys(d, op, SYS_XLAT);
	case X86_INS_CLFLUSH:
		return d->nops == 1 && d->o[0].kind == DO_MEM && lower_sys(d, op, SYS_CLFLUSH);
	case X86_INS_CLI: case X86_INS_STI: case X86_INS_IN: case X86_INS_OUT:
	case X86_INS_INSB: case X86_INS_INSW: case X86_INS_INSD:
	case X86_INS_OUTSB: case X86_INS_OUTSW: case X86_INS_OUTSD:
	case X86_INS_RDMSR: case X86_INS_WRMSR: case X86_INS_RDPMC: case X86_INS_WBINVD:
	case X86_INS_INVD: case X86_INS_INVLPG: case X86_INS_LGDT: case X86_INS_LIDT:
	case X86_INS_LLDT: case X86_INS_LTR: case X86_INS_LMSW: case X86_INS_CLTS:
	case X86_INS_SWAPGS: case X86_INS_SYSRET: case X86_INS_SYSEXIT:
		return lower_sys(d, op, SYS_PRIV);
	case X86_INS_MOV: return lower_mov_special(d, op);
	default: return false;
	}
}

bool lower_intx(const struct dinsn *d, struct op *op)
{
	switch (d->id) {
	case X86_INS_MUL: return lower_muldiv(d, op, MD_MUL);
	case X86_INS_IMUL: return lower_muldiv(d, op, MD_IMUL);
	case X86_INS_DIV: return lower_muldiv(d, op, MD_DIV);
	case X86_INS_IDIV: return lower_muldiv(d, op, MD_IDIV);
	case X86_INS_ROL: return lower_shift(d, op, SH_ROL);
	case X86_INS_ROR: return lower_shift(d, op, SH_ROR);
	case X86_INS_RCL: return lower_shift(d, op, SH_RCL);
	case X86_INS_RCR: return lower_shift(d, op, SH_RCR);
	case X86_INS_SHL: case X86_INS_SAL: return lower_shift(d, op, SH_SHL);
	case X86_INS_SHR: return lower_shift(d, op, SH_SHR);
	case X86_INS_SAR: return lower_shift(d, op, SH_SAR);
	case X86_INS_SHLD: return lower_shxd(d, op, SHD_L);
	case X86_INS_SHRD: return lower_shxd(d, op, SHD_R);
	case X86_INS_BT: return lower_bt(d, op, BT_BT);
	case X86_INS_BTS: return lower_bt(d, op, BT_BTS);
	case X86_INS_BTR: return lower_bt(d, op, BT_BTR);
	case X86_INS_BTC: return lower_bt(d, op, BT_BTC);
	case X86_INS_BSF: case X86_INS_TZCNT: return lower_bsx(d, op, BS_F);
	case X86_INS_BSR: case X86_INS_LZCNT: return lower_bsx(d, op, BS_R);
	case X86_INS_BSWAP: return lower_bswap(d, op);
	case X86_INS_MOVSB: return lower_string(d, op, STR_MOVS, SZ_8);
	case X86_INS_MOVSW: return lower_string(d, op, STR_MOVS, SZ_16);
	case X86_INS_MOVSD: return lower_string(d, op, STR_MOVS, SZ_32);
	case X86_INS_MOVSQ: return lower_string(d, op, STR_MOVS, SZ_64);
	case X86_INS_STOSB: return lower_string(d, op, STR_STOS, SZ_8);
	case X86_INS_STOSW: return lower_string(d, op, STR_STOS, SZ_16);
	case X86_INS_STOSD: return lower_string(d, op, STR_STOS, SZ_32);
	case X86_INS_STOSQ: return lower_string(d, op, STR_STOS, SZ_64);
	case X86_INS_LODSB: return lower_string(d, op, STR_LODS, SZ_8);
	case X86_INS_LODSW: return lower_string(d, op, STR_LODS, SZ_16);
	case X86_INS_LODSD: return lower_string(d, op, STR_LODS, SZ_32);
	case X86_INS_LODSQ: return lower_string(d, op, STR_LODS, SZ_64);
	case X86_INS_CMPSB: return lower_string(d, op, STR_CMPS, SZ_8);
	case X86_INS_CMPSW: return lower_string(d, op, STR_CMPS, SZ_16);
	case X86_INS_CMPSD: return lower_string(d, op, STR_CMPS, SZ_32);
	case X86_INS_CMPSQ: return lower_string(d, op, STR_CMPS, SZ_64);
	case X86_INS_SCASB: return lower_string(d, op, STR_SCAS, SZ_8);
	case X86_INS_SCASW: return lower_string(d, op, STR_SCAS, SZ_16);
	case X86_INS_SCASD: return lower_string(d, op, STR_SCAS, SZ_32);
	case X86_INS_SCASQ: return lower_string(d, op, STR_SCAS, SZ_64);
	case X86_INS_CMPXCHG: return lower_xchg_rm(d, op, intx_cmpxchg);
	case X86_INS_XADD: return lower_xchg_rm(d, op, intx_xadd);
	case X86_INS_CMPXCHG8B: return lower_cmpxchg_wide(d, op, intx_cmpxchg8b);
	case X86_INS_CMPXCHG16B: return lower_cmpxchg_wide(d, op, intx_cmpxchg16b);
	default: return lower_system(d, op);
	}
}
