/* More integer instructions against the CPU: bit tests and scans, bswap, setcc/cmovcc/jcc
 * after flag-setting instructions, mov and the sign/zero extensions, exchanges (xchg, cmpxchg,
 * cmpxchg8b/16b, xadd), lea, the cbw family, string instructions, flag instructions, nops and
 * fs/gs-relative operands. */
#include <CUnit/CUnit.h>
#include <asm/prctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "emu_harness.h"
#include "insn_diff.h"

static const int sizes[4] = { 1, 2, 4, 8 };

/* ---- bt bts btr btc ---- */

/* bt m, r addresses a bit string: keep the offset within the data buffer. */
static int fix_bt_mem(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		      unsigned n)
{
	int64_t off = (int64_t)(drand() % 4096) - 2048;
	if (n < 64)
		off = (int64_t)n - 32;
	din_set(f, s, mem, 1, (uint64_t)off);
	return DF_RUN;
}

static void test_bits(void)
{
	static const struct { const char *mn, *rr; int digit; } bt[4] = {
		{ "bt", "\x0f\xa3", 4 }, { "bts", "\x0f\xab", 5 },
		{ "btr", "\x0f\xb3", 6 }, { "btc", "\x0f\xbb", 7 },
	};
	char name[56];
	struct dform *f;
	for (int k = 0; k < 4; k++) {
		for (int i = 1; i < 4; i++) {
			int size = sizes[i], bits = size * 8;
			uint32_t used = 0;
			int d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s r%d, r%d", bt[k].mn, bits, bits);
			f = dform_rr(name, size, bt[k].rr, 0, d, s);
			f->flags_def = FL_CF | FL_ZF;
			f->ncases = 1200;
			used = 0;
			s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s m%d, r%d", bt[k].mn, bits, bits);
			f = dform_m(name, size, "", bt[k].rr, 0, s, (unsigned)(k + i) % 3, used, 0, 0);
			f->flags_def = FL_CF | FL_ZF;
			f->fix = fix_bt_mem;
			if (k) {
				snprintf(name, sizeof name, "lock %s m%d, r%d", bt[k].mn, bits, bits);
				used = 0;
				s = dpick(&used, size, false, false);
				f = dform_m(name, size, "\xf0", bt[k].rr, 0, s, 0, used, 0, 0);
				f->flags_def = FL_CF | FL_ZF;
				f->fix = fix_bt_mem;
			}
			const int imms[3] = { 0, bits - 1, (int)(drand() & 0xff) };
			for (int j = 0; j < 3; j++) {
				used = 0;
				d = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "%s r%d, imm8", bt[k].mn, bits);
				f = dform_new(name, NULL);
				snprintf(f->var, sizeof f->var, "%s, %d", dreg_name(d, size), imms[j]);
				struct enc e = denc_rm(size, "\x0f\xba", DIGIT(bt[k].digit), dea_reg(d));
				e.immsize = 1, e.imm = imms[j];
				enc_emit(f, &e);
				dform_in(f, DI_GPR, d, size, 0);
				f->flags_def = FL_CF | FL_ZF;
				f->ncases = 200;
			}
			snprintf(name, sizeof name, "%s m%d, imm8", bt[k].mn, bits);
			f = dform_m(name, size, "", "\x0f\xba", bt[k].digit, -1, (unsigned)i, 0, 1, imms[2]);
			f->flags_def = FL_CF | FL_ZF;
		}
	}
	dform_run_all("bt");
}

/* bsf/bsr of zero: ZF set, destination undefined. */
static int fix_bsf(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		   unsigned n)
{
	if (din_get(f, s, mem, 1) == 0)
		m->gpr[f->arg] = 0;
	return DF_RUN;
}

