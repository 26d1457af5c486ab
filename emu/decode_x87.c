/* Lowering of the x87 instructions (d8..df), fwait, and fxsave/fxrstor.
 *
 * The x87 encoding is regular, and Capstone's operand lists for it are not (one operand or
 * two for the same form, reversed mnemonics for dc/de), so the handler is chosen from the
 * opcode byte and ModRM alone: the reg field names the operation, rm the register st(i), and
 * for a memory form decode.c has already filled the address fields. The undocumented aliases
 * the CPU runs (fcom2 fcomp3 fcomp5 fxch4 fxch7 fstp1 fstp8 fstp9 ffreep) are lowered as the
 * instructions they alias. fisttp (SSE3, not reported by CPUID) is left to raise SIGILL.
 */
#include "decode_internal.h"
#include "ops_x87.h"
#include "flags.h"

#define NO_KIND 0xff

/* d8 and the memory forms of d8 da dc de: st(0) = st(0) op src. */
static const uint8_t kind_st0[8] = { XK_ADD, XK_MUL, NO_KIND, NO_KIND,
				     XK_SUB, XK_SUBR, XK_DIV, XK_DIVR };
/* dc and de register forms: st(i) = st(i) op st(0), where reg 4 is fsubr and reg 6 fdivr. */
static const uint8_t kind_sti[8] = { XK_ADD, XK_MUL, NO_KIND, NO_KIND,
				     XK_SUBR, XK_SUB, XK_DIVR, XK_DIV };

static bool set(struct op *op, op_fn fn, unsigned aux)
{
	op->fn = fn;
	op->aux = (uint8_t)aux;
	return fn != NULL;
}

/* d8 dc da de with a memory operand: arithmetic, fcom/fcomp, ficom/ficomp. */
static bool lower_arith_mem(struct op *op, unsigned opc, unsigned reg)
{
	unsigned form = opc == 0xd8 ? XM_F32 : opc == 0xdc ? XM_F64 : opc == 0xda ? XM_I32 : XM_I16;
	if (reg == 2 || reg == 3)
		return set(op, x87_fcom_m[form], reg == 3);
	return set(op, x87_arith_m[kind_st0[reg]][form], 0);
}

static bool lower_mem(const struct dinsn *d, struct op *op, unsigned opc, unsigned reg)
{
	static const op_fn d9[8] = { op_fld_m32, NULL, op_fst_m32, op_fst_m32,
				     op_fldenv, op_fldcw, op_fnstenv, op_fnstcw };
	static const op_fn db[8] = { op_fild_m32, NULL, op_fist_m32, op_fist_m32,
				     NULL, op_fld_m80, NULL, op_fstp_m80 };
	static const op_fn dd[8] = { op_fld_m64, NULL, op_fst_m64, op_fst_m64,
				     op_frstor, NULL, op_fnsave, op_fnstsw_m16 };
	static const op_fn df[8] = { op_fild_m16, NULL, op_fist_m16, op_fist_m16,
				     op_fbld, op_fild_m64, op_fbstp, op_fistp_m64 };
	/* reg 3 of d9 db dd df is the popping store; reg 4 and 6 of d9 dd the environment
	 * and state images, whose 66-prefixed forms have 16-bit offsets. */
	unsigned aux = reg == 3 ? XA_POP : (reg == 4 || reg == 6) ? d->opsize : 0;
	switch (opc) {
	case 0xd9: return set(op, d9[reg], aux);
	case 0xdb: return set(op, db[reg], aux);
	case 0xdd: return set(op, dd[reg], aux);
	case 0xdf: return set(op, df[reg], reg == 3 ? XA_POP : 0);
	default: return lower_arith_mem(op, opc, reg);
	}
}

/* d9 register forms: fld fxch fnop fstp1 (which pops an empty st(0) quietly), then one
 * instruction per byte from d9 e0. */
