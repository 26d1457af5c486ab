/* SSE2 integer instructions and SSE moves against the CPU: packed arithmetic (wrapping,
 * saturating, multiply, madd, avg, min/max, sad), compares, logic, shifts by register and by
 * immediate, packs, unpacks, shuffles, pmovmskb/pextrw/pinsrw, and the moves between xmm
 * registers, memory and general registers. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "insn_diff.h"

static unsigned xrot;

/* An xmm register not in *used (bit set of xmm numbers). */
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

static struct enc enc_x(const char *pfx, const char *op, int reg, struct ea rm)
{
	return (struct enc){ .pfx = pfx, .op = op, .oplen = (int)strlen(op), .reg = reg, .rm = rm };
}

/* xmm, xmm/m (mode < 0: register source). Inputs: the destination, then the source. */
static struct dform *sse_form(const char *mn, const char *pfx, const char *op, int lane, int mode,
			      int msize, int immsize, int64_t imm)
{
	char name[56], desc[40];
	uint32_t xu = 0, gu = 0;
	int d = xpick(&xu);
	struct dform *f = dform_new("", NULL);
	struct enc e;
	if (mode < 0) {
		int s = (mode == -2) ? d : xpick(&xu);
		e = enc_x(pfx, op, d, dea_reg(s));
		snprintf(name, sizeof name, "%s xmm, xmm%s", mn, immsize ? ", imm8" : "");
		snprintf(f->var, sizeof f->var, "xmm%d, xmm%d", d, s);
		dform_in(f, DI_XMM, d, 16, lane);
		if (s != d)
			dform_in(f, DI_XMM, s, 16, lane);
	} else {
		struct ea m = dea_mem(f, &gu, (unsigned)mode, false, desc, sizeof desc);
		e = enc_x(pfx, op, d, m);
		snprintf(name, sizeof name, "%s xmm, m%d%s", mn, msize * 8, immsize ? ", imm8" : "");
		snprintf(f->var, sizeof f->var, "xmm%d, %s", d, desc);
		dform_in(f, DI_XMM, d, 16, lane);
		dform_in(f, DI_XMEM, 0, msize, lane);
	}
	if (immsize) {
		e.immsize = immsize, e.imm = imm;
		snprintf(f->var + strlen(f->var), sizeof f->var - strlen(f->var), ", %#x", (unsigned)imm & 0xff);
	}
	enc_emit(f, &e);
	snprintf(f->name, sizeof f->name, "%s", name);
	f->flags_def = FL_ARITH;
	f->ncases = 800;
	return f;
}

/* ---- packed integer arithmetic, compares, logic, packs, unpacks ---- */

struct pop {
	const char *mn;
	uint8_t op;
	uint8_t lane;
};

static const struct pop pint[] = {
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
	{ "punpcklwd", 0x61, LN_I16 }, { "punpckldq", 0x62, LN_I32 }, { "punpcklqdq", 0x6c, LN_I64 },
	{ "punpckhbw", 0x68, LN_I8 }, { "punpckhwd", 0x69, LN_I16 }, { "punpckhdq", 0x6a, LN_I32 },
	{ "punpckhqdq", 0x6d, LN_I64 },
};

static void test_packed_int(void)
{
	for (unsigned i = 0; i < sizeof pint / sizeof pint[0]; i++) {
		char op[3] = { 0x0f, (char)pint[i].op, 0 };
		sse_form(pint[i].mn, "\x66", op, pint[i].lane, -1, 16, 0, 0)->ncases = 1500;
		sse_form(pint[i].mn, "\x66", op, pint[i].lane, -2, 16, 0, 0)->ncases = 200;
		sse_form(pint[i].mn, "\x66", op, pint[i].lane, (int)i, 16, 0, 0);
	}
	dform_run_all("sse packed integer");
}

/* ---- shifts ---- */

/* Shift by xmm/m128: the count is the low quadword; make it small most of the time. arg: lane
 * bits. */