static void test_scan_bswap(void)
{
	char name[56];
	struct dform *f;
	for (int k = 0; k < 2; k++) {
		const char *op = k ? "\x0f\xbd" : "\x0f\xbc", *mn = k ? "bsr" : "bsf";
		for (int i = 1; i < 4; i++) {
			int size = sizes[i], bits = size * 8;
			uint32_t used = 0;
			int d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s r%d, r%d", mn, bits, bits);
			f = dform_rr(name, size, op, 0, s, d); /* in[0] the source, in[1] the destination */
			struct din t = f->in[0];
			f->in[0] = f->in[1], f->in[1] = t;
			f->flags_def = FL_ZF;
			f->fix = fix_bsf, f->arg = d;
			f->ncases = 600;
			used = 0;
			d = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "%s r%d, m%d", mn, bits, bits);
			f = dform_m(name, size, "", op, 0, d, (unsigned)i, used, 0, 0);
			/* in[0] is the memory source, in[1] the destination: swap for fix_bsf */
			t = f->in[0];
			f->in[0] = f->in[1], f->in[1] = t;
			f->flags_def = FL_ZF;
			f->fix = fix_bsf, f->arg = d;
		}
	}
	for (int i = 2; i < 4; i++) {
		for (int j = 0; j < 3; j++) {
			int size = sizes[i];
			uint32_t used = 0;
			int r = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "bswap r%d", size * 8);
			f = dform_new(name, dreg_name(r, size));
			struct enc e = { .w = size == 8, .op = "\x0f\xc8", .oplen = 2, .nomodrm = true,
					 .has_opreg = true, .opreg = r };
			enc_emit(f, &e);
			dform_in(f, DI_GPR, r, size, 0);
			f->ncases = 100;
		}
	}
	dform_run_all("bsf/bsr/bswap");
}

/* ---- setcc, cmovcc, jcc after flag-setting instructions ---- */

struct setter {
	const char *mn;
	const char *op;
	int size, digit, immsize;     /* digit < 0: two register operands */
	int64_t imm;
	uint16_t ccs;                 /* conditions that read only flags it defines */
	uint32_t fl;                  /* flags it defines */
	const char *op2;              /* a second instruction on the first operand (or both) */
	int size2, digit2;
};

#define A FL_ARITH
#define L (FL_ARITH & ~FL_AF)

static const struct setter setters[] = {
	{ "none", NULL, 0, 0, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "cmp r64", "\x39", 8, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "cmp r32", "\x39", 4, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "cmp r16", "\x39", 2, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "cmp r8", "\x38", 1, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "sub r32", "\x29", 4, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "add r64", "\x01", 8, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "add r8", "", 1, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "adc r32", "\x11", 4, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "sbb r64", "\x19", 8, -1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "and r32", "\x21", 4, -1, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "or r16", "\x09", 2, -1, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "xor r64", "\x31", 8, -1, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "test r32", "\x85", 4, -1, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "test r8", "\x84", 1, -1, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "cmp r32, imm8", "\x83", 4, 7, 1, 5, 0xffff, A, NULL, 0, 0 },
	{ "inc r32", "\xff", 4, 0, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "dec r64", "\xff", 8, 1, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "neg r32", "\xf7", 4, 3, 0, 0, 0xffff, A, NULL, 0, 0 },
	{ "shl r32, 1", "\xd1", 4, 4, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "sar r64, 1", "\xd1", 8, 7, 0, 0, 0xffff, L, NULL, 0, 0 },
	{ "shr r32, 5", "\xc1", 4, 5, 1, 5, 0xffff & ~0xf003, L & ~FL_OF, NULL, 0, 0 },
	{ "imul r32", "\xf7", 4, 5, 0, 0, 0x000f, FL_CF | FL_OF, NULL, 0, 0 },
	{ "bt r64, r64", "\x0f\xa3", 8, -1, 0, 0, 0x000c, FL_CF, NULL, 0, 0 },
	/* a flag reader or partial writer after a lazy flag setter */
	{ "add r64; inc r32", "\x01", 8, -1, 0, 0, 0xffff, A, "\xff", 4, 0 },
	{ "sub r8; dec r16", "\x28", 1, -1, 0, 0, 0xffff, A, "\xff", 2, 1 },
	{ "cmp r32; adc r32", "\x39", 4, -1, 0, 0, 0xffff, A, "\x11", 4, -1 },
	{ "add r16; sbb r64", "\x01", 2, -1, 0, 0, 0xffff, A, "\x19", 8, -1 },
	{ "cmp r64; rcl r32, 1", "\x39", 8, -1, 0, 0, 0xffff, A, "\xd1", 4, 2 },
	{ "sub r64; rcr r8, 1", "\x29", 8, -1, 0, 0, 0xffff, A, "\xd0", 1, 3 },
	{ "xor r32; not r32", "\x31", 4, -1, 0, 0, 0xffff, L, "\xf7", 4, 2 },
	{ "neg r64; cmc", "\xf7", 8, 3, 0, 0, 0xffff, A, "\xf5", 0, 0 },
};

