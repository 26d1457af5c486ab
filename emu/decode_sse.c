/* Lowering of SSE, SSE2 and MMX instructions (the 0f opcode map with the mandatory prefixes none,
 * 66, f3 and f2) to ops.
 *
 * Capstone 4's ids do not name forms: cmpps with predicate 0..7 becomes cmpeqps ... with the
 * imm8 dropped, movsd and cmpsd share ids with the string instructions, and one movq id covers
 * gpr<->xmm, xmm<-xmm/m64 and m64<-xmm. So the form is read from the instruction bytes: prefixes,
 * REX, opcode, ModRM and imm8. Capstone's memory operand, already in op's base/index/scale/seg/
 * disp, is used as it is.
 */
#include "decode_internal.h"
#include "ops_sse.h"

/* What a ModRM field names. */
enum { C_NONE, C_X /* xmm */, C_G /* general register */, C_M /* mmx */ };
enum {
	F_STORE = 1, /* the r/m operand is the destination */
	F_IMM = 2,   /* an imm8 follows */
};

struct sse_form {
	op_fn rr, rm;     /* r/m operand a register / memory; NULL: that form is invalid */
	op_fn rr_w, rm_w; /* the same with REX.W, when it changes the general operand's width */
	uint8_t regc, rmc, flags;
};

