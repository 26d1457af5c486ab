/* Integer core instructions against the CPU: the ALU group, test, inc/dec/neg/not, shifts and
 * rotates (through carry too), shld/shrd, mul/imul and div/idiv at every width and form. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "insn_diff.h"

#define ARITH FL_ARITH
#define LOGIC (FL_ARITH & ~FL_AF)

static const int sizes[4] = { 1, 2, 4, 8 };

/* Immediates worth trying for a width: edges and randoms. */
static int64_t imm_pick(int immbits, unsigned i)
{
	static const int64_t fixed[] = { 0, 1, -1, 0x7f, -0x80 };
	if (i < 5)
		return fixed[i];
	int64_t v = (int64_t)dval((unsigned)immbits);
	return immbits == 8 ? (int8_t)v : immbits == 16 ? (int16_t)v : (int32_t)v;
}

/* ---- add or adc sbb and sub xor cmp ---- */

static const char *const alu_names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };

static void gen_alu_imm(int op, int size);

/* Register and memory forms: r/m, r (00/01 +8*op), r, r/m (02/03), lock, hi bytes. */
static void gen_alu_size(int op, int size)
{
	char name[56];
	const char *mn = alu_names[op];
	uint32_t fl = (op == 1 || op == 4 || op == 6) ? LOGIC : ARITH;
	int bits = size * 8;
	char o_rm_r[2] = { (char)((size == 1 ? 0x00 : 0x01) + op * 8), 0 };
	char o_r_rm[2] = { (char)(o_rm_r[0] + 2), 0 };
	struct dform *f;
	uint32_t used;

	for (int v = 0; v < (size == 1 ? 3 : 2); v++) {
		used = 0;
		bool hi = v == 2;
		int d = dpick(&used, size, hi, hi), s = dpick(&used, size, hi && (op & 1), hi);
		snprintf(name, sizeof name, "%s r%d, r%d (%02x)%s", mn, bits, bits,
			 (uint8_t)(v == 1 ? o_r_rm[0] : o_rm_r[0]), hi ? " hi" : "");
		if (v == 1)
			f = dform_rr(name, size, o_r_rm, 0, s, d);
		else
			f = dform_rr(name, size, o_rm_r, 0, d, s);
		f->flags_def = fl;
		f->ncases = 1200;
	}
	used = 0;
	int d = dpick(&used, size, false, false);
	snprintf(name, sizeof name, "%s r%d, same r%d", mn, bits, bits);
	f = dform_rr(name, size, o_r_rm, 0, d, d);
	f->flags_def = fl;
	for (unsigned mode = 0; mode < 5; mode += 2) {
		used = 0;
		int r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "%s r%d, m%d", mn, bits, bits);
		f = dform_m(name, size, "", o_r_rm, 0, r, mode, used, 0, 0);
		f->flags_def = fl;
		used = 0;
		r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "%s m%d, r%d", mn, bits, bits);
		f = dform_m(name, size, "", o_rm_r, 0, r, mode + 1, used, 0, 0);
		f->flags_def = fl;
	}
	if (op != 7) {
		used = 0;
		int r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "lock %s m%d, r%d", mn, bits, bits);
		f = dform_m(name, size, "\xf0", o_rm_r, 0, r, 0, used, 0, 0);
		f->flags_def = fl;
	}
	gen_alu_imm(op, size);
}

