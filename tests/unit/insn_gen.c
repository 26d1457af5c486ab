/* The differential test's generators: the native trampoline, the seeded random source, edge
 * values for integers and floats, and a small x86-64 encoder for ModRM forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "insn_diff.h"

/* diff_native_call(struct dstate *s): load every GPR but rsp, xmm0-15, MXCSR and RFLAGS from
 * *s, call the code at diff_native_target, store them all back, and return with the host's
 * callee-saved registers, MXCSR and DF restored. Offsets follow struct dstate. */
void *diff_native_target;
_Static_assert(__builtin_offsetof(struct dstate, rflags) == 128, "dstate layout");
_Static_assert(__builtin_offsetof(struct dstate, mxcsr) == 136, "dstate layout");
_Static_assert(__builtin_offsetof(struct dstate, xmm) == 144, "dstate layout");

#define XMM_LD(n) "movdqu 144+16*" #n "(%rdi), %xmm" #n "\n\t"
#define XMM_ST(n) "movdqu %xmm" #n ", 144+16*" #n "(%rdi)\n\t"
#define XMM_ALL(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) \
	M(14) M(15)
__asm__(".text\n\t"
	".p2align 4\n\t"
	".globl diff_native_call\n\t"
	".hidden diff_native_call\n\t"
	".type diff_native_call, @function\n"
	"diff_native_call:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
	"sub $8, %rsp\n\tstmxcsr (%rsp)\n\t"
	"push %rdi\n\t"
	"ldmxcsr 136(%rdi)\n\t"
	XMM_ALL(XMM_LD)
	"pushq 128(%rdi)\n\tpopfq\n\t"
	"mov 0(%rdi), %rax\n\tmov 8(%rdi), %rcx\n\tmov 16(%rdi), %rdx\n\tmov 24(%rdi), %rbx\n\t"
	"mov 40(%rdi), %rbp\n\tmov 48(%rdi), %rsi\n\tmov 64(%rdi), %r8\n\tmov 72(%rdi), %r9\n\t"
	"mov 80(%rdi), %r10\n\tmov 88(%rdi), %r11\n\tmov 96(%rdi), %r12\n\tmov 104(%rdi), %r13\n\t"
	"mov 112(%rdi), %r14\n\tmov 120(%rdi), %r15\n\tmov 56(%rdi), %rdi\n\t"
	"call *diff_native_target(%rip)\n\t"
	"pushfq\n\tpush %rdi\n\tmov 16(%rsp), %rdi\n\t"
	"mov %rax, 0(%rdi)\n\tmov %rcx, 8(%rdi)\n\tmov %rdx, 16(%rdi)\n\tmov %rbx, 24(%rdi)\n\t"
	"mov %rbp, 40(%rdi)\n\tmov %rsi, 48(%rdi)\n\tmov %r8, 64(%rdi)\n\tmov %r9, 72(%rdi)\n\t"
	"mov %r10, 80(%rdi)\n\tmov %r11, 88(%rdi)\n\tmov %r12, 96(%rdi)\n\tmov %r13, 104(%rdi)\n\t"
	"mov %r14, 112(%rdi)\n\tmov %r15, 120(%rdi)\n\t"
	"pop %rax\n\tmov %rax, 56(%rdi)\n\t"
	"pop %rax\n\tmov %rax, 128(%rdi)\n\t"
	XMM_ALL(XMM_ST)
	"stmxcsr 136(%rdi)\n\t"
	"add $8, %rsp\n\t"
	"ldmxcsr (%rsp)\n\tadd $8, %rsp\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
	"cld\n\t"
	"ret\n\t"
	".size diff_native_call, .-diff_native_call\n\t"
	".previous");

/* ---- random source ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

uint64_t drand(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* ---- integer edge values, per width ---- */

#define MAX_EDGE 40
static uint64_t edges[4][MAX_EDGE];
static unsigned nedges[4];