/* The setter's operands: in[0], in[1]. Compare only flags the setter defines. */
static void emit_setter(struct dform *f, const struct setter *st, uint32_t *used)
{
	f->flags_def = st->fl;
	if (!st->op)
		return;
	int a = dpick(used, st->size, false, false), b = -1;
	if (st->digit < 0)
		b = dpick(used, st->size, false, false);
	if (st->digit == 5 && st->immsize == 0) { /* imul: rax implicit, rdx written */
		*used |= 1u << R_RAX | 1u << R_RDX;
	}
	struct enc e = denc_rm(st->size, st->op, b >= 0 ? b : DIGIT(st->digit), dea_reg(a));
	e.immsize = st->immsize, e.imm = st->imm;
	enc_emit(f, &e);
	dform_in(f, DI_GPR, a, st->size, 0);
	if (b >= 0)
		dform_in(f, DI_GPR, b, st->size, 0);
	if (st->digit == 5 && st->immsize == 0)
		dform_in(f, DI_GPR, R_RAX, 4, 0);
	if (st->op2 && st->size2 == 0) {
		dform_bytes(f, st->op2, 1);
	} else if (st->op2) {
		e = denc_rm(st->size2, st->op2, st->digit2 < 0 ? b : DIGIT(st->digit2), dea_reg(a));
		enc_emit(f, &e);
	}
}

/* lahf copies SF ZF AF PF CF to ah: those the setter leaves undefined are not compared. */
static int fix_lahf(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		    unsigned n)
{
	m->gpr[R_RAX] &= ~((uint64_t)(~f->flags_def & 0xd5) << 8);
	return DF_RUN;
}

static const char *const ccn[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
				     "s", "ns", "p", "np", "l", "ge", "le", "g" };

/* jcc over an lea that counts the not-taken path: both paths end at the stop address. */
static void emit_jcc(struct dform *f, int cc, uint32_t *used)
{
	int d = dpick(used, 8, false, false);
	uint8_t lea[5], n = 0;
	if (d >= 8)
		lea[n++] = 0x45;
	lea[n++] = 0x8d;
	lea[n++] = (uint8_t)(0x40 | (d & 7) << 3 | (d & 7));
	if ((d & 7) == 4)
		lea[n++] = 0x24;
	lea[n++] = 1;
	uint8_t j[2] = { (uint8_t)(0x70 + cc), n };
	dform_bytes(f, j, 2);
	dform_bytes(f, lea, n);
	snprintf(f->name, sizeof f->name, "j%s rel8", ccn[cc]);
}

/* The flag reader of kind: 0 setcc r8, 1 setcc m8, 2 cmovcc r32, 3 cmovcc r`size`, 4 cmovcc
 * r32, m32, 5 jcc, 6 lahf. */
static void emit_reader(struct dform *f, int kind, int cc, int size, uint32_t *used)
{
	char opb[3] = { 0x0f, (char)(0x90 + cc), 0 };
	char cmv[3] = { 0x0f, (char)(0x40 + cc), 0 };
	char desc[40];
	struct enc e;
	int d, s;
	switch (kind) {
	case 0:
	case 1:
		e = denc_rm(1, opb, DIGIT(0), kind ? dea_mem(f, used, (unsigned)cc, false, desc, sizeof desc)
						    : dea_reg(dpick(used, 1, false, false)));
		enc_emit(f, &e);
		snprintf(f->name, sizeof f->name, "set%s %s", ccn[cc], kind ? "m8" : "r8");
		break;
	case 2: case 3:
		d = dpick(used, size, false, false), s = dpick(used, size, false, false);
		e = denc_rm(size, cmv, d, dea_reg(s));
		enc_emit(f, &e);
		dform_in(f, DI_GPR, s, size, 0);
		snprintf(f->name, sizeof f->name, "cmov%s r%d, r%d", ccn[cc], size * 8, size * 8);
		break;
	case 4:
		d = dpick(used, 4, false, false);
		e = denc_rm(4, cmv, d, dea_mem(f, used, (unsigned)cc + 1, false, desc, sizeof desc));
		enc_emit(f, &e);
		snprintf(f->name, sizeof f->name, "cmov%s r32, m32", ccn[cc]);
		break;
	case 5:
		emit_jcc(f, cc, used);
		break;
	default:
		dform_bytes(f, "\x9f", 1);
		f->fix = fix_lahf;
		snprintf(f->name, sizeof f->name, "lahf");
		break;
	}
}

