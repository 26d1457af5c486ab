/* x87 instructions against the CPU. Every register form of d8..df and every memory form
 * (with and without a 66 prefix where it changes the layout), fxsave/fxrstor in both widths,
 * run natively and in the interpreter from the same code at the same address on the same
 * random state: stacks of every depth (so stack faults happen), every precision and rounding
 * control, masked and unmasked exceptions, operands from every class (zeros, denormals,
 * pseudo-denormals, unnormals, infinities, quiet and signalling NaNs, out-of-range angles).
 * Compared: the fxsave image (but FIP/FDP/FOP, which this CPU family may leave zero there),
 * the fnstenv image taken right after the instruction (with FIP, FOP and FDP), memory, rax and
 * the arithmetic flags. Then the SIGFPE of a pending unmasked exception, which only the
 * interpreter can be asked to raise.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "emu_harness.h"
#include "../../emu/block.h"
#include "../../emu/x87.h"

/* The context block rbx points at while the code runs. */
enum {
	CX_IN = 0,        /* fxsave64 image loaded before the instruction */
	CX_OUT = 512,     /* fxsave64 image stored after it */
	CX_DATA = 1024,   /* memory operands: [rbx + 1024] */
	CX_HOST = 1536,   /* the host's own state, native run */
	CX_FLAGS_IN = 2048, CX_FLAGS_OUT = 2056, CX_RAX_OUT = 2064, CX_RAX_IN = 2072,
	CX_ENV = 2080,    /* fnstenv image after the instruction */
	CX_SIZE = 2112,
	DATA_SIZE = 512,
};

static uint8_t ctx[CX_SIZE] __attribute__((aligned(64)));
static uint8_t *code;
static uint64_t code_start, code_stop;

/* ---- random values ---- */

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void put80(uint8_t *p, uint64_t mant, uint16_t se)
{
	memcpy(p, &mant, 8);
	memcpy(p + 8, &se, 2);
}

/* An 80-bit operand of a random class. */
static void gen80(uint8_t *p)
{
	uint64_t m = rnd();
	uint16_t s = (uint16_t)(rnd() & 0x8000);
	switch (rnd() % 18) {
	case 0: put80(p, 0, s); break;
	case 1: put80(p, (m >> 1) >> (rnd() % 63), s); break;                    /* denormal */
	case 2: put80(p, 1ull << 63, s | 0x7fff); break;                           /* infinity */
	case 3: put80(p, m | 3ull << 62, s | 0x7fff); break;                       /* QNaN */
	case 4: put80(p, (m & ~(1ull << 62)) | 1ull << 63 | 1, s | 0x7fff); break; /* SNaN */
	case 5: /* unsupported: unnormal, pseudo-NaN, pseudo-infinity; pseudo-denormal */
		put80(p, m & ~(1ull << 63), (uint16_t)(s | (rnd() & 1 ? 0x7fff : 1 + rnd() % 0x7ffe)));
		if (rnd() & 1)
			put80(p, m | 1ull << 63, s);
		break;
	case 6: { /* small integers and halves */
		int64_t n = (int64_t)(rnd() % 4001) - 2000;
		long double v = (long double)n + (rnd() & 1 ? 0.5L : 0.0L);
		memcpy(p, &v, 10);
		break;
	}
	case 7: put80(p, m | 1ull << 63, (uint16_t)(s | (0x3fff + 63 + rnd() % 30))); break;
	case 8: put80(p, m | 1ull << 63, (uint16_t)(s | (1 + rnd() % 40))); break;
	case 9: put80(p, m | 1ull << 63, (uint16_t)(s | (0x7ffe - rnd() % 40))); break;
	case 10: put80(p, m | 1ull << 63, (uint16_t)(s | (0x3fff + 40 + rnd() % 40))); break;
	case 11: { /* exactly representable in a double or float: stores do not round */
		long double v = (long double)(double)((int64_t)(rnd() % 2000001) - 1000000) / 1024;
		memcpy(p, &v, 10);
		break;
	}
	default: put80(p, m | 1ull << 63, (uint16_t)(s | (0x3fff - 20 + rnd() % 40))); break;
	}
}