/* The immediate forms: r/m, imm (80/81), r/m, imm8 (83), accumulator, imm (04/05). */
static void gen_alu_imm(int op, int size)
{
	char name[56];
	const char *mn = alu_names[op];
	uint32_t fl = (op == 1 || op == 4 || op == 6) ? LOGIC : ARITH;
	int bits = size * 8, immbits = size == 1 ? 8 : size == 2 ? 16 : 32;
	char o_imm[2] = { (char)(size == 1 ? 0x80 : 0x81), 0 };
	struct dform *f;
	uint32_t used;
	int d;

	for (unsigned i = 0; i < 6; i++) {
		int64_t imm = imm_pick(immbits, i);
		used = 0;
		d = dpick(&used, size, size == 1 && i == 2, false);
		snprintf(name, sizeof name, "%s r%d, imm%d", mn, bits, immbits);
		f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "%s, %#llx", dreg_name(d, size), (unsigned long long)imm);
		struct enc e = denc_rm(size, o_imm, DIGIT(op), dea_reg(d));
		e.immsize = immbits / 8, e.imm = imm;
		enc_emit(f, &e);
		dform_in(f, DI_GPR, d, size, 0);
		f->flags_def = fl;
		f->ncases = 250;
		if (i < 3) {
			snprintf(name, sizeof name, "%s%s m%d, imm%d", i == 2 && op != 7 ? "lock " : "",
				 mn, bits, immbits);
			f = dform_m(name, size, i == 2 && op != 7 ? "\xf0" : "", o_imm, op, -1, i + 1, 0,
				   immbits / 8, imm);
			f->flags_def = fl;
			f->ncases = 250;
		}
		if (size > 1 && i < 4) {
			int64_t imm8 = imm_pick(8, i + 1);
			used = 0;
			d = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s r%d, imm8", mn, bits);
			f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "%s, %lld", dreg_name(d, size), (long long)imm8);
			e = denc_rm(size, "\x83", DIGIT(op), dea_reg(d));
			e.immsize = 1, e.imm = imm8;
			enc_emit(f, &e);
			dform_in(f, DI_GPR, d, size, 0);
			f->flags_def = fl;
			f->ncases = 250;
		}
		if (i < 2) {
			char acc[2] = { (char)(op * 8 + (size == 1 ? 4 : 5)), 0 };
			snprintf(name, sizeof name, "%s %s, imm%d", mn, dreg_name(0, size), immbits);
			f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "%#llx", (unsigned long long)imm);
			e = (struct enc){ .pfx = dsz_pfx(size), .w = size == 8, .op = acc, .oplen = 1,
					  .nomodrm = true, .immsize = immbits / 8, .imm = imm };
			enc_emit(f, &e);
			dform_in(f, DI_GPR, R_RAX, size, 0);
			f->flags_def = fl;
			f->ncases = 250;
		}
	}
}

static void test_alu(void)
{
	for (int op = 0; op < 8; op++)
		for (int i = 0; i < 4; i++)
			gen_alu_size(op, sizes[i]);
	dform_run_all("alu");
}

/* ---- test, inc, dec, neg, not ---- */