static void test_cond(void)
{
	for (unsigned si = 0; si < sizeof setters / sizeof setters[0]; si++) {
		const struct setter *st = &setters[si];
		for (int cc = 0; cc < 16; cc++) {
			if (!(st->ccs >> cc & 1))
				continue;
			for (int kind = 0; kind < 8; kind++) {
				if ((kind == 6 && cc) || (kind == 1 && si % 4) || (kind == 4 && si % 3))
					continue; /* lahf once per setter; fewer memory forms */
				uint32_t used = 0;
				struct dform *f = dform_new("", NULL);
				snprintf(f->var, sizeof f->var, "after %s%s", st->mn,
					 kind == 7 ? ", next block" : "");
				emit_setter(f, st, &used);
				if (kind == 7) /* the flags cross a block boundary */
					dform_bytes(f, "\xeb\x00", 2);
				emit_reader(f, kind == 7 ? 0 : kind, cc, kind == 3 ? (si & 1 ? 2 : 8) : 4, &used);
				f->ncases = 150;
			}
		}
	}
	dform_run_all("setcc/cmovcc/jcc");
}

/* ---- mov, movzx, movsx, movsxd ---- */

static void gen_mov_plain(void);

static void test_mov(void)
{
	char name[56];
	struct dform *f;
	static const struct { const char *mn, *op; int dsize, ssize; } ext[] = {
		{ "movzx", "\x0f\xb6", 2, 1 }, { "movzx", "\x0f\xb6", 4, 1 }, { "movzx", "\x0f\xb6", 8, 1 },
		{ "movzx", "\x0f\xb7", 4, 2 }, { "movzx", "\x0f\xb7", 8, 2 },
		{ "movsx", "\x0f\xbe", 2, 1 }, { "movsx", "\x0f\xbe", 4, 1 }, { "movsx", "\x0f\xbe", 8, 1 },
		{ "movsx", "\x0f\xbf", 4, 2 }, { "movsx", "\x0f\xbf", 8, 2 },
		{ "movsxd", "\x63", 8, 4 },
	};
	for (unsigned i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		int ds = ext[i].dsize, ss = ext[i].ssize;
		for (int v = 0; v < (ss == 1 && ds < 8 ? 3 : 2); v++) {
			uint32_t used = 0;
			bool hi = v == 2;
			int d = dpick(&used, ds, false, hi), s = dpick(&used, ss, hi, hi);
			snprintf(name, sizeof name, "%s r%d, %s%d", ext[i].mn, ds * 8, v == 1 ? "m" : "r", ss * 8);
			if (v == 1) {
				f = dform_m(name, ss, "", ext[i].op, 0, d, i, used, 0, 0);
				f->in[1].kind = DI_NONE;
				f->len = 0;
				char desc[40];
				struct ea m = dea_mem(f, &used, i, false, desc, sizeof desc);
				struct enc e = denc_rm(ds, ext[i].op, d, m);
				enc_emit(f, &e);
				snprintf(f->var, sizeof f->var, "%s, %s", dreg_name(d, ds), desc);
			} else {
				f = dform_new(name, NULL);
				snprintf(f->var, sizeof f->var, "%s, %s", dreg_name(d, ds), dreg_name(s, ss));
				struct enc e = denc_rm(ds, ext[i].op, d, dea_reg(s));
				e.byteregs = ss == 1 ? BR_RM : 0;
				enc_emit(f, &e);
				dform_in(f, DI_GPR, s, ss, 0);
			}
			f->ncases = 200;
		}
	}
	gen_mov_plain();
	dform_run_all("mov/movzx/movsx");
}

