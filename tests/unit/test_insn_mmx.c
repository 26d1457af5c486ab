/* MMX instructions against the CPU. The harness carries xmm registers, not mm registers, so
 * each form is a short sequence run the same way natively and in the interpreter:
 *   movdq2q mm0, xmm0; movdq2q mm1, xmm1; <the instruction>; movq2dq xmm0, mm0; emms
 * which also checks movdq2q, movq2dq and emms. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "insn_diff.h"

static const uint8_t load_mm[8] = { 0xf2, 0x0f, 0xd6, 0xc0, 0xf2, 0x0f, 0xd6, 0xc9 };
static const uint8_t store_mm[6] = { 0xf3, 0x0f, 0xd6, 0xc0, 0x0f, 0x77 };

/* Start a form: mm0 and mm1 from xmm0 and xmm1 (inputs of lane type `lane`). */
static struct dform *mmx_begin(const char *name, int lane)
{
	struct dform *f = dform_new(name, NULL);
	dform_bytes(f, load_mm, sizeof load_mm);
	dform_in(f, DI_XMM, 0, 16, lane);
	dform_in(f, DI_XMM, 1, 16, lane);
	f->flags_def = FL_ARITH;
	f->ncases = 600;
	return f;
}

static void mmx_end(struct dform *f)
{
	dform_bytes(f, store_mm, sizeof store_mm);
}

/* op mm0, mm1 (mode < 0) or op mm0, m (size msize). */
static struct dform *mmx_form(const char *mn, const char *pfx, const char *op, int lane, int mode,
			      int msize, int immsize, int64_t imm)
{
	char name[56], desc[40];
	snprintf(name, sizeof name, "%s mm, %s%s", mn, mode < 0 ? "mm" : msize == 4 ? "m32" : "m64",
		 immsize ? ", imm8" : "");
	struct dform *f = mmx_begin(name, lane);
	struct ea m;
	uint32_t gu = 0;
	if (mode < 0) {
		m = dea_reg(1);
		snprintf(desc, sizeof desc, "mm0, mm1");
	} else {
		m = dea_mem(f, &gu, (unsigned)mode, false, desc, sizeof desc);
		dform_in(f, DI_XMEM, 0, msize, lane);
	}
	struct enc e = { .pfx = pfx, .op = op, .oplen = (int)strlen(op), .reg = 0, .rm = m,
			 .immsize = immsize, .imm = imm };
	enc_emit(f, &e);
	mmx_end(f);
	snprintf(f->var, sizeof f->var, "%s%s", mode < 0 ? "" : "mm0, ", desc);
	if (immsize)
		snprintf(f->var + strlen(f->var), sizeof f->var - strlen(f->var), ", %#x", (unsigned)imm & 0xff);
	return f;
}

static const struct { const char *mn; uint8_t op, lane; } mops[] = {
	{ "paddb", 0xfc, LN_I8 }, { "paddw", 0xfd, LN_I16 }, { "paddd", 0xfe, LN_I32 },
	{ "paddq", 0xd4, LN_I64 }, { "psubb", 0xf8, LN_I8 }, { "psubw", 0xf9, LN_I16 },
	{ "psubd", 0xfa, LN_I32 }, { "psubq", 0xfb, LN_I64 }, { "paddsb", 0xec, LN_I8 },
	{ "paddsw", 0xed, LN_I16 }, { "paddusb", 0xdc, LN_I8 }, { "paddusw", 0xdd, LN_I16 },
	{ "psubsb", 0xe8, LN_I8 }, { "psubsw", 0xe9, LN_I16 }, { "psubusb", 0xd8, LN_I8 },
	{ "psubusw", 0xd9, LN_I16 }, { "pmullw", 0xd5, LN_I16 }, { "pmulhw", 0xe5, LN_I16 },
	{ "pmulhuw", 0xe4, LN_I16 }, { "pmuludq", 0xf4, LN_I32 }, { "pmaddwd", 0xf5, LN_I16 },
	{ "pavgb", 0xe0, LN_I8 }, { "pavgw", 0xe3, LN_I16 }, { "pmaxsw", 0xee, LN_I16 },
	{ "pmaxub", 0xde, LN_I8 }, { "pminsw", 0xea, LN_I16 }, { "pminub", 0xda, LN_I8 },
	{ "psadbw", 0xf6, LN_I8 }, { "pcmpeqb", 0x74, LN_I8 }, { "pcmpeqw", 0x75, LN_I16 },
	{ "pcmpeqd", 0x76, LN_I32 }, { "pcmpgtb", 0x64, LN_I8 }, { "pcmpgtw", 0x65, LN_I16 },
	{ "pcmpgtd", 0x66, LN_I32 }, { "pand", 0xdb, LN_I32 }, { "pandn", 0xdf, LN_I32 },
	{ "por", 0xeb, LN_I32 }, { "pxor", 0xef, LN_I32 }, { "packsswb", 0x63, LN_I16 },
	{ "packssdw", 0x6b, LN_I32 }, { "packuswb", 0x67, LN_I16 }, { "punpcklbw", 0x60, LN_I8 },
	{ "punpcklwd", 0x61, LN_I16 }, { "punpckldq", 0x62, LN_I32 }, { "punpckhbw", 0x68, LN_I8 },
	{ "punpckhwd", 0x69, LN_I16 }, { "punpckhdq", 0x6a, LN_I32 },
	{ "psllw", 0xf1, LN_I16 }, { "pslld", 0xf2, LN_I32 }, { "psllq", 0xf3, LN_I64 },
	{ "psrlw", 0xd1, LN_I16 }, { "psrld", 0xd2, LN_I32 }, { "psrlq", 0xd3, LN_I64 },
	{ "psraw", 0xe1, LN_I16 }, { "psrad", 0xe2, LN_I32 },
};