static void test_unary(void)
{
	char name[56];
	uint32_t used;
	struct dform *f;
	for (int i = 0; i < 4; i++) {
		int size = sizes[i], bits = size * 8, immbits = size == 1 ? 8 : size == 2 ? 16 : 32;
		const char *o_test = size == 1 ? "\x84" : "\x85", *o_grp3 = size == 1 ? "\xf6" : "\xf7";
		const char *o_grp45 = size == 1 ? "\xfe" : "\xff";
		for (int hi = 0; hi < (size == 1 ? 2 : 1); hi++) {
			used = 0;
			int d = dpick(&used, size, hi, hi), s = dpick(&used, size, false, hi);
			snprintf(name, sizeof name, "test r%d, r%d%s", bits, bits, hi ? " hi" : "");
			f = dform_rr(name, size, o_test, 0, d, s);
			f->flags_def = LOGIC;
			f->ncases = 1000;
		}
		used = 0;
		int r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "test m%d, r%d", bits, bits);
		dform_m(name, size, "", o_test, 0, r, 1, used, 0, 0)->flags_def = LOGIC;
		for (unsigned k = 0; k < 3; k++) {
			int64_t imm = imm_pick(immbits, k == 2 ? 6 : k + 2);
			used = 0;
			int d = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "test r%d, imm%d", bits, immbits);
			f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "%s, %#llx", dreg_name(d, size), (unsigned long long)imm);
			struct enc e = denc_rm(size, o_grp3, DIGIT(0), dea_reg(d));
			e.immsize = immbits / 8, e.imm = imm;
			enc_emit(f, &e);
			dform_in(f, DI_GPR, d, size, 0);
			f->flags_def = LOGIC;
			f->ncases = 250;
			snprintf(name, sizeof name, "test %s, imm%d", dreg_name(0, size), immbits);
			f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "%#llx", (unsigned long long)imm);
			e = (struct enc){ .pfx = dsz_pfx(size), .w = size == 8, .op = size == 1 ? "\xa8" : "\xa9",
					  .oplen = 1, .nomodrm = true, .immsize = immbits / 8, .imm = imm };
			enc_emit(f, &e);
			dform_in(f, DI_GPR, R_RAX, size, 0);
			f->flags_def = LOGIC;
			f->ncases = 250;
		}
		snprintf(name, sizeof name, "test m%d, imm%d", bits, immbits);
		dform_m(name, size, "", o_grp3, 0, -1, 2, 0, immbits / 8, imm_pick(immbits, 7))->flags_def = LOGIC;

		static const struct { const char *mn; int digit; bool grp45; uint32_t fl; } un[] = {
			{ "inc", 0, true, ARITH }, { "dec", 1, true, ARITH },
			{ "neg", 3, false, ARITH }, { "not", 2, false, 0 },
		};
		for (unsigned k = 0; k < 4; k++) {
			const char *op = un[k].grp45 ? o_grp45 : o_grp3;
			for (int hi = 0; hi < (size == 1 ? 2 : 1); hi++) {
				used = 0;
				int d = dpick(&used, size, hi, hi);
				snprintf(name, sizeof name, "%s r%d%s", un[k].mn, bits, hi ? " hi" : "");
				f = dform_rr(name, size, op, un[k].digit, d, -1);
				f->flags_def = un[k].fl;
				f->ncases = 400;
			}
			snprintf(name, sizeof name, "%s m%d", un[k].mn, bits);
			dform_m(name, size, "", op, un[k].digit, -1, k, 0, 0, 0)->flags_def = un[k].fl;
			snprintf(name, sizeof name, "lock %s m%d", un[k].mn, bits);
			dform_m(name, size, "\xf0", op, un[k].digit, -1, k + 1, 0, 0, 0)->flags_def = un[k].fl;
		}
	}
	dform_run_all("unary");
}

/* ---- shifts and rotates ---- */

static const char *const grp2_names[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };

/* Flags the manual defines after a shift or rotate of `bits` by `count`: none change when the
 * masked count is 0; OF only for a count of 1; AF never for shifts; CF not for shl/shr by at
 * least the width. */
static uint32_t shift_flags(int op, int bits, unsigned count)
{
	unsigned mc = count & (bits == 64 ? 63 : 31);
	if (mc == 0)
		return ARITH;
	uint32_t fl = ARITH;
	if (mc != 1)
		fl &= ~FL_OF;
	if (op >= 4) {
		fl &= ~FL_AF;
		if ((op == 4 || op == 5) && mc >= (unsigned)bits)
			fl &= ~FL_CF;
	}
	return fl;
}

static unsigned count_pick(int bits, unsigned n)
{
	const unsigned list[] = { 0, 1, 2, 3, (unsigned)bits - 1, (unsigned)bits, (unsigned)bits + 1,
		7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255 };
	const unsigned nl = sizeof list / sizeof list[0];
	if (n < nl * 4)
		return list[n % nl];
	return (drand() & 1) ? (unsigned)(drand() % (unsigned)(2 * bits + 2)) : (unsigned)(drand() & 255);
}

/* arg = op | bits << 8; arg2 = imm count, or -1 for cl. */
static int fix_shift(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		     unsigned n)
{
	int op = (int)(f->arg & 7), bits = (int)(f->arg >> 8);
	unsigned count = (unsigned)f->arg2;
	if (f->arg2 < 0) {
		count = count_pick(bits, n);
		s->r[R_RCX] = (s->r[R_RCX] & ~0xffull) | count;
	}
	m->flags = shift_flags(op, bits, count) | FL_DF;
	(void)mem;
	return DF_RUN;
}