static int fix_shift_count(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
			   unsigned n)
{
	uint64_t c = drand();
	unsigned bits = (unsigned)f->arg;
	if (n % 4 != 3)
		c = (n < 4 * bits) ? n / 4 : drand() % (bits + 3);
	else if (n & 4)
		c = (uint64_t)bits << (drand() % 40);
	if (f->in[1].kind == DI_XMM)
		s->xmm[f->in[1].reg].q[0] = c;
	else
		memcpy(mem + f->mem_off, &c, 8);
	return DF_RUN;
}

static void test_shifts(void)
{
	static const struct { const char *mn; uint8_t op, grp, digit, bits; } sh[] = {
		{ "psrlw", 0xd1, 0x71, 2, 16 }, { "psraw", 0xe1, 0x71, 4, 16 }, { "psllw", 0xf1, 0x71, 6, 16 },
		{ "psrld", 0xd2, 0x72, 2, 32 }, { "psrad", 0xe2, 0x72, 4, 32 }, { "pslld", 0xf2, 0x72, 6, 32 },
		{ "psrlq", 0xd3, 0x73, 2, 64 }, { "psllq", 0xf3, 0x73, 6, 64 },
		{ "psrldq", 0, 0x73, 3, 8 }, { "pslldq", 0, 0x73, 7, 8 },
	};
	for (unsigned i = 0; i < sizeof sh / sizeof sh[0]; i++) {
		int lane = sh[i].bits == 16 ? LN_I16 : sh[i].bits == 32 ? LN_I32 : LN_I64;
		if (sh[i].op) {
			char op[3] = { 0x0f, (char)sh[i].op, 0 };
			struct dform *f = sse_form(sh[i].mn, "\x66", op, lane, -1, 16, 0, 0);
			f->fix = fix_shift_count, f->arg = sh[i].bits, f->ncases = 1000;
			f = sse_form(sh[i].mn, "\x66", op, lane, (int)i, 16, 0, 0);
			f->fix = fix_shift_count, f->arg = sh[i].bits, f->ncases = 400;
		}
		const unsigned imms[] = { 0, 1, sh[i].bits - 1u, sh[i].bits, sh[i].bits + 1u, 7, 15, 16, 255 };
		for (unsigned k = 0; k < sizeof imms / sizeof imms[0]; k++) {
			uint32_t xu = 0;
			int r = xpick(&xu);
			char name[56];
			snprintf(name, sizeof name, "%s xmm, imm8", sh[i].mn);
			struct dform *f = dform_new(name, NULL);
			snprintf(f->var, sizeof f->var, "xmm%d, %u", r, imms[k]);
			char op[3] = { 0x0f, (char)sh[i].grp, 0 };
			struct enc e = enc_x("\x66", op, DIGIT(sh[i].digit), dea_reg(r));
			e.immsize = 1, e.imm = imms[k];
			enc_emit(f, &e);
			dform_in(f, DI_XMM, r, 16, lane);
			f->flags_def = FL_ARITH;
			f->ncases = 150;
		}
	}
	dform_run_all("sse shifts");
}

/* ---- shuffles, extract/insert, movemask ---- */