static uint64_t gen_int(unsigned bits)
{
	uint64_t sign = 1ull << (bits - 1), mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return mask;                  /* -1 */
	case 2: return sign;                  /* minimum */
	case 3: return sign - 1;              /* maximum */
	case 4: return rnd() % 200;
	case 5: return -(rnd() % 200) & mask;
	default: return rnd() & mask;
	}
}

/* A float (bits 32) or double (64) of a random class. */
static uint64_t gen_fp(unsigned bits)
{
	unsigned ebits = bits == 32 ? 8 : 11, fbits = bits - 1 - ebits;
	uint64_t emax = (1ull << ebits) - 1, frac = rnd() & ((1ull << fbits) - 1);
	uint64_t sign = (rnd() & 1) << (bits - 1), e;
	switch (rnd() % 8) {
	case 0: return sign;
	case 1: return sign | (frac ? frac : 1);                               /* denormal */
	case 2: return sign | emax << fbits;                                   /* infinity */
	case 3: return sign | emax << fbits | 1ull << (fbits - 1) | frac;     /* QNaN */
	case 4: return sign | emax << fbits | ((frac >> 1) | 1);              /* SNaN */
	default: e = emax / 2 - 30 + rnd() % 60; return sign | e << fbits | frac;
	}
}

static void gen_bcd(uint8_t *p)
{
	for (int i = 0; i < 9; i++)
		p[i] = rnd() % 8 ? (uint8_t)((rnd() % 10) | (rnd() % 10) << 4) : (uint8_t)rnd();
	p[9] = rnd() & 1 ? 0x80 : 0;
}

/* ---- the state before the instruction ---- */

enum mkind { MK_NONE, MK_F32, MK_F64, MK_F80, MK_I16, MK_I32, MK_I64, MK_BCD, MK_FXIMG };

struct form {
	char name[48];
	uint8_t bytes[8];
	const uint8_t *seq; /* longer code (a sequence) instead of bytes */
	unsigned len;
	enum mkind mem;
	unsigned need;    /* stack operands it reads */
	bool push;        /* it pushes (test full stacks) */
	bool fxsave;      /* it stores an fxsave image: FOP FIP FDP are not compared */
	bool multi;       /* a sequence: exceptions stay masked (a later op would trap) */
};

/* An fxsave64 image: random control word and condition bits, flags only where masked (so
 * nothing is pending), `depth` registers in use from a random TOP, random contents. */
static void gen_image(uint8_t *img, const struct form *f, bool may_unmask)
{
	memset(img, 0, 512);
	uint16_t fcw = (uint16_t)(0x7f | (rnd() & 0x1f00));
	if (may_unmask && rnd() % 4 == 0)
		fcw &= (uint16_t)~(rnd() & 0x3f);
	unsigned depth, r = (unsigned)(rnd() % 20);
	if (r < 3)
		depth = (unsigned)(rnd() % (f->need + 1));
	else if (r < 5 || (f->push && r < 7))
		depth = 8 - (unsigned)(rnd() % 2);
	else
		depth = f->need + (unsigned)(rnd() % 3);
	if (depth > 8)
		depth = 8;
	unsigned top = (unsigned)(rnd() & 7);
	uint16_t fsw = (uint16_t)((rnd() & FSW_CC) | (rnd() & fcw & FSW_EXC) | top << 11);
	uint8_t tags = 0;
	for (unsigned i = 0; i < depth; i++)
		tags |= (uint8_t)(1u << ((top + i) & 7));
	memcpy(img, &fcw, 2);
	memcpy(img + 2, &fsw, 2);
	img[4] = tags;
	uint32_t mxcsr = 0x1f80;
	memcpy(img + 24, &mxcsr, 4);
	for (unsigned i = 0; i < 8; i++)
		gen80(img + 32 + 16 * i);
	for (unsigned i = 0; i < 64; i++)
		img[160 + i] = (uint8_t)rnd();
}

