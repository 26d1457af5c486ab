/* SSE/SSE2 floating point against the CPU, under every MXCSR rounding mode with FTZ and DAZ
 * on and off and random sticky flags: arithmetic, min/max, sqrt, rcp/rsqrt (whose
 * approximations are the host CPU's: the interpreter must give the same bits), the eight compare predicates,
 * comis/ucomis, logic, unpacks, conversions between floats and integers (out-of-range and NaN
 * inputs included), ldmxcsr/stmxcsr. Results, RFLAGS and the whole MXCSR are compared. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "insn_diff.h"

static unsigned xrot = 5;

static int xpick(uint32_t *used)
{
	for (;;) {
		int r = (int)(xrot++ % 16);
		if (!(*used & (1u << r))) {
			*used |= 1u << r;
			return r;
		}
	}
}

/* The four types of an arithmetic opcode: mandatory prefix, name suffix, lane, scalar size. */
static const struct { const char *pfx, *sfx; int lane, msize; } types[4] = {
	{ "", "ps", LN_F32, 16 }, { "\x66", "pd", LN_F64, 16 },
	{ "\xf3", "ss", LN_F32, 4 }, { "\xf2", "sd", LN_F64, 8 },
};

/* xmm, xmm/m. mode < 0: register source; reg_d/reg_s: ModRM.reg and r/m register kinds
 * ('x' xmm, 'g' general register of gsize bytes). */
static struct dform *fp_form(const char *name, const char *pfx, const char *op, char kd, char ks,
			     int gsize, int lane, int mode, int msize, int immsize, int64_t imm)
{
	char desc[40], dd[8], sd[8];
	uint32_t xu = 0, gu = 0;
	struct dform *f = dform_new(name, NULL);
	int d = kd == 'x' ? xpick(&xu) : dpick(&gu, gsize, false, false);
	snprintf(dd, sizeof dd, "%s%d", kd == 'x' ? "xmm" : "r", d);
	if (kd == 'x')
		dform_in(f, DI_XMM, d, 16, lane);
	struct ea m;
	if (mode < 0) {
		int s = ks == 'x' ? xpick(&xu) : dpick(&gu, gsize, false, false);
		m = dea_reg(s);
		snprintf(sd, sizeof sd, "%s%d", ks == 'x' ? "xmm" : "r", s);
		snprintf(desc, sizeof desc, "%s", sd);
		if (ks == 'x')
			dform_in(f, DI_XMM, s, 16, lane);
		else
			dform_in(f, DI_GPR, s, gsize, 0);
	} else {
		m = dea_mem(f, &gu, (unsigned)mode, false, desc, sizeof desc);
		if (ks == 'x')
			dform_in(f, DI_XMEM, 0, msize, lane);
		else
			dform_in(f, DI_MEM, 0, msize, 0);
	}
	struct enc e = { .pfx = pfx, .w = gsize == 8, .op = op, .oplen = (int)strlen(op), .reg = d,
			 .rm = m, .immsize = immsize, .imm = imm };
	enc_emit(f, &e);
	snprintf(f->var, sizeof f->var, "%s, %s", dd, desc);
	f->flags_def = FL_ARITH;
	f->fp = true;
	f->ncases = 1000;
	return f;
}

static void test_arith(void)
{
	static const struct { const char *mn; uint8_t op; } ar[] = {
		{ "add", 0x58 }, { "mul", 0x59 }, { "sub", 0x5c }, { "min", 0x5d },
		{ "div", 0x5e }, { "max", 0x5f }, { "sqrt", 0x51 }, { "rcp", 0x53 }, { "rsqrt", 0x52 },
	};
	char name[56];
	for (unsigned i = 0; i < sizeof ar / sizeof ar[0]; i++) {
		for (int t = 0; t < 4; t++) {
			char op[3] = { 0x0f, (char)ar[i].op, 0 };
			if (ar[i].op < 0x54 && ar[i].op > 0x51 && (t & 1))
				continue; /* rcp and rsqrt: single precision only */
			snprintf(name, sizeof name, "%s%s xmm, xmm", ar[i].mn, types[t].sfx);
			fp_form(name, types[t].pfx, op, 'x', 'x', 0, types[t].lane, -1, 16, 0, 0)->ncases = 2500;
			snprintf(name, sizeof name, "%s%s xmm, m%d", ar[i].mn, types[t].sfx, types[t].msize * 8);
			fp_form(name, types[t].pfx, op, 'x', 'x', 0, types[t].lane, (int)(i + (unsigned)t),
				types[t].msize, 0, 0)->ncases = 600;
		}
	}
	dform_run_all("sse float arithmetic");
}