/* mov in every form: r/m, r and r, r/m (88-8b), r/m, imm (c6/c7), r, imm (b0+r/b8+r), moffs. */
static void gen_mov_plain(void)
{
	char name[56];
	struct dform *f;
	for (int i = 0; i < 4; i++) {
		int size = sizes[i], bits = size * 8;
		const char *st = size == 1 ? "\x88" : "\x89", *ld = size == 1 ? "\x8a" : "\x8b";
		for (int v = 0; v < (size == 1 ? 2 : 1); v++) {
			uint32_t used = 0;
			int d = dpick(&used, size, v, v), s = dpick(&used, size, false, v);
			snprintf(name, sizeof name, "mov r%d, r%d%s", bits, bits, v ? " hi" : "");
			dform_rr(name, size, st, 0, d, s)->ncases = 100;
		}
		for (unsigned mode = 0; mode < 5; mode++) {
			uint32_t used = 0;
			int r = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "mov m%d, r%d", bits, bits);
			dform_m(name, size, "", st, 0, r, mode, used, 0, 0)->ncases = 100;
			used = 0;
			r = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "mov r%d, m%d", bits, bits);
			dform_m(name, size, "", ld, 0, r, mode, used, 0, 0)->ncases = 100;
		}
		int immbits = size == 8 ? 32 : bits;
		int64_t imm = (int64_t)dval((unsigned)immbits);
		if (immbits == 32)
			imm = (int32_t)imm;
		snprintf(name, sizeof name, "mov m%d, imm%d", bits, immbits);
		dform_m(name, size, "", size == 1 ? "\xc6" : "\xc7", 0, -1, 3, 0, immbits / 8, imm)->ncases = 50;
		uint32_t used = 0;
		int r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "mov r%d, imm%d (c7)", bits, immbits);
		f = dform_new(name, dreg_name(r, size));
		struct enc e = denc_rm(size, size == 1 ? "\xc6" : "\xc7", DIGIT(0), dea_reg(r));
		e.immsize = immbits / 8, e.imm = -2;
		enc_emit(f, &e);
		f->ncases = 50;
		r = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "mov r%d, imm%d (b8+r)", bits, bits);
		f = dform_new(name, dreg_name(r, size));
		e = (struct enc){ .pfx = dsz_pfx(size), .w = size == 8, .byteregs = size == 1 ? BR_RM : 0,
				  .op = size == 1 ? "\xb0" : "\xb8", .oplen = 1, .nomodrm = true,
				  .has_opreg = true, .opreg = r, .immsize = size, .imm = (int64_t)dval(64) };
		enc_emit(f, &e);
		f->ncases = 50;
		/* mov with a 64-bit absolute address (a0-a3) */
		for (int st = 0; st < 2; st++) {
			snprintf(name, sizeof name, st ? "mov moffs%d, %s" : "mov %2$s, moffs%1$d", bits,
				 dreg_name(0, size));
			f = dform_new(name, "");
			char op[2] = { (char)(0xa0 + 2 * st + (size > 1)), 0 };
			e = (struct enc){ .pfx = dsz_pfx(size), .w = size == 8, .op = op, .oplen = 1,
					  .nomodrm = true, .immsize = 8,
					  .imm = (int64_t)(uintptr_t)(dbuf() + f->mem_off) };
			enc_emit(f, &e);
			dform_in(f, DI_MEM, 0, size, 0);
			dform_in(f, DI_GPR, R_RAX, size, 0);
			f->ncases = 50;
		}
	}
}

/* ---- xchg, cmpxchg, xadd, cmpxchg8b/16b ---- */

/* cmpxchg: in[0] destination, in[1] source; make rax equal the destination half the time. */
static int fix_cmpxchg(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		       unsigned n)
{
	if (drand() & 1) {
		uint64_t v = din_get(f, s, mem, 0);
		unsigned bits = f->in[0].size * 8;
		uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
		s->r[R_RAX] = (s->r[R_RAX] & ~mask) | v;
	}
	return DF_RUN;
}

static int fix_cmpxchg8b(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
			 unsigned n)
{
	unsigned half = (unsigned)f->arg;
	if (drand() & 1) {
		uint64_t lo = 0, hi = 0;
		memcpy(&lo, mem + f->mem_off, half);
		memcpy(&hi, mem + f->mem_off + half, half);
		s->r[R_RAX] = half == 8 ? lo : (s->r[R_RAX] & ~0xffffffffull) | lo;
		s->r[R_RDX] = half == 8 ? hi : (s->r[R_RDX] & ~0xffffffffull) | hi;
		if (drand() & 1)
			s->r[R_RDX] ^= 1ull << (drand() % (half * 8)); /* differ in the high half only */
	}
	return DF_RUN;
}

static void gen_cmpxchg8b(void);