static unsigned width_index(unsigned bits)
{
	return bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
}

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static void edges_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	for (unsigned w = 0; w < 4; w++) {
		unsigned bits = 8u << w;
		uint64_t m = width_mask(bits), min = 1ull << (bits - 1);
		uint64_t cand[] = {
			0, 1, 2, 3, min, min + 1, min - 1, min - 2, m, m - 1, m - 2,
			0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull, 0x7f, 0x80, 0xff, 0x100,
			0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
			0x100000000ull, 0x0123456789abcdefull, min >> 1, 0x10, 0x40,
		};
		for (unsigned i = 0; i < sizeof cand / sizeof cand[0]; i++) {
			uint64_t v = cand[i] & m;
			bool dup = false;
			for (unsigned j = 0; j < nedges[w]; j++)
				dup |= edges[w][j] == v;
			if (!dup && nedges[w] < MAX_EDGE)
				edges[w][nedges[w]++] = v;
		}
	}
}

uint64_t dedge(unsigned bits, unsigned i, unsigned *count)
{
	edges_init();
	unsigned w = width_index(bits);
	if (count)
		*count = nedges[w];
	return edges[w][i % nedges[w]];
}

uint64_t dval(unsigned bits)
{
	edges_init();
	uint64_t r = drand(), m = width_mask(bits);
	switch (r & 7) {
	case 0: case 1: case 2:
		return drand() & m;
	case 3: case 4: case 5:
		return dedge(bits, (unsigned)(r >> 8), NULL);
	case 6: /* small, either sign */
		return ((r >> 8) & 1 ? (uint64_t)(r >> 16 & 63) : -(uint64_t)(r >> 16 & 63)) & m;
	default: { /* a power of two, or one off it */
		uint64_t p = 1ull << ((r >> 8) % bits);
		return (p + (uint64_t)((int)(r >> 16 & 3) - 1)) & m;
	}
	}
}

/* ---- float edge values ---- */

static const uint32_t f32_edges[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000,
	0xc0200000, 0x40400000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x00000001,
	0x007fffff, 0x80000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345,
	0xffc00000, 0x7f800001, 0x7fa00000, 0xff812345, 0x4f000000, 0xcf000000, 0x4effffff,
	0xcf000001, 0x4f800000, 0x5f000000, 0xdf000000, 0x5effffff, 0x5f800000, 0x3dcccccd,
	0x3eaaaaab, 0x477fff80, 0xbf000000, 0x3f800001, 0x46fffe00, 0xc7000080, 0x00400000,
};
static const uint64_t f64_edges[] = {
	0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
	0x3fe0000000000000ull, 0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
	0x7fefffffffffffffull, 0xffefffffffffffffull, 0x0010000000000000ull, 0x8010000000000000ull,
	0x0000000000000001ull, 0x000fffffffffffffull, 0x8000000000000001ull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff8000012345678ull, 0xfff8000000000000ull,
	0x7ff0000000000001ull, 0x7ff4000000000000ull, 0xfff0000000abcdefull, 0x41e0000000000000ull,
	0xc1e0000000000000ull, 0x41dfffffffc00000ull, 0x41dfffffffe00000ull, 0xc1e0000000200000ull,
	0xc1e0000000100000ull, 0x41f0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
	0x43dfffffffffffffull, 0x43f0000000000000ull, 0x3fb999999999999aull, 0x3fd5555555555555ull,
	0x36a0000000000000ull, 0x47efffffe0000000ull, 0x47efffffffffffffull, 0x3810000000000000ull,
	0x380fffffffffffffull, 0xbfe0000000000000ull, 0x3ff0000000000001ull, 0x0008000000000000ull,
	0x41dfffffffffffffull, 0xc1e00000001fffffull,
};

static uint64_t f_random(unsigned ebits, unsigned mbits, unsigned bias)
{
	uint64_t r = drand();
	uint64_t sign = r & 1, e = bias - 24 + (r >> 1) % 60, mant = drand() & ((1ull << mbits) - 1);
	if ((r >> 8 & 3) == 0)
		mant &= ~((1ull << (mbits - 4)) - 1); /* few significant bits: exact results, ties */
	(void)ebits;
	return sign << (ebits + mbits) | e << mbits | mant;
}