static bool lower_d9(struct op *op, unsigned reg, unsigned rm)
{
	static const op_fn e0[32] = {
		op_fchs, op_fabs, NULL, NULL, op_ftst, op_fxam, NULL, NULL,
		op_fldconst, op_fldconst, op_fldconst, op_fldconst,
		op_fldconst, op_fldconst, op_fldconst, NULL,
		op_f2xm1, op_fyl2x, op_fptan, op_fpatan, op_fxtract, op_fprem1, op_fdecstp, op_fincstp,
		op_fprem, op_fyl2xp1, op_fsqrt, op_fsincos, op_frndint, op_fscale, op_fsin, op_fcos,
	};
	switch (reg) {
	case 0: return set(op, op_fld_st, 0);
	case 1: return set(op, op_fxch, 0);
	case 2: return set(op, rm == 0 ? op_fnop : NULL, 0);
	case 3: return set(op, op_fst_st, XA_POP | XA_QUIET);
	default: return set(op, e0[(reg - 4) * 8 + rm], rm);
	}
}

static bool lower_reg(struct op *op, unsigned opc, unsigned reg, unsigned rm)
{
	static const uint8_t cmov_cc[2][4] = { { CC_B, CC_E, CC_BE, CC_P },
					       { CC_AE, CC_NE, CC_A, CC_NP } };
	static const op_fn db_e0[8] = { op_fnop_control, op_fnop_control, op_fnclex, op_fninit,
					op_fnop_control, NULL, NULL, NULL };
	switch (opc) {
	case 0xd8:
		if (reg == 2 || reg == 3)
			return set(op, op_fcom_st, reg == 3);
		return set(op, x87_arith_st[kind_st0[reg]], 0);
	case 0xdc:
		if (reg == 2 || reg == 3)
			return set(op, op_fcom_st, reg == 3);
		return set(op, x87_arith_st[kind_sti[reg]], XA_DST_STI);
	case 0xde:
		if (reg == 2)
			return set(op, op_fcom_st, 1);
		if (reg == 3)
			return set(op, rm == 1 ? op_fcom_st : NULL, 2);
		return set(op, x87_arith_st[kind_sti[reg]], XA_DST_STI | XA_POP);
	case 0xd9:
		return lower_d9(op, reg, rm);
	case 0xda:
		if (reg < 4)
			return set(op, op_fcmov, cmov_cc[0][reg]);
		return set(op, reg == 5 && rm == 1 ? op_fucom_st : NULL, 2);
	case 0xdb:
		if (reg < 4)
			return set(op, op_fcmov, cmov_cc[1][reg]);
		if (reg == 4)
			return set(op, db_e0[rm], 0);
		return set(op, reg == 5 ? op_fucomi : reg == 6 ? op_fcomi : NULL, 0);
	case 0xdd: {
		static const op_fn dd[8] = { op_ffree, op_fxch, op_fst_st, op_fst_st,
					     op_fucom_st, op_fucom_st, NULL, NULL };
		return set(op, dd[reg], reg == 3 ? XA_POP : reg == 5 ? 1 : 0);
	}
	default: { /* 0xdf */
		static const op_fn df[8] = { op_ffree, op_fxch, op_fst_st, op_fst_st,
					     NULL, op_fucomi, op_fcomi, NULL };
		if (reg == 4)
			return set(op, rm == 0 ? op_fnstsw_ax : NULL, 0);
		return set(op, df[reg], reg == 1 ? 0 : XA_POP);
	}
	}
}

bool lower_x87(const struct dinsn *d, struct op *op)
{
	switch (d->id) {
	case X86_INS_WAIT:
		return set(op, op_fwait, 0);
	case X86_INS_FXSAVE: case X86_INS_FXSAVE64:
	case X86_INS_FXRSTOR: case X86_INS_FXRSTOR64:
		if (d->mem < 0 || d->lock)
			return false;
		return set(op, d->id == X86_INS_FXSAVE || d->id == X86_INS_FXSAVE64 ?
			   op_fxsave : op_fxrstor, (d->x86->rex & 8) != 0);
	}
	unsigned opc = d->x86->opcode[0];
	if (opc < 0xd8 || opc > 0xdf || d->lock)
		return false;
	unsigned modrm = d->x86->modrm, reg = modrm >> 3 & 7, rm = modrm & 7;
	op->imm = (int64_t)((opc & 7) << 8 | modrm);
	if (modrm >> 6 != 3)
		return d->mem >= 0 && lower_mem(d, op, opc, reg);
	op->rd = (uint8_t)rm;
	return lower_reg(op, opc, reg, rm);
}