static void test_compare(void)
{
	static const char *const pred[8] = { "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord" };
	char name[56];
	for (int p = 0; p < 8; p++) {
		for (int t = 0; t < 4; t++) {
			snprintf(name, sizeof name, "cmp%s%s xmm, xmm", pred[p], types[t].sfx);
			fp_form(name, types[t].pfx, "\x0f\xc2", 'x', 'x', 0, types[t].lane, -1, 16, 1, p)->ncases = 800;
			if ((p + t) % 2 == 0) {
				snprintf(name, sizeof name, "cmp%s%s xmm, m%d", pred[p], types[t].sfx, types[t].msize * 8);
				fp_form(name, types[t].pfx, "\x0f\xc2", 'x', 'x', 0, types[t].lane, p + t,
					types[t].msize, 1, p)->ncases = 300;
			}
		}
	}
	static const struct { const char *mn, *pfx, *op; int lane, msize; } ci[] = {
		{ "comiss", "", "\x0f\x2f", LN_F32, 4 }, { "comisd", "\x66", "\x0f\x2f", LN_F64, 8 },
		{ "ucomiss", "", "\x0f\x2e", LN_F32, 4 }, { "ucomisd", "\x66", "\x0f\x2e", LN_F64, 8 },
	};
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "%s xmm, xmm", ci[i].mn);
		fp_form(name, ci[i].pfx, ci[i].op, 'x', 'x', 0, ci[i].lane, -1, 16, 0, 0)->ncases = 2500;
		snprintf(name, sizeof name, "%s xmm, m%d", ci[i].mn, ci[i].msize * 8);
		fp_form(name, ci[i].pfx, ci[i].op, 'x', 'x', 0, ci[i].lane, i, ci[i].msize, 0, 0)->ncases = 500;
	}
	static const struct { const char *mn; uint8_t op; } lg[] = {
		{ "and", 0x54 }, { "andn", 0x55 }, { "or", 0x56 }, { "xor", 0x57 },
		{ "unpckl", 0x14 }, { "unpckh", 0x15 },
	};
	for (int i = 0; i < 6; i++) {
		for (int t = 0; t < 2; t++) {
			char op[3] = { 0x0f, (char)lg[i].op, 0 };
			snprintf(name, sizeof name, "%s%s xmm, xmm", lg[i].mn, types[t].sfx);
			fp_form(name, types[t].pfx, op, 'x', 'x', 0, types[t].lane, -1, 16, 0, 0)->ncases = 200;
			snprintf(name, sizeof name, "%s%s xmm, m128", lg[i].mn, types[t].sfx);
			fp_form(name, types[t].pfx, op, 'x', 'x', 0, types[t].lane, i, 16, 0, 0)->ncases = 100;
		}
	}
	dform_run_all("sse float compares");
}

static void test_convert(void)
{
	/* kd/ks: 'x' xmm, 'g' general register; gs: its size; lane: the source's lane type. */
	static const struct { const char *mn, *pfx, *op; char kd, ks; int gs, lane, msize; } cv[] = {
		{ "cvtsi2ss xmm, r/m32", "\xf3", "\x0f\x2a", 'x', 'g', 4, 0, 4 },
		{ "cvtsi2ss xmm, r/m64", "\xf3", "\x0f\x2a", 'x', 'g', 8, 0, 8 },
		{ "cvtsi2sd xmm, r/m32", "\xf2", "\x0f\x2a", 'x', 'g', 4, 0, 4 },
		{ "cvtsi2sd xmm, r/m64", "\xf2", "\x0f\x2a", 'x', 'g', 8, 0, 8 },
		{ "cvtss2si r32, xmm/m32", "\xf3", "\x0f\x2d", 'g', 'x', 4, LN_F32, 4 },
		{ "cvtss2si r64, xmm/m32", "\xf3", "\x0f\x2d", 'g', 'x', 8, LN_F32, 4 },
		{ "cvttss2si r32, xmm/m32", "\xf3", "\x0f\x2c", 'g', 'x', 4, LN_F32, 4 },
		{ "cvttss2si r64, xmm/m32", "\xf3", "\x0f\x2c", 'g', 'x', 8, LN_F32, 4 },
		{ "cvtsd2si r32, xmm/m64", "\xf2", "\x0f\x2d", 'g', 'x', 4, LN_F64, 8 },
		{ "cvtsd2si r64, xmm/m64", "\xf2", "\x0f\x2d", 'g', 'x', 8, LN_F64, 8 },
		{ "cvttsd2si r32, xmm/m64", "\xf2", "\x0f\x2c", 'g', 'x', 4, LN_F64, 8 },
		{ "cvttsd2si r64, xmm/m64", "\xf2", "\x0f\x2c", 'g', 'x', 8, LN_F64, 8 },
		{ "cvtss2sd xmm, xmm/m32", "\xf3", "\x0f\x5a", 'x', 'x', 0, LN_F32, 4 },
		{ "cvtsd2ss xmm, xmm/m64", "\xf2", "\x0f\x5a", 'x', 'x', 0, LN_F64, 8 },
		{ "cvtps2pd xmm, xmm/m64", "", "\x0f\x5a", 'x', 'x', 0, LN_F32, 8 },
		{ "cvtpd2ps xmm, xmm/m128", "\x66", "\x0f\x5a", 'x', 'x', 0, LN_F64, 16 },
		{ "cvtdq2ps xmm, xmm/m128", "", "\x0f\x5b", 'x', 'x', 0, LN_I32, 16 },
		{ "cvtps2dq xmm, xmm/m128", "\x66", "\x0f\x5b", 'x', 'x', 0, LN_F32, 16 },
		{ "cvttps2dq xmm, xmm/m128", "\xf3", "\x0f\x5b", 'x', 'x', 0, LN_F32, 16 },
		{ "cvtdq2pd xmm, xmm/m64", "\xf3", "\x0f\xe6", 'x', 'x', 0, LN_I32, 8 },
		{ "cvtpd2dq xmm, xmm/m128", "\xf2", "\x0f\xe6", 'x', 'x', 0, LN_F64, 16 },
		{ "cvttpd2dq xmm, xmm/m128", "\x66", "\x0f\xe6", 'x', 'x', 0, LN_F64, 16 },
	};
	for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++) {
		int gs = cv[i].gs;
		struct dform *f = fp_form(cv[i].mn, cv[i].pfx, cv[i].op, cv[i].kd, cv[i].ks, gs, cv[i].lane,
					  -1, cv[i].msize, 0, 0);
		f->ncases = 2500;
		f = fp_form(cv[i].mn, cv[i].pfx, cv[i].op, cv[i].kd, cv[i].ks, gs, cv[i].lane, (int)i,
			    cv[i].msize, 0, 0);
		f->ncases = 500;
	}
	dform_run_all("sse conversions");
}