float dval_f32(void)
{
	uint64_t r = drand();
	uint32_t bits;
	switch (r & 3) {
	case 0: bits = (uint32_t)drand(); break;
	case 1: bits = f32_edges[(r >> 8) % (sizeof f32_edges / sizeof f32_edges[0])]; break;
	default: bits = (uint32_t)f_random(8, 23, 127); break;
	}
	float f;
	memcpy(&f, &bits, 4);
	return f;
}

double dval_f64(void)
{
	uint64_t r = drand(), bits;
	switch (r & 3) {
	case 0: bits = drand(); break;
	case 1: bits = f64_edges[(r >> 8) % (sizeof f64_edges / sizeof f64_edges[0])]; break;
	default: bits = f_random(11, 52, 1023); break;
	}
	double d;
	memcpy(&d, &bits, 8);
	return d;
}

/* ---- encoder ---- */

static void put(struct dform *f, uint8_t b)
{
	if (f->len >= sizeof f->code) {
		fprintf(stderr, "insn-diff: %s: code too long\n", f->name);
		abort();
	}
	f->code[f->len++] = b;
}

static void put_le(struct dform *f, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		put(f, (uint8_t)(v >> (8 * i)));
}

void dform_bytes(struct dform *f, const void *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put(f, ((const uint8_t *)bytes)[i]);
}

/* A register operand's REX needs: bit 3 goes to REX.R/B; byte regs 4..7 need a REX; 16..19
 * (ah..bh) must have none. */
static int reg_low(int r) { return r >= 32 ? r - 32 : r >= 16 ? r - 12 : r & 7; }

unsigned enc_emit(struct dform *f, const struct enc *e)
{
	unsigned start = f->len;
	const struct ea *m = &e->rm;
	bool mem = !e->nomodrm && m->kind != EA_REG;
	int R = !e->nomodrm && e->reg < 16 && (e->reg & 8);
	int X = mem && m->kind == EA_MEM && m->index >= 0 && (m->index & 8);
	int B = e->has_opreg ? (e->opreg < 16 && (e->opreg & 8))
	      : !e->nomodrm && (mem ? (m->kind == EA_MEM && m->base >= 0 && (m->base & 8))
				   : (m->reg < 16 && (m->reg & 8)));
	bool need_rex = e->w || R || X || B, forbid_rex = false;
	if (e->byteregs) {
		int regs[2] = { e->nomodrm || !(e->byteregs & BR_REG) ? -1 : e->reg,
				!(e->byteregs & BR_RM) ? -1 : e->has_opreg ? e->opreg :
				(!e->nomodrm && !mem ? m->reg : -1) };
		for (int i = 0; i < 2; i++) {
			need_rex |= regs[i] >= 4 && regs[i] <= 7;
			forbid_rex |= regs[i] >= 16 && regs[i] < 20;
		}
	}
	if (need_rex && forbid_rex) {
		fprintf(stderr, "insn-diff: %s: ah..bh with a REX operand\n", f->name);
		abort();
	}
	for (const char *p = e->pfx; p && *p; p++)
		put(f, (uint8_t)*p);
	if (need_rex)
		put(f, (uint8_t)(0x40 | e->w << 3 | R << 2 | X << 1 | B));
	for (int i = 0; i < e->oplen; i++) {
		uint8_t b = (uint8_t)e->op[i];
		if (e->has_opreg && i == e->oplen - 1)
			b |= (uint8_t)reg_low(e->opreg);
		put(f, b);
	}
	if (!e->nomodrm) {
		int regf = reg_low(e->reg);
		if (!mem) {
			put(f, (uint8_t)(0xc0 | regf << 3 | reg_low(m->reg)));
		} else if (m->kind == EA_RIP) {
			put(f, (uint8_t)(regf << 3 | 5));
			/* disp32 is relative to the end of the instruction: immediate follows it */
			uint64_t target = (uint64_t)(uintptr_t)dbuf() + (uint64_t)f->mem_off;
			uint64_t end = f->at + f->len + 4 + (unsigned)e->immsize;
			put_le(f, target - end, 4);
			f->mem_base = -1;
			f->mem_index = -1;
		} else {
			int base = m->base & 7, mod;
			bool sib = m->index >= 0 || base == 4 || m->base < 0;
			if (m->base < 0)
				mod = 0;
			else if (m->dispsize == 4 || (m->disp != (int8_t)m->disp))
				mod = 2;
			else if (m->dispsize == 1 || m->disp != 0 || base == 5)
				mod = 1;
			else
				mod = 0;
			put(f, (uint8_t)(mod << 6 | regf << 3 | (sib ? 4 : base)));
			if (sib)
				put(f, (uint8_t)((m->scale & 3) << 6 | (m->index >= 0 ? m->index & 7 : 4) << 3 |
						 (m->base < 0 ? 5 : base)));
			if (mod == 1)
				put(f, (uint8_t)m->disp);
			else if (mod == 2 || m->base < 0)
				put_le(f, (uint64_t)(int64_t)m->disp, 4);
			f->mem_base = m->base;
			f->mem_index = m->index;
			int64_t iv = m->index >= 0 ? f->mem_index_val : 0;
			f->mem_base_val = (uint64_t)(uintptr_t)dbuf() + (uint64_t)f->mem_off -
					  (uint64_t)(int64_t)m->disp - ((uint64_t)iv << m->scale);
		}
	}
	put_le(f, (uint64_t)e->imm, e->immsize);
	return start;
}