static void gen_shift_size(int op, int size)
{
	char name[56];
	int bits = size * 8;
	const char *o1 = size == 1 ? "\xd0" : "\xd1", *ocl = size == 1 ? "\xd2" : "\xd3";
	const char *oimm = size == 1 ? "\xc0" : "\xc1";
	const char *mn = grp2_names[op];
	uint32_t used;
	struct dform *f;
	for (int hi = 0; hi < (size == 1 ? 2 : 1); hi++) {
		used = 1u << R_RCX;
		int d = dpick(&used, size, hi, hi);
		snprintf(name, sizeof name, "%s r%d, 1%s", mn, bits, hi ? " hi" : "");
		f = dform_rr(name, size, o1, op, d, -1);
		f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = 1;
		f->ncases = 400;
		used = 1u << R_RCX;
		d = dpick(&used, size, hi, hi);
		snprintf(name, sizeof name, "%s r%d, cl%s", mn, bits, hi ? " hi" : "");
		f = dform_rr(name, size, ocl, op, d, -1);
		f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = -1;
		f->show = 1u << R_RCX;
		f->ncases = 1200;
	}
	snprintf(name, sizeof name, "%s m%d, cl", mn, bits);
	f = dform_m(name, size, "", ocl, op, -1, (unsigned)op, 1u << R_RCX, 0, 0);
	f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = -1;
	f->ncases = 800;
	snprintf(name, sizeof name, "%s m%d, 1", mn, bits);
	f = dform_m(name, size, "", o1, op, -1, (unsigned)op + 1, 1u << R_RCX, 0, 0);
	f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = 1;
	f->ncases = 200;
	const unsigned imms[] = { 0, 1, 2, (unsigned)bits - 1, (unsigned)bits, (unsigned)bits + 1,
				  bits == 64 ? 63u : 31u, bits == 64 ? 64u : 32u, 200 };
	for (unsigned i = 0; i < sizeof imms / sizeof imms[0]; i++) {
		used = 0;
		int d = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "%s r%d, imm8", mn, bits);
		f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "%s, %u", dreg_name(d, size), imms[i]);
		struct enc e = denc_rm(size, oimm, DIGIT(op), dea_reg(d));
		e.immsize = 1, e.imm = imms[i];
		enc_emit(f, &e);
		dform_in(f, DI_GPR, d, size, 0);
		f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = imms[i];
		f->ncases = 200;
	}
	snprintf(name, sizeof name, "%s m%d, imm8", mn, bits);
	f = dform_m(name, size, "", oimm, op, -1, 2, 0, 1, bits - 3);
	f->fix = fix_shift, f->arg = op | bits << 8, f->arg2 = bits - 3;
	f->ncases = 200;
}

static void test_shift(void)
{
	for (int op = 0; op < 8; op++)
		if (op != 6) /* sal is shl's encoding /4; /6 is not documented */
			for (int i = 0; i < 4; i++)
				gen_shift_size(op, sizes[i]);
	dform_run_all("shift");
}

/* shld/shrd: arg = bits; arg2 = imm count or -1 for cl. A count above the width (16-bit
 * operands) leaves the result and the flags undefined. */
static int fix_shxd(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		    unsigned n)
{
	int bits = (int)f->arg;
	unsigned count = (unsigned)f->arg2;
	if (f->arg2 < 0) {
		count = count_pick(bits, n);
		s->r[R_RCX] = (s->r[R_RCX] & ~0xffull) | count;
	}
	unsigned mc = count & (bits == 64 ? 63 : 31);
	m->flags = FL_DF | (mc == 0 ? ARITH : mc == 1 ? ARITH & ~FL_AF : ARITH & ~FL_AF & ~FL_OF);
	if (mc > (unsigned)bits) {
		m->flags = FL_DF;
		if (f->in[0].kind == DI_GPR)
			m->gpr[f->in[0].reg] = ~0xffffull;
		else
			m->mem = false;
	}
	(void)mem;
	return DF_RUN;
}