static void test_xchg(void)
{
	char name[56];
	struct dform *f;
	for (int i = 0; i < 4; i++) {
		int size = sizes[i], bits = size * 8;
		const char *ox = size == 1 ? "\x86" : "\x87";
		const char *ocx = size == 1 ? "\x0f\xb0" : "\x0f\xb1", *oxa = size == 1 ? "\x0f\xc0" : "\x0f\xc1";
		uint32_t used = 0;
		int d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "xchg r%d, r%d", bits, bits);
		dform_rr(name, size, ox, 0, d, s)->ncases = 100;
		used = 0;
		s = dpick(&used, size, false, false);
		snprintf(name, sizeof name, "xchg m%d, r%d", bits, bits);
		dform_m(name, size, "", ox, 0, s, (unsigned)i, used, 0, 0)->ncases = 100;
		if (size > 1) {
			used = 1;
			s = dpick(&used, size, false, false);
			snprintf(name, sizeof name, "xchg %s, r%d (90+r)", dreg_name(0, size), bits);
			f = dform_new(name, dreg_name(s, size));
			struct enc e = { .pfx = dsz_pfx(size), .w = size == 8, .op = "\x90", .oplen = 1,
					 .nomodrm = true, .has_opreg = true, .opreg = s };
			enc_emit(f, &e);
			dform_in(f, DI_GPR, 0, size, 0);
			dform_in(f, DI_GPR, s, size, 0);
			f->ncases = 100;
		}
		for (int v = 0; v < 4; v++) {
			used = 1; /* not rax */
			const char *lk = v == 2 ? "lock " : "";
			if (v == 0) {
				d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "cmpxchg r%d, r%d", bits, bits);
				f = dform_rr(name, size, ocx, 0, d, s);
			} else if (v == 3) {
				d = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "cmpxchg r%d, %s", bits, dreg_name(0, size));
				f = dform_rr(name, size, ocx, 0, d, 0);
			} else {
				s = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "%scmpxchg m%d, r%d", lk, bits, bits);
				f = dform_m(name, size, v == 2 ? "\xf0" : "", ocx, 0, s, (unsigned)(v + i), used, 0, 0);
			}
			dform_in(f, DI_GPR, 0, size, 0);
			f->fix = fix_cmpxchg;
			f->flags_def = FL_ARITH;
			f->ncases = 600;
		}
		for (int v = 0; v < 3; v++) {
			used = 0;
			if (v == 0) {
				d = dpick(&used, size, false, false), s = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "xadd r%d, r%d", bits, bits);
				f = dform_rr(name, size, oxa, 0, d, s);
			} else {
				s = dpick(&used, size, false, false);
				snprintf(name, sizeof name, "%sxadd m%d, r%d", v == 2 ? "lock " : "", bits, bits);
				f = dform_m(name, size, v == 2 ? "\xf0" : "", oxa, 0, s, (unsigned)(v + i + 1), used, 0, 0);
			}
			f->flags_def = FL_ARITH;
			f->ncases = 600;
		}
	}
	gen_cmpxchg8b();
	dform_run_all("xchg/cmpxchg/xadd");
}

/* cmpxchg8b m64 and cmpxchg16b m128, with and without lock. */
static void gen_cmpxchg8b(void)
{
	char name[56];
	struct dform *f;
	for (int k = 0; k < 4; k++) {
		int half = k & 1 ? 8 : 4;
		uint32_t used = 1u << R_RAX | 1u << R_RBX | 1u << R_RCX | 1u << R_RDX;
		snprintf(name, sizeof name, "%scmpxchg%s", k >= 2 ? "lock " : "", half == 8 ? "16b m128" : "8b m64");
		f = dform_m(name, 8, k >= 2 ? "\xf0" : "", "\x0f\xc7", 1, -1, (unsigned)k * 2, used, 0, 0);
		if (half == 4) {
			f->len = 0; /* again without REX.W */
			char desc[40];
			struct ea m = dea_mem(f, &used, (unsigned)k * 2, false, desc, sizeof desc);
			struct enc e = denc_rm(4, "\x0f\xc7", DIGIT(1), m);
			e.pfx = k >= 2 ? "\xf0" : "";
			enc_emit(f, &e);
			snprintf(f->var, sizeof f->var, "%s", desc);
		}
		f->fix = fix_cmpxchg8b, f->arg = half;
		f->flags_def = FL_ARITH;
		f->ncases = 800;
	}
}

/* ---- lea ---- */