/* ---- operand choice ---- */

static unsigned pick_rot;

int dpick(uint32_t *used, int size, bool hi, bool legacy)
{
	*used |= 1u << R_RSP;
	for (unsigned tries = 0; tries < 64; tries++) {
		unsigned r = pick_rot++ % 16;
		if (hi) {
			r %= 4;
			if (*used & (1u << r))
				continue;
			*used |= 1u << r;
			return (int)r + 16;
		}
		if (*used & (1u << r))
			continue;
		if (legacy && (r >= 8 || (size == 1 && r >= 4)))
			continue;
		*used |= 1u << r;
		return (int)r;
	}
	abort();
}

struct ea dea_reg(int r)
{
	return (struct ea){ .kind = EA_REG, .reg = r };
}

struct ea dea_mem(struct dform *f, uint32_t *used, unsigned mode, bool legacy, char *desc,
		  size_t desclen)
{
	struct ea e = { .kind = EA_MEM, .index = -1 };
	mode %= 5;
	if (mode == 3) {
		e.kind = EA_RIP;
		snprintf(desc, desclen, "[rip+d32]");
		return e;
	}
	e.base = dpick(used, 8, false, legacy);
	if (mode == 1)
		e.disp = (int32_t)(drand() % 200) - 100;
	if (mode == 2 || mode == 4) {
		do
			e.index = dpick(used, 8, false, legacy);
		while (e.index == R_RSP);
		e.scale = (int)(drand() & 3);
		if (mode == 2)
			e.disp = (int32_t)(drand() % 2000) - 1000, e.dispsize = 4;
	}
	if (e.index >= 0)
		snprintf(desc, desclen, "[%s+%s*%d%+d]", dreg_name(e.base, 8), dreg_name(e.index, 8),
			 1 << e.scale, e.disp);
	else
		snprintf(desc, desclen, "[%s%+d]", dreg_name(e.base, 8), e.disp);
	(void)f;
	return e;
}

const char *dreg_name(int r, int size)
{
	static const char *const n64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static const char *const n32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
		"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
	static const char *const n16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
		"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
	static const char *const n8[20] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
		"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b", "ah", "ch", "dh", "bh" };
	if (r >= 16 || size == 1)
		return n8[r];
	return size == 2 ? n16[r] : size == 4 ? n32[r] : n64[r];
}