static void test_shxd(void)
{
	static const char *const ops[4] = { "\x0f\xa4", "\x0f\xa5", "\x0f\xac", "\x0f\xad" };
	char name[56];
	struct dform *f;
	for (int k = 0; k < 4; k++) {
		bool cl = k & 1;
		const char *mn = k < 2 ? "shld" : "shrd";
		for (int i = 1; i < 4; i++) {
			int size = sizes[i], bits = size * 8;
			unsigned nimm = cl ? 1 : 6;
			const unsigned imms[6] = { 0, 1, (unsigned)bits - 1, (unsigned)bits, (unsigned)bits + 3, 5 };
			for (unsigned j = 0; j < nimm; j++) {
				uint32_t used = 1u << R_RCX;
				int d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "%s r%d, r%d, %s", mn, bits, bits, cl ? "cl" : "imm8");
				f = dform_rr(name, size, ops[k], 0, d, s);
				if (!cl) {
					f->len = 0;
					struct enc e = denc_rm(size, ops[k], s, dea_reg(d));
					e.immsize = 1, e.imm = imms[j];
					enc_emit(f, &e);
					snprintf(f->var + strlen(f->var), sizeof f->var - strlen(f->var), ", %u", imms[j]);
				}
				f->fix = fix_shxd, f->arg = bits, f->arg2 = cl ? -1 : (int)imms[j];
				f->ncases = cl ? 1500 : 300;
			}
			uint32_t used = 1u << R_RCX;
			int s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s m%d, r%d, %s", mn, bits, bits, cl ? "cl" : "imm8");
			f = dform_m(name, size, "", ops[k], 0, s, (unsigned)(k + i), used, cl ? 0 : 1, bits / 2 + 1);
			f->fix = fix_shxd, f->arg = bits, f->arg2 = cl ? -1 : bits / 2 + 1;
			f->ncases = 600;
		}
	}
	dform_run_all("shld/shrd");
}

/* ---- mul, imul, div, idiv ---- */

/* arg = signed; arg2 = bits. in[0] is the divisor. rdx:rax (ah:al for bytes) the dividend. */
static int fix_div(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		   unsigned n)
{
	int bits = (int)f->arg2;
	bool sgn = f->arg;
	uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t d = din_get(f, s, mem, 0);
	uint64_t lo = bits == 8 ? s->r[R_RAX] & 0xff : s->r[R_RAX] & mask;
	uint64_t hi = bits == 8 ? s->r[R_RAX] >> 8 & 0xff : s->r[R_RDX] & mask;
	/* Most cases get a dividend that does not overflow, so the results are exercised. */
	if ((n & 3) != 0 && d != 0) {
		if (!sgn)
			hi = (n & 4) ? 0 : drand() % d;
		else
			hi = ((lo >> (bits - 1)) & 1) ? mask : 0;
	}
	if (bits == 8)
		s->r[R_RAX] = (s->r[R_RAX] & ~0xffffull) | hi << 8 | lo;
	else
		s->r[R_RDX] = (s->r[R_RDX] & ~mask) | hi;
	m->flags = FL_DF;
	if (d == 0)
		return DF_FPE;
	unsigned __int128 dividend = (unsigned __int128)hi << bits | lo;
	if (!sgn)
		return dividend / d > mask ? DF_FPE : DF_RUN;
	/* Signed: sign-extend the 2*bits dividend and the divisor. */
	int64_t sdv = (int64_t)(d << (64 - bits)) >> (64 - bits);
	if (bits == 64 && sdv == -1 && dividend == (unsigned __int128)1 << 127)
		return DF_FPE; /* the most negative dividend: its quotient overflows even here */
	int sh = 128 - 2 * bits;
	__int128 sd = (__int128)(dividend << sh) >> sh;
	__int128 q = sd / sdv;
	__int128 lim = (__int128)1 << (bits - 1);
	return (q >= lim || q < -lim) ? DF_FPE : DF_RUN;
}