static void test_shuffle(void)
{
	static const struct { const char *mn, *pfx, *op; int lane; } shf[] = {
		{ "pshufd", "\x66", "\x0f\x70", LN_I32 }, { "pshufhw", "\xf3", "\x0f\x70", LN_I16 },
		{ "pshuflw", "\xf2", "\x0f\x70", LN_I16 }, { "shufps", "", "\x0f\xc6", LN_F32 },
		{ "shufpd", "\x66", "\x0f\xc6", LN_F64 },
	};
	for (unsigned i = 0; i < sizeof shf / sizeof shf[0]; i++) {
		const int imms[4] = { 0x1b, 0xe4, (int)(drand() & 0xff), (int)(drand() & 0xff) };
		for (int k = 0; k < 4; k++)
			sse_form(shf[i].mn, shf[i].pfx, shf[i].op, shf[i].lane, k == 3 ? (int)i : -1, 16, 1,
				 imms[k])->ncases = 200;
	}
	char name[56];
	for (int k = 0; k < 8; k++) {
		uint32_t xu = 0, gu = 0;
		int x = xpick(&xu), g = dpick(&gu, 4, false, false);
		snprintf(name, sizeof name, "pextrw r32, xmm, imm8");
		struct dform *f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "%s, xmm%d, %d", dreg_name(g, 4), x, k + (k & 1) * 8);
		struct enc e = enc_x("\x66", "\x0f\xc5", g, dea_reg(x));
		e.immsize = 1, e.imm = k + (k & 1) * 8;
		enc_emit(f, &e);
		dform_in(f, DI_XMM, x, 16, LN_I16);
		f->flags_def = FL_ARITH;
		f->ncases = 100;

		xu = gu = 0;
		x = xpick(&xu), g = dpick(&gu, 4, false, false);
		snprintf(name, sizeof name, "pinsrw xmm, r32, imm8");
		f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "xmm%d, %s, %d", x, dreg_name(g, 4), k);
		e = enc_x("\x66", "\x0f\xc4", x, dea_reg(g));
		e.immsize = 1, e.imm = k;
		enc_emit(f, &e);
		dform_in(f, DI_XMM, x, 16, LN_I16);
		dform_in(f, DI_GPR, g, 2, 0);
		f->flags_def = FL_ARITH;
		f->ncases = 100;
		if (k < 2) {
			char desc[40];
			f = dform_new("pinsrw xmm, m16, imm8", NULL);
			struct ea m = dea_mem(f, &gu, (unsigned)k, false, desc, sizeof desc);
			e = enc_x("\x66", "\x0f\xc4", x, m);
			e.immsize = 1, e.imm = 7 - k;
			enc_emit(f, &e);
			snprintf(f->var, sizeof f->var, "xmm%d, %s, %d", x, desc, 7 - k);
			dform_in(f, DI_XMM, x, 16, LN_I16);
			dform_in(f, DI_MEM, 0, 2, 0);
			f->flags_def = FL_ARITH;
			f->ncases = 100;
		}
	}
	static const struct { const char *name, *pfx, *op; int lane; } msk[] = {
		{ "pmovmskb r32, xmm", "\x66", "\x0f\xd7", LN_I8 },
		{ "movmskps r32, xmm", "", "\x0f\x50", LN_F32 },
		{ "movmskpd r32, xmm", "\x66", "\x0f\x50", LN_F64 },
	};
	for (unsigned i = 0; i < 3; i++) {
		for (int k = 0; k < 3; k++) {
			uint32_t xu = 0, gu = 0;
			int x = xpick(&xu), g = dpick(&gu, 4, false, false);
			struct dform *f = dform_new(msk[i].name, NULL);
			snprintf(f->var, sizeof f->var, "%s, xmm%d", dreg_name(g, k == 2 ? 8 : 4), x);
			struct enc e = enc_x(msk[i].pfx, msk[i].op, g, dea_reg(x));
			e.w = k == 2;
			enc_emit(f, &e);
			dform_in(f, DI_XMM, x, 16, msk[i].lane);
			f->flags_def = FL_ARITH;
			f->ncases = 200;
		}
	}
	dform_run_all("sse shuffles");
}

/* ---- moves ---- */

/* A store form: xmm/m <- xmm (the register in ModRM.reg is the source). */
static struct dform *sse_store(const char *name, const char *pfx, const char *op, int mode,
			       int msize)
{
	char desc[40];
	uint32_t xu = 0, gu = 0;
	int s = xpick(&xu);
	struct dform *f = dform_new(name, NULL);
	struct ea m = mode < 0 ? dea_reg(xpick(&xu)) : dea_mem(f, &gu, (unsigned)mode, false, desc, sizeof desc);
	if (mode < 0)
		snprintf(desc, sizeof desc, "xmm%d", m.reg);
	struct enc e = enc_x(pfx, op, s, m);
	enc_emit(f, &e);
	snprintf(f->var, sizeof f->var, "%s, xmm%d", desc, s);
	dform_in(f, DI_XMM, s, 16, LN_I32);
	if (mode >= 0)
		dform_in(f, DI_XMEM, 0, msize, LN_I32);
	f->flags_def = FL_ARITH;
	f->ncases = 100;
	return f;
}