/* Shifts by mm/m64: a small count in the source most of the time. */
static int fix_count(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		     unsigned n)
{
	uint64_t c = (n & 3) ? drand() % 70 : drand();
	if (f->in[2].kind == DI_XMEM)
		memcpy(mem + f->mem_off, &c, 8);
	else
		s->xmm[1].q[0] = c;
	return DF_RUN;
}

static void test_mmx_arith(void)
{
	for (unsigned i = 0; i < sizeof mops / sizeof mops[0]; i++) {
		char op[3] = { 0x0f, (char)mops[i].op, 0 };
		bool low = mops[i].op >= 0x60 && mops[i].op <= 0x62; /* punpckl: m32 */
		bool shift = !strncmp(mops[i].mn, "psll", 4) || !strncmp(mops[i].mn, "psrl", 4) ||
			!strncmp(mops[i].mn, "psra", 4);
		struct dform *f = mmx_form(mops[i].mn, "", op, mops[i].lane, -1, 8, 0, 0);
		f->ncases = 1000;
		if (shift)
			f->fix = fix_count;
		f = mmx_form(mops[i].mn, "", op, mops[i].lane, (int)i, low ? 4 : 8, 0, 0);
		if (shift)
			f->fix = fix_count;
	}
	static const struct { const char *mn; uint8_t grp, digit, bits; } sh[] = {
		{ "psrlw", 0x71, 2, 16 }, { "psraw", 0x71, 4, 16 }, { "psllw", 0x71, 6, 16 },
		{ "psrld", 0x72, 2, 32 }, { "psrad", 0x72, 4, 32 }, { "pslld", 0x72, 6, 32 },
		{ "psrlq", 0x73, 2, 64 }, { "psllq", 0x73, 6, 64 },
	};
	for (unsigned i = 0; i < sizeof sh / sizeof sh[0]; i++) {
		const unsigned imms[] = { 0, 1, sh[i].bits - 1u, sh[i].bits, 200 };
		for (unsigned k = 0; k < 5; k++) {
			char name[56];
			snprintf(name, sizeof name, "%s mm, imm8", sh[i].mn);
			struct dform *f = mmx_begin(name, sh[i].bits == 16 ? LN_I16 : sh[i].bits == 32 ? LN_I32 : LN_I64);
			char op[3] = { 0x0f, (char)sh[i].grp, 0 };
			struct enc e = { .op = op, .oplen = 2, .reg = DIGIT(sh[i].digit), .rm = dea_reg(0),
					 .immsize = 1, .imm = imms[k] };
			enc_emit(f, &e);
			mmx_end(f);
			snprintf(f->var, sizeof f->var, "mm0, %u", imms[k]);
			f->ncases = 150;
		}
	}
	dform_run_all("mmx arithmetic");
}

static void gen_mmx_convert(void);