static void test_muldiv(void)
{
	static const struct { const char *mn; int digit; } g3[] = {
		{ "mul", 4 }, { "imul", 5 }, { "div", 6 }, { "idiv", 7 },
	};
	char name[56];
	struct dform *f;
	for (int i = 0; i < 4; i++) {
		int size = sizes[i], bits = size * 8;
		const char *op = size == 1 ? "\xf6" : "\xf7";
		for (int k = 0; k < 4; k++) {
			bool div = k >= 2;
			for (int v = 0; v < 3; v++) {
				uint32_t used = 1u << R_RAX | 1u << R_RDX;
				if (v == 1 && size != 1)
					continue;
				if (v < 2) {
					int r = dpick(&used, size, v == 1, v == 1);
					snprintf(name, sizeof name, "%s r%d%s", g3[k].mn, bits, r >= 16 ? " hi" : "");
					f = dform_rr(name, size, op, g3[k].digit, r, -1);
				} else {
					snprintf(name, sizeof name, "%s m%d", g3[k].mn, bits);
					f = dform_m(name, size, "", op, g3[k].digit, -1, (unsigned)(k + i), used, 0, 0);
				}
				if (!div)
					dform_in(f, DI_GPR, R_RAX, size, 0);
				f->flags_def = div ? 0 : FL_CF | FL_OF;
				f->ncases = v == 2 ? 800 : 1500;
				if (div) {
					f->fix = fix_div, f->arg = k == 3, f->arg2 = bits;
					f->show = 1u << R_RAX | 1u << R_RDX;
				}
			}
		}
		if (size == 1)
			continue;
		uint32_t used = 0;
		int d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "imul r%d, r%d", bits, bits);
		f = dform_rr(name, size, "\x0f\xaf", 0, s, d);
		f->flags_def = FL_CF | FL_OF;
		f->ncases = 1500;
		snprintf(name, sizeof name, "imul r%d, m%d", bits, bits);
		used = 0;
		d = dpick(&used, size, false, false);
		f = dform_m(name, size, "", "\x0f\xaf", 0, d, 2, used, 0, 0);
		f->flags_def = FL_CF | FL_OF;
		for (unsigned j = 0; j < 8; j++) {
			bool imm8 = j < 4;
			int immbits = imm8 ? 8 : size == 2 ? 16 : 32;
			int64_t imm = imm_pick(immbits, imm8 ? j + 1 : j + 1);
			used = 0;
			d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "imul r%d, r%d, imm%d", bits, bits, immbits);
			f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "%s, %s, %lld", dreg_name(d, size), dreg_name(s, size),
				 (long long)imm);
			struct enc e = denc_rm(size, imm8 ? "\x6b" : "\x69", d, dea_reg(s));
			e.immsize = immbits / 8, e.imm = imm;
			enc_emit(f, &e);
			dform_in(f, DI_GPR, s, size, 0);
			f->flags_def = FL_CF | FL_OF;
			f->ncases = 300;
			if (j == 1 || j == 6) {
				used = 0;
				d = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "imul r%d, m%d, imm%d", bits, bits, immbits);
				f = dform_m(name, size, "", imm8 ? "\x6b" : "\x69", 0, d, j, used, immbits / 8, imm);
				f->in[1].kind = DI_NONE;
				f->flags_def = FL_CF | FL_OF;
			}
		}
	}
	dform_run_all("mul/div");
}

void register_insn_int_tests(void)
{
	CU_pSuite s = CU_add_suite("insn_int", NULL, diff_suite_cleanup);
	CU_add_test(s, "alu add/or/adc/sbb/and/sub/xor/cmp vs cpu", test_alu);
	CU_add_test(s, "test/inc/dec/neg/not vs cpu", test_unary);
	CU_add_test(s, "shifts and rotates vs cpu", test_shift);
	CU_add_test(s, "shld/shrd vs cpu", test_shxd);
	CU_add_test(s, "mul/imul/div/idiv vs cpu", test_muldiv);
}