#define FORM_BIN(name, pfx, opc, ...) \
	[pfx][opc] = { op_##name##_rr, op_##name##_rm, NULL, NULL, C_X, C_X, 0 },
#define FORM_MMX(name, opc, ...) \
	[PN][opc] = { op_##name##_mmx_rr, op_##name##_mmx_rm, NULL, NULL, C_M, C_M, 0 },
#define XX(rr, rm, fl) { rr, rm, NULL, NULL, C_X, C_X, fl }
#define MM(rr, rm, fl) { rr, rm, NULL, NULL, C_M, C_M, fl }
#define GPR_FORMS(name, a, b, c, d) op_##name##_##a, op_##name##_##b, op_##name##_##c, op_##name##_##d

static const struct sse_form sse_forms[4][256] = {
	SSE_LIST_INT(FORM_BIN)
	SSE_LIST_FLOAT(FORM_BIN)
	SSE_LIST_CVT(FORM_BIN)
	SSE_LIST_MOVE(FORM_BIN)

	MMX_LIST(FORM_MMX)
	[PN][0x6f] = MM(op_movq_mmx_rr, op_movq_mmx_rm, 0),
	[PN][0x7f] = MM(op_movq_mmx_rr, op_movq_mmx_mr, F_STORE),
	[PN][0xe7] = MM(NULL, op_movq_mmx_mr, F_STORE),
	[PN][0x70] = MM(op_pshufw_mmx_rr, op_pshufw_mmx_rm, F_IMM),
	[PN][0x6e] = { GPR_FORMS(movd_mmx, mr32, mm32, mr64, mm64), C_M, C_G, 0 },
	[PN][0x7e] = { GPR_FORMS(movd_mmx, r32m, m32m, r64m, m64m), C_M, C_G, F_STORE },
	[PN][0xc4] = { op_pinsrw_mmx_rr, op_pinsrw_mmx_rm, NULL, NULL, C_M, C_G, F_IMM },
	[PN][0xc5] = { op_pextrw_mmx_rr, NULL, NULL, NULL, C_G, C_M, F_IMM },
	[PN][0xd7] = { op_pmovmskb_mmx_rr, NULL, NULL, NULL, C_G, C_M, 0 },
	[PF2][0xd6] = { op_movdq2q_rr, NULL, NULL, NULL, C_M, C_X, 0 },
	[PF3][0xd6] = { op_movq2dq_rr, NULL, NULL, NULL, C_X, C_M, 0 },
	[PN][0x2a] = { op_cvtpi2ps_rr, op_cvtpi2ps_rm, NULL, NULL, C_X, C_M, 0 },
	[P66][0x2a] = { op_cvtpi2pd_rr, op_cvtpi2pd_rm, NULL, NULL, C_X, C_M, 0 },
	[PN][0x2c] = { op_cvttps2pi_rr, op_cvttps2pi_rm, NULL, NULL, C_M, C_X, 0 },
	[P66][0x2c] = { op_cvttpd2pi_rr, op_cvttpd2pi_rm, NULL, NULL, C_M, C_X, 0 },
	[PN][0x2d] = { op_cvtps2pi_rr, op_cvtps2pi_rm, NULL, NULL, C_M, C_X, 0 },
	[P66][0x2d] = { op_cvtpd2pi_rr, op_cvtpd2pi_rm, NULL, NULL, C_M, C_X, 0 },

	[PF3][0x10] = XX(op_movss_rr, op_movss_rm, 0),
	[PF2][0x10] = XX(op_movsd_rr, op_movsd_rm, 0),
	[PN][0x11] = XX(op_movups_rr, op_movups_mr, F_STORE),
	[P66][0x11] = XX(op_movups_rr, op_movups_mr, F_STORE),
	[PF3][0x11] = XX(op_movss_rr, op_movss_mr, F_STORE),
	[PF2][0x11] = XX(op_movsd_rr, op_movsd_mr, F_STORE),
	[PN][0x12] = XX(op_movhlps_rr, op_movlps_rm, 0),
	[P66][0x12] = XX(NULL, op_movlps_rm, 0),
	[PN][0x13] = XX(NULL, op_movlps_mr, F_STORE),
	[P66][0x13] = XX(NULL, op_movlps_mr, F_STORE),
	[PN][0x16] = XX(op_movlhps_rr, op_movhps_rm, 0),
	[P66][0x16] = XX(NULL, op_movhps_rm, 0),
	[PN][0x17] = XX(NULL, op_movhps_mr, F_STORE),
	[P66][0x17] = XX(NULL, op_movhps_mr, F_STORE),
	[PN][0x29] = XX(op_movaps_rr, op_movaps_mr, F_STORE),
	[P66][0x29] = XX(op_movaps_rr, op_movaps_mr, F_STORE),
	[PN][0x2b] = XX(NULL, op_movaps_mr, F_STORE),
	[P66][0x2b] = XX(NULL, op_movaps_mr, F_STORE),
	[P66][0x7f] = XX(op_movaps_rr, op_movaps_mr, F_STORE),
	[PF3][0x7f] = XX(op_movups_rr, op_movups_mr, F_STORE),
	[P66][0xd6] = XX(op_movq_rr, op_movq_mr, F_STORE),
	[P66][0xe7] = XX(NULL, op_movaps_mr, F_STORE),
	[P66][0xf7] = XX(op_maskmovdqu_rr, NULL, 0),

	[P66][0x6e] = { GPR_FORMS(movd, xr32, xm32, xr64, xm64), C_X, C_G, 0 },
	[P66][0x7e] = { GPR_FORMS(movd, r32x, m32x, r64x, m64x), C_X, C_G, F_STORE },
	[PN][0x50] = { op_movmskps_rr, NULL, NULL, NULL, C_G, C_X, 0 },
	[P66][0x50] = { op_movmskpd_rr, NULL, NULL, NULL, C_G, C_X, 0 },
	[P66][0xd7] = { op_pmovmskb_rr, NULL, NULL, NULL, C_G, C_X, 0 },
	[PN][0xc3] = { NULL, op_movnti_m32, NULL, op_movnti_m64, C_G, C_G, F_STORE },

	[PF3][0x2a] = { GPR_FORMS(cvtsi2ss, xr32, xm32, xr64, xm64), C_X, C_G, 0 },
	[PF2][0x2a] = { GPR_FORMS(cvtsi2sd, xr32, xm32, xr64, xm64), C_X, C_G, 0 },
	[PF3][0x2c] = { GPR_FORMS(cvttss2si, r32x, r32m, r64x, r64m), C_G, C_X, 0 },
	[PF2][0x2c] = { GPR_FORMS(cvttsd2si, r32x, r32m, r64x, r64m), C_G, C_X, 0 },
	[PF3][0x2d] = { GPR_FORMS(cvtss2si, r32x, r32m, r64x, r64m), C_G, C_X, 0 },
	[PF2][0x2d] = { GPR_FORMS(cvtsd2si, r32x, r32m, r64x, r64m), C_G, C_X, 0 },

	[PN][0x2e] = XX(op_ucomiss_rr, op_ucomiss_rm, 0),
	[P66][0x2e] = XX(op_ucomisd_rr, op_ucomisd_rm, 0),
	[PN][0x2f] = XX(op_comiss_rr, op_comiss_rm, 0),
	[P66][0x2f] = XX(op_comisd_rr, op_comisd_rm, 0),

	[P66][0x70] = XX(op_pshufd_rr, op_pshufd_rm, F_IMM),
	[PF2][0x70] = XX(op_pshuflw_rr, op_pshuflw_rm, F_IMM),
	[PF3][0x70] = XX(op_pshufhw_rr, op_pshufhw_rm, F_IMM),
	[P66][0xc4] = { op_pinsrw_rr, op_pinsrw_rm, NULL, NULL, C_X, C_G, F_IMM },
	[P66][0xc5] = { op_pextrw_rr, NULL, NULL, NULL, C_G, C_X, F_IMM },
	[PN][0xc6] = XX(op_shufps_rr, op_shufps_rm, F_IMM),
	[P66][0xc6] = XX(op_shufpd_rr, op_shufpd_rm, F_IMM),
};

/* The bytes of one instruction, as far as the lowering needs them. */
struct sse_enc {
	unsigned pfx;       /* PN, P66, PF3, PF2 */
	unsigned opc;       /* the byte after 0f */
	unsigned mod, reg, rm; /* ModRM; reg and rm extended by REX.R and REX.B */
	unsigned reg3;      /* ModRM.reg without REX (the /digit of a group) */
	unsigned seg;       /* SEG_NONE, SEG_FS, SEG_GS from an override */
	bool w, addr32, has_modrm;
	uint8_t imm8;       /* the last byte of the instruction */
};

static bool sse_parse(const struct dinsn *d, struct sse_enc *e)
{
	const uint8_t *p = d->insn->bytes, *end = p + d->len;
	bool p66 = false;
	unsigned rep = 0, rex = 0;

	memset(e, 0, sizeof *e);
	for (; p < end; p++) {
		switch (*p) {
		case 0x66: p66 = true; continue;
		case 0xf2: case 0xf3: rep = *p; continue;
		case 0x67: e->addr32 = true; continue;
		case 0x64: e->seg = SEG_FS; continue;
		case 0x65: e->seg = SEG_GS; continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e: continue;
		case 0xf0: return false; /* lock: #UD */
		}
		break;
	}
	if (p < end && (*p & 0xf0) == 0x40)
		rex = *p++;
	if (end - p < 2 || p[0] != 0x0f)
		return false;
	e->opc = p[1];
	p += 2;
	e->pfx = rep == 0xf3 ? PF3 : rep == 0xf2 ? PF2 : p66 ? P66 : PN;
	e->w = rex & 8;
	e->imm8 = end[-1];
	if (e->opc == 0x77 || e->opc == 0x38 || e->opc == 0x3a)
		return true; /* emms has no ModRM; 0f 38 / 0f 3a are not ours */
	if (p >= end)
		return false;
	e->has_modrm = true;
	e->mod = *p >> 6;
	e->reg3 = (*p >> 3) & 7;
	e->reg = e->reg3 | ((rex & 4) << 1);
	e->rm = (*p & 7) | ((rex & 1) << 3);
	return true;
}

static unsigned sse_regnum(unsigned cls, unsigned n)
{
	switch (cls) {
	case C_G: return n * 8;
	case C_M: return n & 7;
	default: return n;
	}
}

/* 66 0f 71/72/73 ib: shifts of the r/m register by an immediate. */
static bool lower_shift_imm(const struct sse_enc *e, struct op *op)
{
	static const op_fn group[2][3][8] = {
		[0][0] = { [2] = op_psrlw_mmx_ri, [4] = op_psraw_mmx_ri, [6] = op_psllw_mmx_ri },
		[0][1] = { [2] = op_psrld_mmx_ri, [4] = op_psrad_mmx_ri, [6] = op_pslld_mmx_ri },
		[0][2] = { [2] = op_psrlq_mmx_ri, [6] = op_psllq_mmx_ri },
		[1][0] = { [2] = op_psrlw_ri, [4] = op_psraw_ri, [6] = op_psllw_ri },
		[1][1] = { [2] = op_psrld_ri, [4] = op_psrad_ri, [6] = op_pslld_ri },
		[1][2] = { [2] = op_psrlq_ri, [6] = op_psllq_ri },
	};
	if (e->mod != 3 || (e->pfx != P66 && e->pfx != PN))
		return false;
	bool xmm = e->pfx == P66;
	op->rd = (uint8_t)(xmm ? e->rm : e->rm & 7);
	op->imm = e->imm8;
	unsigned n = e->imm8 > 16 ? 16 : e->imm8;
	if (!xmm)
		op->fn = group[0][e->opc - 0x71][e->reg3];
	else if (e->opc == 0x73 && e->reg3 == 3)
		op->fn = sse_psrldq_fns[n];
	else if (e->opc == 0x73 && e->reg3 == 7)
		op->fn = sse_pslldq_fns[n];
	else
		op->fn = group[1][e->opc - 0x71][e->reg3];
	return op->fn != NULL;
}

/* The ops that are not one table entry: groups, predicates, implicit operands. */
static bool lower_special(const struct dinsn *d, const struct sse_enc *e, struct op *op,
			  bool *handled)
{
	bool mem = e->mod != 3;
	*handled = true;
	switch (e->opc) {
	case 0x71: case 0x72: case 0x73:
		return lower_shift_imm(e, op);
	case 0xc2: /* cmpps/cmppd/cmpss/cmpsd: predicate imm8[2:0] */
		op->rd = (uint8_t)e->reg;
		op->rs = mem ? 0 : (uint8_t)e->rm;
		op->imm = e->imm8;
		op->fn = sse_cmp_fns[e->pfx][e->imm8 & 7][mem];
		return true;
	case 0xae: /* ldmxcsr /2, stmxcsr /3; the rest of the group is not ours */
		if (!mem || e->pfx != PN || (e->reg3 != 2 && e->reg3 != 3)) {
			*handled = false;
			return false;
		}
		op->fn = e->reg3 == 2 ? op_ldmxcsr_m : op_stmxcsr_m;
		return true;
	case 0x18: /* prefetch hints */
		if (!mem) {
			*handled = false;
			return false;
		}
		op->fn = op_prefetch_m;
		return true;
	case 0xf7: /* maskmovdqu / maskmovq: implicit seg:[rdi] */
		if ((e->pfx != P66 && e->pfx != PN) || mem)
			return false;
		op->rd = (uint8_t)(e->pfx == P66 ? e->reg : e->reg & 7);
		op->rs = (uint8_t)(e->pfx == P66 ? e->rm : e->rm & 7);
		op->seg = (uint8_t)e->seg;
		op->aux = e->addr32;
		op->fn = e->pfx == P66 ? op_maskmovdqu_rr : op_maskmovq_mmx_rr;
		return true;
	}
	*handled = false;
	return false;
}

bool lower_sse(const struct dinsn *d, struct op *op)
{
	struct sse_enc e;
	if (d->lock || !sse_parse(d, &e))
		return false;
	if (e.opc == 0x77 && e.pfx == PN) {
		op->fn = op_emms;
		return true;
	}
	if (!e.has_modrm)
		return false;
	bool mem = e.mod != 3;
	if (mem && d->mem < 0)
		return false; /* Capstone saw no memory operand: not an encoding we know */

	bool handled;
	bool ok = lower_special(d, &e, op, &handled);
	if (handled)
		return ok;

	const struct sse_form *f = &sse_forms[e.pfx][e.opc];
	op_fn fn = mem ? (e.w && f->rm_w ? f->rm_w : f->rm) : (e.w && f->rr_w ? f->rr_w : f->rr);
	if (!fn)
		return false;
	unsigned regv = sse_regnum(f->regc, e.reg);
	unsigned rmv = mem ? 0 : sse_regnum(f->rmc, e.rm);
	if (f->flags & F_STORE) {
		op->rd = (uint8_t)rmv;
		op->rs = (uint8_t)regv;
	} else {
		op->rd = (uint8_t)regv;
		op->rs = (uint8_t)rmv;
	}
	if (f->flags & F_IMM)
		op->imm = e.imm8;
	op->fn = fn;
	return true;
}