/* movd/movq between general registers or memory and xmm. */
static void gpr_moves(void)
{
	static const struct { const char *name, *op; int w; bool to_gpr; } mv[] = {
		{ "movd xmm, r/m32", "\x0f\x6e", 0, false }, { "movq xmm, r/m64", "\x0f\x6e", 1, false },
		{ "movd r/m32, xmm", "\x0f\x7e", 0, true }, { "movq r/m64, xmm", "\x0f\x7e", 1, true },
	};
	for (unsigned i = 0; i < 4; i++) {
		for (int mode = -1; mode < 2; mode++) {
			char desc[40];
			uint32_t xu = 0, gu = 0;
			int x = xpick(&xu);
			struct dform *f = dform_new(mv[i].name, NULL);
			struct ea m;
			if (mode < 0) {
				int g = dpick(&gu, 8, false, false);
				m = dea_reg(g);
				snprintf(desc, sizeof desc, "%s", dreg_name(g, mv[i].w ? 8 : 4));
				dform_in(f, DI_GPR, g, 8, 0);
			} else {
				m = dea_mem(f, &gu, (unsigned)mode + 1, false, desc, sizeof desc);
				dform_in(f, DI_MEM, 0, mv[i].w ? 8 : 4, 0);
			}
			struct enc e = enc_x("\x66", mv[i].op, x, m);
			e.w = mv[i].w;
			enc_emit(f, &e);
			snprintf(f->var, sizeof f->var, "xmm%d, %s", x, desc);
			dform_in(f, DI_XMM, x, 16, LN_I32);
			f->flags_def = FL_ARITH;
			f->ncases = 100;
		}
	}
}