static void gen_data(uint8_t *d, const struct form *f)
{
	for (unsigned i = 0; i < DATA_SIZE; i++)
		d[i] = (uint8_t)rnd();
	uint64_t v;
	switch (f->mem) {
	case MK_F32: v = gen_fp(32); memcpy(d, &v, 4); break;
	case MK_F64: v = gen_fp(64); memcpy(d, &v, 8); break;
	case MK_F80: gen80(d); break;
	case MK_I16: v = gen_int(16); memcpy(d, &v, 2); break;
	case MK_I32: v = gen_int(32); memcpy(d, &v, 4); break;
	case MK_I64: v = gen_int(64); memcpy(d, &v, 8); break;
	case MK_BCD: gen_bcd(d); break;
	case MK_FXIMG: gen_image(d, f, true); break;
	default: break;
	}
}

/* ---- the code: prologue, the form, fnstenv, fxsave64, epilogue ---- */

static unsigned emit(uint8_t *p, const char *bytes, unsigned n, int32_t disp, bool has_disp)
{
	memcpy(p, bytes, n);
	if (has_disp)
		memcpy(p + n, &disp, 4);
	return n + (has_disp ? 4 : 0);
}
#define E(str) (n += emit(code + n, str, sizeof(str) - 1, 0, false))
#define ED(str, d) (n += emit(code + n, str, sizeof(str) - 1, (d), true))

static void place(const struct form *f)
{
	unsigned n = 0;
	E("\x53\x55\x48\x89\xfb");                   /* push rbx; push rbp; mov rbx, rdi */
	ED("\x48\x0f\xae\x83", CX_HOST);             /* fxsave64 [rbx+host] */
	ED("\x48\x8b\x83", CX_RAX_IN);               /* mov rax, [rbx+rax_in] */
	ED("\xff\xb3", CX_FLAGS_IN);                 /* push [rbx+flags_in] */
	E("\x9d\xdb\xe3");                           /* popfq; fninit (FIP = 0) */
	code_start = (uint64_t)(uintptr_t)(code + n);
	E("\x48\x0f\xae\x0b");                       /* fxrstor64 [rbx] */
	memcpy(code + n, f->seq ? f->seq : f->bytes, f->len);
	n += f->len;
	ED("\xd9\xb3", CX_ENV);                      /* fnstenv [rbx+env] */
	ED("\x48\x0f\xae\x83", CX_OUT);              /* fxsave64 [rbx+out] */
	E("\xeb\x00");                               /* jmp next: ends the block */
	code_stop = (uint64_t)(uintptr_t)(code + n);
	E("\x9c");                                   /* pushfq */
	ED("\x8f\x83", CX_FLAGS_OUT);                /* pop [rbx+flags_out] */
	ED("\x48\x89\x83", CX_RAX_OUT);              /* mov [rbx+rax_out], rax */
	ED("\x48\x0f\xae\x8b", CX_HOST);             /* fxrstor64 [rbx+host] */
	E("\x5d\x5b\xc3");                           /* pop rbp; pop rbx; ret */
	blk_invalidate((uint64_t)(uintptr_t)code, (uint64_t)(uintptr_t)code + 4096);
}

struct result {
	uint8_t out[512], env[28], data[DATA_SIZE];
	uint64_t flags, rax;
	enum cpu_exit exit;
	int signo;
};

static void run_native(struct result *r)
{
	((void (*)(void *))(void *)code)(ctx);
	memcpy(r->out, ctx + CX_OUT, 512);
	memcpy(r->env, ctx + CX_ENV, 28);
	memcpy(r->data, ctx + CX_DATA, DATA_SIZE);
	memcpy(&r->flags, ctx + CX_FLAGS_OUT, 8);
	memcpy(&r->rax, ctx + CX_RAX_OUT, 8);
	r->exit = EXIT_NONE;
	r->signo = 0;
}

static void run_interp(struct result *r)
{
	uint64_t flags, rax;
	uint16_t host_cw;
	memcpy(&flags, ctx + CX_FLAGS_IN, 8);
	memcpy(&rax, ctx + CX_RAX_IN, 8);
	eh_reset();
	eh_set_reg(R_RBX, (uint64_t)(uintptr_t)ctx);
	eh_set_reg(R_RAX, rax);
	eh_set_flags(flags);
	__asm__ volatile("fnstcw %0\n\tfnclex" : "=m"(host_cw));
	r->exit = eh_run(code_start, code_stop);
	__asm__ volatile("fldcw %0" : : "m"(host_cw));
	r->signo = eh_cpu()->fault.signo;
	memcpy(r->out, ctx + CX_OUT, 512);
	memcpy(r->env, ctx + CX_ENV, 28);
	memcpy(r->data, ctx + CX_DATA, DATA_SIZE);
	r->flags = eh_flags();
	r->rax = eh_reg(R_RAX);
}