/* ldmxcsr: a valid MXCSR value (exceptions masked, reserved bits clear) in memory. */
static int fix_ldmxcsr(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		       unsigned n)
{
	uint32_t v = 0x1f80 | ((uint32_t)drand() & 0xe07f);
	memcpy(mem + f->mem_off, &v, 4);
	return DF_RUN;
}

static void test_mxcsr(void)
{
	for (int k = 0; k < 3; k++) {
		uint32_t gu = 0;
		char desc[40];
		struct dform *f = dform_new("ldmxcsr m32", NULL);
		struct ea m = dea_mem(f, &gu, (unsigned)k, false, desc, sizeof desc);
		struct enc e = { .op = "\x0f\xae", .oplen = 2, .reg = DIGIT(2), .rm = m };
		enc_emit(f, &e);
		snprintf(f->var, sizeof f->var, "%s", desc);
		f->fix = fix_ldmxcsr;
		f->fp = true;
		f->flags_def = FL_ARITH;
		f->ncases = 200;
		f = dform_new("stmxcsr m32", NULL);
		gu = 0;
		m = dea_mem(f, &gu, (unsigned)k + 1, false, desc, sizeof desc);
		e = (struct enc){ .op = "\x0f\xae", .oplen = 2, .reg = DIGIT(3), .rm = m };
		enc_emit(f, &e);
		snprintf(f->var, sizeof f->var, "%s", desc);
		f->fp = true;
		f->flags_def = FL_ARITH;
		f->ncases = 200;
	}
	/* A load then arithmetic: the new rounding mode must apply to the next instruction. */
	struct dform *f = dform_new("ldmxcsr m32; addsd", NULL);
	uint32_t gu = 0;
	char desc[40];
	struct ea m = dea_mem(f, &gu, 0, false, desc, sizeof desc);
	struct enc e = { .op = "\x0f\xae", .oplen = 2, .reg = DIGIT(2), .rm = m };
	enc_emit(f, &e);
	dform_bytes(f, "\xf2\x0f\x58\xc1", 4); /* addsd xmm0, xmm1 */
	snprintf(f->var, sizeof f->var, "%s; xmm0, xmm1", desc);
	dform_in(f, DI_XMM, 0, 16, LN_F64);
	dform_in(f, DI_XMM, 1, 16, LN_F64);
	f->fix = fix_ldmxcsr;
	f->fp = true;
	f->flags_def = FL_ARITH;
	f->ncases = 1000;
	dform_run_all("ldmxcsr/stmxcsr");
}

void register_insn_ssefp_tests(void)
{
	CU_pSuite s = CU_add_suite("insn_ssefp", NULL, diff_suite_cleanup);
	CU_add_test(s, "sse float arithmetic, all roundings, vs cpu", test_arith);
	CU_add_test(s, "sse float compares, comis, logic vs cpu", test_compare);
	CU_add_test(s, "sse conversions vs cpu", test_convert);
	CU_add_test(s, "ldmxcsr/stmxcsr vs cpu", test_mxcsr);
}