static void test_mmx_misc(void)
{
	char name[56];
	struct dform *f;
	for (int k = 0; k < 4; k++) {
		int imm = k == 0 ? 0x1b : k == 1 ? 0xe4 : (int)(drand() & 0xff);
		f = mmx_form("pshufw", "", "\x0f\x70", LN_I16, k == 3 ? 2 : -1, 8, 1, imm);
		f->ncases = 200;
	}
	for (int k = 0; k < 4; k++) {
		uint32_t gu = 1; /* not rax: keeps REX-free choices varied */
		int g = dpick(&gu, 4, false, false);
		f = mmx_begin("pinsrw mm, r32, imm8", LN_I16);
		struct enc e = { .op = "\x0f\xc4", .oplen = 2, .reg = 0, .rm = dea_reg(g), .immsize = 1, .imm = k * 3 };
		enc_emit(f, &e);
		mmx_end(f);
		dform_in(f, DI_GPR, g, 2, 0);
		snprintf(f->var, sizeof f->var, "mm0, %s, %d", dreg_name(g, 4), k * 3);
		g = dpick(&gu, 4, false, false);
		f = mmx_begin("pextrw r32, mm, imm8", LN_I16);
		e = (struct enc){ .op = "\x0f\xc5", .oplen = 2, .reg = g, .rm = dea_reg(1), .immsize = 1, .imm = k * 3 };
		enc_emit(f, &e);
		mmx_end(f);
		snprintf(f->var, sizeof f->var, "%s, mm1, %d", dreg_name(g, 4), k * 3);
		g = dpick(&gu, 4, false, false);
		f = mmx_begin("pmovmskb r32, mm", LN_I8);
		e = (struct enc){ .op = "\x0f\xd7", .oplen = 2, .reg = g, .rm = dea_reg(1) };
		enc_emit(f, &e);
		mmx_end(f);
		snprintf(f->var, sizeof f->var, "%s, mm1", dreg_name(g, 4));
		for (int w = 0; w < 2; w++) {
			g = dpick(&gu, 8, false, false);
			snprintf(name, sizeof name, "%s mm, r/m%d", w ? "movq" : "movd", w ? 64 : 32);
			f = mmx_begin(name, LN_I32);
			e = (struct enc){ .w = w, .op = "\x0f\x6e", .oplen = 2, .reg = 0, .rm = dea_reg(g) };
			enc_emit(f, &e);
			mmx_end(f);
			dform_in(f, DI_GPR, g, 8, 0);
			snprintf(f->var, sizeof f->var, "mm0, %s", dreg_name(g, w ? 8 : 4));
			snprintf(name, sizeof name, "%s r/m%d, mm", w ? "movq" : "movd", w ? 64 : 32);
			f = mmx_begin(name, LN_I32);
			e = (struct enc){ .w = w, .op = "\x0f\x7e", .oplen = 2, .reg = 1, .rm = dea_reg(g) };
			enc_emit(f, &e);
			mmx_end(f);
			snprintf(f->var, sizeof f->var, "%s, mm1", dreg_name(g, w ? 8 : 4));
		}
		char desc[40];
		f = mmx_begin("movq m64, mm", LN_I32);
		struct ea m = dea_mem(f, &gu, (unsigned)k, false, desc, sizeof desc);
		e = (struct enc){ .op = "\x0f\x7f", .oplen = 2, .reg = 1, .rm = m };
		enc_emit(f, &e);
		mmx_end(f);
		snprintf(f->var, sizeof f->var, "%s, mm1", desc);
		f = mmx_form("movq", "", "\x0f\x6f", LN_I32, k == 0 ? -1 : k, 8, 0, 0);
	}
	/* maskmovq: the bytes of mm0 selected by the sign bits of mm1, stored at [rdi]. */
	f = mmx_begin("maskmovq mm, mm", LN_I8);
	struct enc e = { .op = "\x0f\xf7", .oplen = 2, .reg = 0, .rm = dea_reg(1) };
	enc_emit(f, &e);
	mmx_end(f);
	f->mem_base = R_RDI;
	f->mem_base_val = (uint64_t)(uintptr_t)dbuf() + DBUF_MID + 3;
	snprintf(f->var, sizeof f->var, "mm0, mm1");
	gen_mmx_convert();
	dform_run_all("mmx moves and conversions");
}

/* Conversions between mm and xmm: xmm2 is the float side. */
static void gen_mmx_convert(void)
{
	struct dform *f;
	struct enc e;
	static const struct { const char *name, *pfx, *op; bool to_xmm; int lane; } cv[] = {
		{ "cvtpi2ps xmm, mm", "", "\x0f\x2a", true, LN_I32 },
		{ "cvtpi2pd xmm, mm", "\x66", "\x0f\x2a", true, LN_I32 },
		{ "cvtps2pi mm, xmm", "", "\x0f\x2d", false, LN_F32 },
		{ "cvttps2pi mm, xmm", "", "\x0f\x2c", false, LN_F32 },
		{ "cvtpd2pi mm, xmm", "\x66", "\x0f\x2d", false, LN_F64 },
		{ "cvttpd2pi mm, xmm", "\x66", "\x0f\x2c", false, LN_F64 },
	};
	for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++) {
		f = mmx_begin(cv[i].name, LN_I32);
		e = (struct enc){ .pfx = cv[i].pfx, .op = cv[i].op, .oplen = 2, .reg = cv[i].to_xmm ? 2 : 0,
				  .rm = dea_reg(cv[i].to_xmm ? 1 : 2) };
		enc_emit(f, &e);
		mmx_end(f);
		dform_in(f, DI_XMM, 2, 16, cv[i].lane);
		snprintf(f->var, sizeof f->var, "%s", cv[i].to_xmm ? "xmm2, mm1" : "mm0, xmm2");
		f->fp = true;
		f->ncases = 1500;
	}
}

void register_insn_mmx_tests(void)
{
	CU_pSuite s = CU_add_suite("insn_mmx", NULL, diff_suite_cleanup);
	CU_add_test(s, "mmx packed integer and shifts vs cpu", test_mmx_arith);
	CU_add_test(s, "mmx moves, shuffles, conversions vs cpu", test_mmx_misc);
}