static void hex(const char *what, const uint8_t *p, unsigned n)
{
	printf("      %-7s", what);
	for (unsigned i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* An fxsave image, briefly: control, status, tags, then st(0).. as sign-exponent:mantissa. */
static void show_image(const char *what, const uint8_t *p)
{
	uint16_t cw, sw, se;
	uint64_t m;
	memcpy(&cw, p, 2);
	memcpy(&sw, p + 2, 2);
	printf("      %-7sfcw %04x fsw %04x ftw %02x |", what, cw, sw, p[4]);
	for (unsigned i = 0; i < 8; i++) {
		memcpy(&m, p + 32 + 16 * i, 8);
		memcpy(&se, p + 40 + 16 * i, 2);
		unsigned phys = ((sw >> 11) + i) & 7;
		printf(" %s%04x:%016llx", p[4] >> phys & 1 ? "" : "-", se, (unsigned long long)m);
		if (i == 3)
			printf("\n%42s", "");
	}
	printf("\n");
}

/* Compare two results; print the first failures of a form. */
static bool same(const struct form *f, const struct result *a, const struct result *b,
		 unsigned *shown)
{
	uint8_t ao[512], bo[512];
	memcpy(ao, a->out, 512);
	memcpy(bo, b->out, 512);
	memset(ao + 6, 0, 18);   /* FOP FIP FDP: the environment image has them */
	memset(bo + 6, 0, 18);
	uint8_t ad[DATA_SIZE], bd[DATA_SIZE];
	memcpy(ad, a->data, DATA_SIZE);
	memcpy(bd, b->data, DATA_SIZE);
	if (f->fxsave) {
		memset(ad + 6, 0, 18);
		memset(bd + 6, 0, 18);
	}
	/* The kernel saves and restores the FPU when it switches tasks, with the 64-bit xsave
	 * that has no FCS and FDS, and on CPUs whose xsave keeps FIP, FOP and FDP only while an
	 * exception is pending, not those either: a switch between the instruction and fnstenv
	 * leaves them zero natively. */
	uint8_t benv[28];
	memcpy(benv, b->env, 28);
	static const uint8_t zero[16];
	if (!memcmp(a->env + 12, zero, 14))
		memset(benv + 12, 0, 14);
	if (!memcmp(a->env + 16, zero, 2) && !memcmp(a->env + 24, zero, 2)) {
		memset(benv + 16, 0, 2);
		memset(benv + 24, 0, 2);
	}
	bool ok = b->exit == EXIT_NONE && !memcmp(ao, bo, 416) && !memcmp(a->env, benv, 28) &&
		  !memcmp(ad, bd, DATA_SIZE) && a->rax == b->rax &&
		  !((a->flags ^ b->flags) & FL_ARITH);
	if (ok || (*shown)++ >= 3)
		return ok;
	printf("\n    %s:", f->name);
	for (unsigned i = 0; i < f->len && !f->seq; i++)
		printf(" %02x", f->bytes[i]);
	printf("  exit %d signal %d\n", b->exit, b->signo);
	show_image("in", ctx + CX_IN);
	if (f->mem != MK_NONE)
		hex("data", ctx + CX_DATA, f->mem == MK_FXIMG ? 32 : 16);
	show_image("native", a->out);
	show_image("interp", b->out);
	if (memcmp(a->env, b->env, 28)) {
		hex("n.env", a->env, 28);
		hex("i.env", b->env, 28);
	}
	if (memcmp(ad, bd, DATA_SIZE)) {
		hex("n.data", a->data, 32);
		hex("i.data", b->data, 32);
	}
	if (memcmp(ao + 160, bo + 160, 256))
		printf("      xmm differ\n");
	if (a->rax != b->rax || ((a->flags ^ b->flags) & FL_ARITH))
		printf("      flags %llx / %llx, rax %llx / %llx\n", (unsigned long long)a->flags,
		       (unsigned long long)b->flags, (unsigned long long)a->rax,
		       (unsigned long long)b->rax);
	return false;
}

static unsigned forms_run, cases_run, forms_failed;

/* Run one form on `ncases` random states; single instructions may meet unmasked
 * exceptions (nothing after them waits, so the native run never traps). */
static void check_form(const struct form *f, unsigned ncases)
{
	static struct result a, b;
	uint8_t in[CX_SIZE];
	unsigned bad = 0, shown = 0;
	place(f);
	for (unsigned c = 0; c < ncases; c++) {
		gen_image(ctx + CX_IN, f, !f->multi);
		gen_data(ctx + CX_DATA, f);
		uint64_t flags = 0x202 | (rnd() & FL_ARITH), rax = rnd();
		memcpy(ctx + CX_FLAGS_IN, &flags, 8);
		memcpy(ctx + CX_RAX_IN, &rax, 8);
		memset(ctx + CX_ENV, 0, 28);
		memcpy(in, ctx, CX_SIZE);
		run_native(&a);
		memcpy(ctx, in, CX_SIZE);
		run_interp(&b);
		if (!same(f, &a, &b, &shown))
			bad++;
		memcpy(ctx, in, CX_SIZE);
	}
	forms_run++;
	cases_run += ncases;
	if (bad) {
		forms_failed++;
		printf("\n    %s: %u of %u cases differ\n", f->name, bad, ncases);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* ---- the forms ---- */

static const char *const d8_names[8] = { "fadd", "fmul", "fcom", "fcomp",
					 "fsub", "fsubr", "fdiv", "fdivr" };

/* Register forms the CPU rejects (#UD). */
static bool reg_form_valid(unsigned opc, unsigned modrm)
{
	unsigned reg = modrm >> 3 & 7, rm = modrm & 7;
	switch (opc) {
	case 0xd9:
		return !(reg == 2 && rm) && modrm != 0xe2 && modrm != 0xe3 && modrm != 0xe6 &&
		       modrm != 0xe7 && modrm != 0xef;
	case 0xda: return reg < 4 || modrm == 0xe9;
	case 0xdb: return reg != 7 && !(reg == 4 && rm > 4);
	case 0xdd: return reg < 6;
	case 0xde: return reg != 3 || rm == 1;
	case 0xdf: return reg != 7 && !(reg == 4 && rm);
	default: return true;
	}
}

static void test_register_forms(void)
{
	for (unsigned opc = 0xd8; opc <= 0xdf; opc++)
		for (unsigned modrm = 0xc0; modrm <= 0xff; modrm++) {
			if (!reg_form_valid(opc, modrm))
				continue;
			struct form f = { .bytes = { (uint8_t)opc, (uint8_t)modrm }, .len = 2,
					  .need = 2, .push = true };
			snprintf(f.name, sizeof f.name, "%02x %02x", opc, modrm);
			if (opc == 0xd8 || opc == 0xdc)
				snprintf(f.name, sizeof f.name, "%s %02x %02x",
					 d8_names[modrm >> 3 & 7], opc, modrm);
			check_form(&f, 300);
		}
}

/* Memory forms at [rbx + 1024]: what each reads. */
static enum mkind mem_kind(unsigned opc, unsigned reg, bool *valid)
{
	static const enum mkind d9[8] = { MK_F32, 0, 0, 0, MK_NONE, MK_I16, 0, 0 };
	static const enum mkind db[8] = { MK_I32, 0, 0, 0, 0, MK_F80, 0, 0 };
	static const enum mkind dd[8] = { MK_F64, 0, 0, 0, MK_NONE, 0, 0, 0 };
	static const enum mkind df[8] = { MK_I16, 0, 0, 0, MK_BCD, MK_I64, 0, 0 };
	*valid = true;
	switch (opc) {
	case 0xd8: return MK_F32;
	case 0xda: return MK_I32;
	case 0xdc: return MK_F64;
	case 0xde: return MK_I16;
	case 0xd9: *valid = reg != 1; return d9[reg];
	case 0xdb: *valid = reg != 1 && reg != 4 && reg != 6; return db[reg];
	case 0xdd: *valid = reg != 1 && reg != 5; return dd[reg];
	default: *valid = reg != 1; return df[reg];
	}
}

static void test_memory_forms(void)
{
	for (unsigned opc = 0xd8; opc <= 0xdf; opc++)
		for (unsigned reg = 0; reg < 8; reg++) {
			bool valid;
			enum mkind k = mem_kind(opc, reg, &valid);
			if (!valid)
				continue;
			bool image = (opc == 0xd9 || opc == 0xdd) && (reg == 4 || reg == 6);
			for (unsigned p66 = 0; p66 <= image; p66++) {
				struct form f = { .mem = k, .need = 1, .push = true };
				unsigned n = 0;
				if (p66)
					f.bytes[n++] = 0x66;
				f.bytes[n++] = (uint8_t)opc;
				f.bytes[n++] = (uint8_t)(0x83 | reg << 3);
				int32_t disp = CX_DATA;
				memcpy(f.bytes + n, &disp, 4);
				f.len = n + 4;
				snprintf(f.name, sizeof f.name, "%s%02x /%u m", p66 ? "66 " : "", opc, reg);
				check_form(&f, 400);
			}
		}
}

static void test_fxsave_fxrstor(void)
{
	static const struct { const char *name; uint8_t b[8]; unsigned len; enum mkind k; } fx[] = {
		{ "fxsave m512", { 0x0f, 0xae, 0x83 }, 3, MK_NONE },
		{ "fxsave64 m512", { 0x48, 0x0f, 0xae, 0x83 }, 4, MK_NONE },
		{ "fxrstor m512", { 0x0f, 0xae, 0x8b }, 3, MK_FXIMG },
		{ "fxrstor64 m512", { 0x48, 0x0f, 0xae, 0x8b }, 4, MK_FXIMG },
	};
	for (unsigned i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		struct form f = { .len = fx[i].len + 4, .mem = fx[i].k, .need = 2,
				  .fxsave = fx[i].k == MK_NONE };
		snprintf(f.name, sizeof f.name, "%s", fx[i].name);
		memcpy(f.bytes, fx[i].b, fx[i].len);
		int32_t disp = CX_DATA;
		memcpy(f.bytes + fx[i].len, &disp, 4);
		check_form(&f, 300);
	}
}

/* ---- sequences as libm and compilers write them ---- */

#define SEQ(name, text)                                                   \
	".globl x87seq_" #name "\n.hidden x87seq_" #name "\nx87seq_" #name ":\n\t" \
	text "\n.globl x87seq_" #name "_end\n.hidden x87seq_" #name "_end\n" \
	"x87seq_" #name "_end:\n"

__asm__(".pushsection .rodata\n"
	SEQ(exp, "fldl2e\n\tfmulp\n\tfld %st(0)\n\tfrndint\n\tfsubr %st, %st(1)\n\tfxch\n\t"
		 "f2xm1\n\tfld1\n\tfaddp\n\tfscale\n\tfstp %st(1)")
	SEQ(log, "fldln2\n\tfxch\n\tfyl2x")
	SEQ(fmod, "1: fprem\n\tfnstsw %ax\n\ttestw $0x400, %ax\n\tjnz 1b\n\tfstp %st(1)")
	SEQ(fmod1, "1: fprem1\n\tfnstsw %ax\n\ttestw $0x400, %ax\n\tjnz 1b\n\tfstp %st(1)")
	SEQ(cmp, "fucomip %st(1), %st\n\tfstp %st(0)\n\tsetp %al\n\tseta %ah")
	SEQ(cmp2, "fcomi %st(1), %st\n\tfcmovb %st(1), %st\n\tfcmovnu %st(1), %st\n\tfstp %st(1)")
	SEQ(ints, "fld %st(0)\n\tfistpll 1024(%rbx)\n\tfildll 1024(%rbx)\n\tfstpt 1040(%rbx)\n\t"
		  "fld %st(0)\n\tfistpl 1056(%rbx)\n\tfilds 1056(%rbx)\n\tfistps 1058(%rbx)")
	SEQ(stores, "fsts 1024(%rbx)\n\tflds 1024(%rbx)\n\tfstpl 1032(%rbx)\n\tfldl 1032(%rbx)\n\t"
		    "fmul %st(1), %st\n\tfstpt 1040(%rbx)\n\tfldt 1040(%rbx)")
	SEQ(trunc, "fnstcw 1024(%rbx)\n\tmovw 1024(%rbx), %ax\n\torw $0xc00, %ax\n\t"
		   "movw %ax, 1026(%rbx)\n\tfldcw 1026(%rbx)\n\tfistl 1028(%rbx)\n\tfldcw 1024(%rbx)")
	SEQ(asin, "fld %st(0)\n\tfmul %st(0), %st\n\tfld1\n\tfsubp\n\tfsqrt\n\tfpatan")
	SEQ(trig, "fsincos\n\tfxch\n\tfptan\n\tfstp %st(0)\n\tfsin\n\tfcos\n\tfpatan")
	SEQ(xam, "fxam\n\tfnstsw %ax\n\tandb $0x45, %ah\n\tftst\n\tfstsw 1024(%rbx)")
	SEQ(sticky, "fld1\n\tfldz\n\tfdivrp\n\tfld1\n\tfldpi\n\tfmulp\n\tfstp %st(0)\n\t"
		    "fstp %st(0)\n\tfld1\n\tfadd %st(0), %st")
	SEQ(clex, "fld1\n\tfldz\n\tfdivrp\n\tfnclex\n\tfld1\n\tfld1\n\tfaddp\n\tfldpi\n\tfdivp")
	SEQ(init, "fldpi\n\tfdiv %st(1), %st\n\tfninit\n\tfld1\n\tfldl2t\n\tfdivrp")
	SEQ(env, "fnstenv 1024(%rbx)\n\tfldpi\n\tfdiv %st(1), %st\n\tfldenv 1024(%rbx)\n\t"
		 "fldlg2\n\tfdiv %st(2), %st")
	SEQ(save, "fnsave 1024(%rbx)\n\tfldpi\n\tfld1\n\tfdivp\n\tfrstor 1024(%rbx)\n\tfldln2\n\t"
		  "fsub %st(2), %st")
	SEQ(fx, "fxsave64 1024(%rbx)\n\tfldpi\n\tfld1\n\tfdivp\n\tfxrstor64 1024(%rbx)\n\tfldln2\n\t"
		"fsub %st(2), %st\n\tfxsave 1024(%rbx)")
	SEQ(stack, "fdecstp\n\tffree %st(0)\n\tfincstp\n\tfincstp\n\tfld %st(3)\n\tfxch %st(2)\n\t"
		   "fstp %st(5)\n\tffreep %st(1)")
	SEQ(bcd, "fbstp 1024(%rbx)\n\tfbld 1024(%rbx)\n\tfchs\n\tfabs\n\tfxtract\n\tfscale")
	".popsection\n");

#define SEQ_DECL(name) extern const uint8_t x87seq_##name[], x87seq_##name##_end[];
#define SEQ_LIST(X) X(exp) X(log) X(fmod) X(fmod1) X(cmp) X(cmp2) X(ints) X(stores) X(trunc) \
	X(asin) X(trig) X(xam) X(sticky) X(clex) X(init) X(env) X(save) X(fx) X(stack) X(bcd)
SEQ_LIST(SEQ_DECL)

static void test_sequences(void)
{
#define SEQ_FORM(name) { #name, x87seq_##name, x87seq_##name##_end },
	static const struct { const char *name; const uint8_t *start, *end; } seq[] = {
		SEQ_LIST(SEQ_FORM)
	};
	for (unsigned i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		struct form f = { .need = 2, .multi = true, .seq = seq[i].start,
				  .len = (unsigned)(seq[i].end - seq[i].start),
				  .fxsave = !strcmp(seq[i].name, "fx") };
		snprintf(f.name, sizeof f.name, "sequence %s", seq[i].name);
		check_form(&f, 300);
	}
}

/* ---- SIGFPE from a pending unmasked exception (interpreter only) ---- */

struct fpe_case {
	const char *name;
	const char *code;      /* the sequence; the last instruction is the one that traps */
	unsigned len, trap_at; /* offset of the trapping instruction */
	int si_code;
};

static void test_sigfpe(void)
{
	/* fldcw [rbx+1024] with the control word in the data, then the rest. */
	static const struct fpe_case cases[] = {
		{ "1/0 then fwait", "\xd9\xab\x00\x04\x00\x00\xd9\xe8\xd9\xee\xde\xf9\x9b",
		  13, 12, FPE_FLTDIV },
		{ "1/0 then fld1", "\xd9\xab\x00\x04\x00\x00\xd9\xe8\xd9\xee\xde\xf9\xd9\xe8",
		  14, 12, FPE_FLTDIV },
		{ "sqrt(-1) then fnstsw; fwait", "\xd9\xab\x00\x04\x00\x00\xd9\xe8\xd9\xe0\xd9\xfa"
		  "\xdf\xe0\x9b", 15, 14, FPE_FLTINV },
		{ "stack underflow then fwait", "\xd9\xab\x00\x04\x00\x00\xd8\xc1\x9b", 9, 8,
		  FPE_FLTINV },
		{ "1/3 inexact then fwait", "\xd9\xab\x00\x04\x00\x00\xd9\xe8\xd9\xe8\xd9\xe8\xd9\xe8"
		  "\xde\xc1\xde\xc1\xde\xf9\x9b", 21, 20, FPE_FLTRES },
	};
	static const uint16_t cws[] = { 0x37b, 0x37b, 0x37e, 0x37e, 0x35f };
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct fpe_case *c = &cases[i];
		unsigned n = 0;
		memcpy(code, c->code, c->len);
		n = c->len;
		E("\xeb\x00");
		blk_invalidate((uint64_t)(uintptr_t)code, (uint64_t)(uintptr_t)code + 4096);
		memcpy(ctx + CX_DATA, &cws[i], 2);
		eh_reset();
		eh_set_reg(R_RBX, (uint64_t)(uintptr_t)ctx);
		uint16_t host_cw;
		__asm__ volatile("fnstcw %0" : "=m"(host_cw));
		enum cpu_exit e = eh_run((uint64_t)(uintptr_t)code, (uint64_t)(uintptr_t)code + n);
		__asm__ volatile("fldcw %0" : : "m"(host_cw));
		const struct cpu *cpu = eh_cpu();
		uint64_t at = (uint64_t)(uintptr_t)code + c->trap_at;
		bool ok = e == EXIT_FAULT && cpu->fault.signo == SIGFPE &&
			  cpu->fault.code == c->si_code && cpu->fault.addr == at && cpu->rip == at;
		if (!ok)
			printf("\n    %s: exit %d signal %d code %d at %llx (want SIGFPE %d at %llx)\n",
			       c->name, e, cpu->fault.signo, cpu->fault.code,
			       (unsigned long long)cpu->rip, c->si_code, (unsigned long long)at);
		CU_ASSERT(ok);
	}
}

static int suite_init(void)
{
	const char *s = getenv("SFDEMU_X87_SEED");
	if (s && *s)
		seed = strtoull(s, NULL, 0) | 1;
	eh_init();
	code = eh_map(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	return 0;
}

static void test_summary(void)
{
	printf("\n    x87: %u forms, %u cases against the CPU, %u forms differ\n", forms_run,
	       cases_run, forms_failed);
	CU_ASSERT(forms_run > 0);
}

void register_x87_tests(void)
{
	CU_pSuite s = CU_add_suite("x87", suite_init, NULL);
	if (!s)
		return;
	CU_add_test(s, "x87 register forms against the CPU", test_register_forms);
	CU_add_test(s, "x87 memory forms against the CPU", test_memory_forms);
	CU_add_test(s, "fxsave/fxrstor against the CPU", test_fxsave_fxrstor);
	CU_add_test(s, "x87 sequences against the CPU", test_sequences);
	CU_add_test(s, "x87 unmasked exception: SIGFPE at the next waiting instruction", test_sigfpe);
	CU_add_test(s, "x87 summary", test_summary);
}