const char *dsz_pfx(int size)
{
	return size == 2 ? "\x66" : "";
}

/* ---- inputs of a generated case ---- */

uint64_t din_get(const struct dform *f, const struct dstate *s, const uint8_t *mem, unsigned k)
{
	const struct din *d = &f->in[k];
	uint64_t v = 0, m = width_mask(d->size * 8);
	if (d->kind == DI_GPR)
		v = d->hi ? s->r[d->reg] >> 8 : s->r[d->reg];
	else if (d->kind == DI_MEM)
		memcpy(&v, mem + f->mem_off, d->size);
	return v & m;
}

void din_set(const struct dform *f, struct dstate *s, uint8_t *mem, unsigned k, uint64_t v)
{
	const struct din *d = &f->in[k];
	uint64_t m = width_mask(d->size * 8);
	v &= m;
	if (d->kind == DI_GPR && d->hi)
		s->r[d->reg] = (s->r[d->reg] & ~0xff00ull) | v << 8;
	else if (d->kind == DI_GPR)
		s->r[d->reg] = (s->r[d->reg] & ~m) | v;
	else if (d->kind == DI_MEM)
		memcpy(mem + f->mem_off, &v, d->size);
}

/* ---- common form shapes ---- */

/* op is a C string of opcode bytes; the empty string is the one-byte opcode 00 (add r/m8). */
struct enc denc_rm(int size, const char *op, int reg, struct ea rm)
{
	return (struct enc){ .pfx = dsz_pfx(size), .w = size == 8, .byteregs = size == 1 ? BR_BOTH : 0,
			     .op = op, .oplen = *op ? (int)strlen(op) : 1, .reg = reg, .rm = rm };
}

/* A register-only form: dst (r/m) and src (reg field, or /digit when src < 0). */
struct dform *dform_rr(const char *name, int size, const char *op, int digit, int d, int s)
{
	char var[40];
	if (s >= 0)
		snprintf(var, sizeof var, "%s, %s", dreg_name(d, size), dreg_name(s, size));
	else
		snprintf(var, sizeof var, "%s", dreg_name(d, size));
	struct dform *f = dform_new(name, var);
	struct enc e = denc_rm(size, op, s >= 0 ? s : DIGIT(digit), dea_reg(d));
	enc_emit(f, &e);
	dform_in(f, DI_GPR, d, size, 0);
	if (s >= 0 && s != d)
		dform_in(f, DI_GPR, s, size, 0);
	return f;
}

/* A form with a memory r/m operand in addressing mode `mode`; reg >= 0 is a register operand
 * (an input), otherwise digit fills ModRM.reg. */
struct dform *dform_m(const char *name, int size, const char *pfx, const char *op, int digit,
			    int reg, unsigned mode, uint32_t used, int immsize, int64_t imm)
{
	char desc[40];
	struct dform *f = dform_new(name, NULL);
	bool legacy = reg >= 16;
	struct ea m = dea_mem(f, &used, mode, legacy, desc, sizeof desc);
	struct enc e = denc_rm(size, op, reg >= 0 ? reg : DIGIT(digit), m);
	char pf[8];
	snprintf(pf, sizeof pf, "%s%s", pfx, e.pfx);
	e.pfx = pf;
	e.immsize = immsize;
	e.imm = imm;
	if (reg >= 0)
		snprintf(f->var, sizeof f->var, "%s, %s", desc, dreg_name(reg, size));
	else if (immsize)
		snprintf(f->var, sizeof f->var, "%s, %#llx", desc, (unsigned long long)imm);
	else
		snprintf(f->var, sizeof f->var, "%s", desc);
	enc_emit(f, &e);
	dform_in(f, DI_MEM, 0, size, 0);
	if (reg >= 0)
		dform_in(f, DI_GPR, reg, size, 0);
	return f;
}