static void test_moves(void)
{
	static const struct { const char *mn, *pfx, *op; int msize; } ld[] = {
		{ "movaps", "", "\x0f\x28", 16 }, { "movapd", "\x66", "\x0f\x28", 16 },
		{ "movups", "", "\x0f\x10", 16 }, { "movupd", "\x66", "\x0f\x10", 16 },
		{ "movdqa", "\x66", "\x0f\x6f", 16 }, { "movdqu", "\xf3", "\x0f\x6f", 16 },
		{ "movss", "\xf3", "\x0f\x10", 4 }, { "movsd", "\xf2", "\x0f\x10", 8 },
		{ "movq", "\xf3", "\x0f\x7e", 8 }, { "movlps", "", "\x0f\x12", 8 },
		{ "movhps", "", "\x0f\x16", 8 }, { "movlpd", "\x66", "\x0f\x12", 8 },
		{ "movhpd", "\x66", "\x0f\x16", 8 },
	};
	for (unsigned i = 0; i < sizeof ld / sizeof ld[0]; i++) {
		if (i < 9 || i >= 13)
			sse_form(ld[i].mn, ld[i].pfx, ld[i].op, LN_I32, -1, 16, 0, 0)->ncases = 100;
		sse_form(ld[i].mn, ld[i].pfx, ld[i].op, LN_I32, (int)i, ld[i].msize, 0, 0)->ncases = 100;
	}
	sse_form("movhlps", "", "\x0f\x12", LN_I32, -1, 16, 0, 0)->ncases = 100;
	sse_form("movlhps", "", "\x0f\x16", LN_I32, -1, 16, 0, 0)->ncases = 100;
	static const struct { const char *name, *pfx, *op; int msize; bool reg; } st[] = {
		{ "movaps xmm/m128, xmm", "", "\x0f\x29", 16, true },
		{ "movapd xmm/m128, xmm", "\x66", "\x0f\x29", 16, true },
		{ "movups xmm/m128, xmm", "", "\x0f\x11", 16, true },
		{ "movupd xmm/m128, xmm", "\x66", "\x0f\x11", 16, true },
		{ "movdqa xmm/m128, xmm", "\x66", "\x0f\x7f", 16, true },
		{ "movdqu xmm/m128, xmm", "\xf3", "\x0f\x7f", 16, true },
		{ "movss xmm/m32, xmm", "\xf3", "\x0f\x11", 4, true },
		{ "movsd xmm/m64, xmm", "\xf2", "\x0f\x11", 8, true },
		{ "movq xmm/m64, xmm", "\x66", "\x0f\xd6", 8, true },
		{ "movlps m64, xmm", "", "\x0f\x13", 8, false },
		{ "movhps m64, xmm", "", "\x0f\x17", 8, false },
		{ "movlpd m64, xmm", "\x66", "\x0f\x13", 8, false },
		{ "movhpd m64, xmm", "\x66", "\x0f\x17", 8, false },
		{ "movntps m128, xmm", "", "\x0f\x2b", 16, false },
		{ "movntpd m128, xmm", "\x66", "\x0f\x2b", 16, false },
		{ "movntdq m128, xmm", "\x66", "\x0f\xe7", 16, false },
	};
	for (unsigned i = 0; i < sizeof st / sizeof st[0]; i++) {
		if (st[i].reg)
			sse_store(st[i].name, st[i].pfx, st[i].op, -1, st[i].msize);
		sse_store(st[i].name, st[i].pfx, st[i].op, (int)i, st[i].msize);
	}
	for (int size = 4; size <= 8; size += 4) {
		uint32_t gu = 0;
		int g = dpick(&gu, size, false, false);
		struct dform *f = dform_new(size == 4 ? "movnti m32, r32" : "movnti m64, r64", NULL);
		char desc[40];
		struct ea m = dea_mem(f, &gu, (unsigned)size, false, desc, sizeof desc);
		struct enc e = { .w = size == 8, .op = "\x0f\xc3", .oplen = 2, .reg = g, .rm = m };
		enc_emit(f, &e);
		snprintf(f->var, sizeof f->var, "%s, %s", desc, dreg_name(g, size));
		dform_in(f, DI_GPR, g, size, 0);
		f->flags_def = FL_ARITH;
	}
	/* maskmovdqu stores the bytes of xmm (reg) selected by the sign bits of xmm (r/m) at [rdi]. */
	for (int k = 0; k < 3; k++) {
		uint32_t xu = 0;
		int s = xpick(&xu), msk = xpick(&xu);
		struct dform *f = dform_new("maskmovdqu xmm, xmm", NULL);
		snprintf(f->var, sizeof f->var, "xmm%d, xmm%d", s, msk);
		struct enc e = enc_x("\x66", "\x0f\xf7", s, dea_reg(msk));
		enc_emit(f, &e);
		dform_in(f, DI_XMM, s, 16, LN_I8);
		dform_in(f, DI_XMM, msk, 16, LN_I8);
		f->mem_base = R_RDI;
		f->mem_base_val = (uint64_t)(uintptr_t)dbuf() + DBUF_MID + (uint64_t)(k * 5);
		f->flags_def = FL_ARITH;
		f->ncases = 300;
	}
	gpr_moves();
	dform_run_all("sse moves");
}

void register_insn_sse_tests(void)
{
	CU_pSuite s = CU_add_suite("insn_sse", NULL, diff_suite_cleanup);
	CU_add_test(s, "sse2 packed integer vs cpu", test_packed_int);
	CU_add_test(s, "sse2 shifts vs cpu", test_shifts);
	CU_add_test(s, "sse shuffles, pextrw/pinsrw, movemasks vs cpu", test_shuffle);
	CU_add_test(s, "sse moves vs cpu", test_moves);
}