static void test_lea(void)
{
	char name[56];
	for (int i = 1; i < 4; i++) {
		int size = sizes[i];
		for (unsigned mode = 0; mode < 12; mode++) {
			uint32_t used = 0;
			int d = dpick(&used, size, false, false);
			struct dform *f = dform_new("", NULL);
			struct ea m = { .kind = EA_MEM, .index = -1 };
			m.base = mode == 6 ? -1 : dpick(&used, 8, false, false);
			if (mode >= 3 && mode != 9)
				m.index = dpick(&used, 8, false, false), m.scale = (int)(mode & 3);
			if (mode == 1 || mode == 4)
				m.disp = (int8_t)drand();
			else if (mode == 2 || mode == 5 || mode == 6 || mode == 8)
				m.disp = (int32_t)drand(), m.dispsize = 4;
			if (mode == 9)
				m.kind = EA_RIP;
			struct enc e = denc_rm(size, "\x8d", d, m);
			if (mode >= 10)
				e.pfx = size == 2 ? "\x66\x67" : "\x67"; /* 32-bit address size */
			enc_emit(f, &e);
			if (m.kind == EA_MEM && m.base >= 0)
				dform_in(f, DI_GPR, m.base, 8, 0);
			if (m.index >= 0)
				dform_in(f, DI_GPR, m.index, 8, 0);
			f->mem_base = f->mem_index = -1; /* not memory: any value */
			snprintf(f->name, sizeof f->name, "lea r%d, %s%s", size * 8,
				 mode == 9 ? "[rip+d32]" : mode == 6 ? "[index*s+d32]" :
				 mode >= 3 ? "[base+index*s+d]" : "[base+d]", mode >= 10 ? " addr32" : "");
			snprintf(f->var, sizeof f->var, "%s, mode %u", dreg_name(d, size), mode);
			f->ncases = 300;
		}
	}
	(void)name;
	dform_run_all("lea");
}

/* ---- cbw family, flag instructions, nops ---- */

static void test_misc(void)
{
	static const struct { const char *name, *bytes; unsigned len; } m[] = {
		{ "cbw", "\x66\x98", 2 }, { "cwde", "\x98", 1 }, { "cdqe", "\x48\x98", 2 },
		{ "cwd", "\x66\x99", 2 }, { "cdq", "\x99", 1 }, { "cqo", "\x48\x99", 2 },
		{ "clc", "\xf8", 1 }, { "stc", "\xf9", 1 }, { "cmc", "\xf5", 1 },
		{ "cld", "\xfc", 1 }, { "std", "\xfd", 1 }, { "lahf", "\x9f", 1 }, { "sahf", "\x9e", 1 },
		{ "nop", "\x90", 1 }, { "nop (66)", "\x66\x90", 2 }, { "pause", "\xf3\x90", 2 },
		{ "nop r/m32", "\x0f\x1f\x00", 3 }, { "nop r/m32 (long)", "\x66\x0f\x1f\x84\x00\0\0\0\0", 9 },
		{ "nop r/m16 cs", "\x66\x2e\x0f\x1f\x84\x00\0\0\0\0", 10 }, { "endbr64", "\xf3\x0f\x1e\xfa", 4 },
		{ "lfence", "\x0f\xae\xe8", 3 }, { "mfence", "\x0f\xae\xf0", 3 }, { "sfence", "\x0f\xae\xf8", 3 },
		{ "xchg r8d, eax", "\x41\x90", 2 },
	};
	for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++) {
		struct dform *f = dform_new(m[i].name, "");
		dform_bytes(f, m[i].bytes, m[i].len);
		static const uint8_t rax_size[6] = { 1, 2, 4, 2, 4, 8 };
		dform_in(f, DI_GPR, R_RAX, i < 6 ? rax_size[i] : 8, 0);
		if (m[i].bytes[0] == 0x41)
			dform_in(f, DI_GPR, R_R8, 4, 0);
		f->flags_def = FL_ARITH;
		f->df = true;
		f->ncases = 300;
	}
	dform_run_all("cbw/flags/nop");
}

/* ---- string instructions ---- */

/* rsi and rdi inside the data buffer, placed for the direction (and sometimes overlapping);
 * counts mostly small, some up to 256 bytes; for cmps/scas (arg 1: cmps, 2: scas) a run of
 * elements that compare equal. arg2 is the element size. */
static int fix_string(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		      unsigned n)
{
	uint64_t base = (uint64_t)(uintptr_t)dbuf();
	unsigned size = (unsigned)f->arg2;
	bool down = s->rflags & FL_DF;
	uint64_t si = (down ? 320 : 64) + drand() % 64, di = (down ? 900 : 512) + drand() % 64;
	if ((drand() & 3) == 0)
		di = si + (drand() % 17) - 8;
	uint64_t count = (drand() % 5) ? drand() % 10 : drand() % (256 / size + 1);
	s->r[R_RSI] = base + si;
	s->r[R_RDI] = base + di;
	s->r[R_RCX] = count;
	if (f->arg) {
		int64_t step = down ? -(int64_t)size : (int64_t)size;
		uint64_t run = drand() % (count + 2);
		for (uint64_t j = 0; j < run; j++) {
			for (unsigned b = 0; b < size; b++) {
				uint64_t o = (uint64_t)(step * (int64_t)j) + b;
				mem[di + o] = f->arg == 2 ? (uint8_t)(s->r[R_RAX] >> (8 * b)) : mem[si + o];
			}
		}
	}
	return DF_RUN;
}

static void test_string(void)
{
	static const struct { const char *mn; uint8_t op; bool cmp; } so[] = {
		{ "movs", 0xa4, false }, { "cmps", 0xa6, true }, { "stos", 0xaa, false },
		{ "lods", 0xac, false }, { "scas", 0xae, true },
	};
	static const char sfx[4] = { 'b', 'w', 'd', 'q' };
	char name[56];
	for (unsigned k = 0; k < 5; k++) {
		for (int i = 0; i < 4; i++) {
			for (int rep = 0; rep < (so[k].cmp ? 3 : 2); rep++) {
				int size = sizes[i];
				char op[2] = { (char)(so[k].op + (size > 1)), 0 };
				const char *pre = rep == 0 ? "" : rep == 1 ? "\xf3" : "\xf2";
				char pf[4];
				snprintf(pf, sizeof pf, "%s%s", pre, dsz_pfx(size));
				snprintf(name, sizeof name, "%s%s%c", rep == 0 ? "" : rep == 2 ? "repne " :
					 so[k].cmp ? "repe " : "rep ", so[k].mn, sfx[i]);
				struct dform *f = dform_new(name, "");
				struct enc e = { .pfx = pf, .w = size == 8, .op = op, .oplen = 1, .nomodrm = true };
				enc_emit(f, &e);
				dform_in(f, DI_GPR, R_RAX, size, 0);
				f->fix = fix_string, f->arg = so[k].op == 0xae ? 2 : so[k].cmp;
				f->arg2 = size;
				f->show = 1u << R_RCX | 1u << R_RSI | 1u << R_RDI;
				f->flags_def = FL_ARITH;
				f->df = true;
				f->ncases = 500;
			}
		}
	}
	dform_run_all("string");
}

/* ---- fs/gs-relative operands ---- */

static uint64_t host_fs, host_gs;

static int fix_seg(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		   unsigned n)
{
	eh_cpu()->segbase[SEG_FS] = host_fs;
	eh_cpu()->segbase[SEG_GS] = host_gs;
	s->r[f->mem_base] -= f->arg ? host_gs : host_fs;
	return DF_RUN;
}

static void test_seg(void)
{
	static const struct { const char *name, *op; int size; bool load; } ops[] = {
		{ "mov r64, fs:m64", "\x8b", 8, true }, { "mov fs:m32, r32", "\x89", 4, false },
		{ "add r32, fs:m32", "\x03", 4, true }, { "movzx r32, fs:m8", "\x0f\xb6", 4, true },
		{ "cmp fs:m16, r16", "\x39", 2, false }, { "mov r64, gs:m64", "\x8b", 8, true },
	};
	syscall(SYS_arch_prctl, ARCH_GET_FS, &host_fs);
	syscall(SYS_arch_prctl, ARCH_GET_GS, &host_gs);
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		uint32_t used = 0;
		int r = dpick(&used, ops[i].size, false, false);
		bool gs = i == 5;
		struct dform *f = dform_m(ops[i].name, ops[i].size, gs ? "\x65" : "\x64", ops[i].op, 0, r,
					  i % 3 == 2 ? 2 : i % 2, used, 0, 0);
		f->fix = fix_seg, f->arg = gs;
		f->flags_def = FL_ARITH;
		f->ncases = 300;
	}
	dform_run_all("fs/gs");
}

void register_insn_intx_tests(void)
{
	CU_pSuite s = CU_add_suite("insn_intx", NULL, diff_suite_cleanup);
	CU_add_test(s, "bt/bts/btr/btc vs cpu", test_bits);
	CU_add_test(s, "bsf/bsr/bswap vs cpu", test_scan_bswap);
	CU_add_test(s, "setcc/cmovcc/jcc after flag setters vs cpu", test_cond);
	CU_add_test(s, "mov/movzx/movsx/movsxd vs cpu", test_mov);
	CU_add_test(s, "xchg/cmpxchg/cmpxchg8b/16b/xadd vs cpu", test_xchg);
	CU_add_test(s, "lea vs cpu", test_lea);
	CU_add_test(s, "cbw family, flag ops, nops vs cpu", test_misc);
	CU_add_test(s, "string instructions vs cpu", test_string);
	CU_add_test(s, "fs/gs-relative operands vs cpu", test_seg);
}
