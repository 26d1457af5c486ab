/* The extended integer instructions on seeded random and edge inputs: mul/imul/div/idiv,
 * shifts and rotates, shld/shrd, bt*, bsf/bsr, bswap, cmpxchg/xadd (and their lock forms),
 * the string instructions with rep prefixes, lahf/sahf/pushf/popf, enter, xlat.
 * Each family prints one checksum of its results and of the flags the manual defines for it
 * (undefined ones differ between CPUs). `intx -v` prints every case instead. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "guest.h"

#define CF 0x1ull
#define PF 0x4ull
#define AF 0x10ull
#define ZF 0x40ull
#define SF 0x80ull
#define OF 0x800ull
#define ARITH (CF | PF | AF | ZF | SF | OF)

struct st {
	uint64_t a, b, c, d, si, di, f;
};

static int verbose;
static uint64_t mem[64];   /* memory operands: rsi points here, rdi 64 bytes on */
static uint64_t rng = 0x1234567887654321ull;
static uint64_t hash;

/* Run `insn` with the state's registers and flags; the red zone is stepped over. */
#define RUN(s, insn)                                                                         \
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\tpush %6\n\tpopfq\n\t" insn                 \
			 "\n\tpushfq\n\tpop %6\n\tcld\n\tlea 128(%%rsp), %%rsp"                       \
			 : "+a"((s).a), "+b"((s).b), "+c"((s).c), "+d"((s).d), "+S"((s).si),   \
			   "+D"((s).di), "+r"((s).f)                                           \
			 :                                                                     \
			 : "memory", "cc")

static void record(const char *name, const struct st *in, const struct st *out, uint64_t fmask)
{
	struct st o = *out;
	o.f &= fmask;
	o.si -= (uintptr_t)mem;   /* addresses differ between builds: keep offsets */
	o.di -= (uintptr_t)mem;
	hash = fnv1a(hash, &o, sizeof o);
	if (verbose)
		printf("%-12s a=%016llx b=%016llx c=%016llx d=%016llx f=%03llx -> a=%016llx "
		       "b=%016llx c=%016llx d=%016llx si=%llx di=%llx f=%03llx\n", name,
		       (unsigned long long)in->a, (unsigned long long)in->b,
		       (unsigned long long)in->c, (unsigned long long)in->d,
		       (unsigned long long)in->f, (unsigned long long)o.a, (unsigned long long)o.b,
		       (unsigned long long)o.c, (unsigned long long)o.d, (unsigned long long)o.si,
		       (unsigned long long)o.di, (unsigned long long)o.f);
}

static void family_end(const char *name)
{
	if (!verbose)
		printf("%-10s %016llx\n", name, (unsigned long long)hash);
	hash = FNV_INIT;
}

static const uint64_t edges[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 3, 10,
};
#define NEDGES (sizeof edges / sizeof edges[0])

/* Operand i of a run: edge values first, then random ones of random widths. */
static uint64_t value(unsigned i)
{
	if (i < NEDGES)
		return edges[i];
	uint64_t v = rng_next(&rng);
	switch (v & 3) {
	case 0: return (uint8_t)(v >> 8) | (v & 0xffffffffffff0000ull);
	case 1: return (int64_t)(int32_t)(v >> 16);
	default: return v;
	}
}

static struct st state(unsigned i, unsigned j)
{
	struct st s = { .a = value(i), .b = value(j), .c = rng_next(&rng), .d = rng_next(&rng),
			.si = (uintptr_t)mem, .di = (uintptr_t)mem + 64,
			.f = 0x202 | (rng_next(&rng) & ARITH) };
	return s;
}

#define CASES(n) for (unsigned i = 0; i < (n); i++) for (unsigned j = 0; j < (n); j++)

/* ---- mul, imul, div, idiv ---- */

#define MULDIV(name, insn, fmask)                                                            \
	CASES(24) {                                                                          \
		struct st in = state(i, j), s = in;                                          \
		RUN(s, insn);                                                                \
		record(name, &in, &s, fmask);                                                \
	}

static uint64_t wmask(unsigned w)
{
	return w == 64 ? ~0ull : (1ull << w) - 1;
}

static __int128 wsext(uint64_t v, unsigned w)
{
	return w == 64 ? (int64_t)v : (int64_t)(v << (64 - w)) >> (64 - w);
}

/* A dividend hi:lo and divisor whose quotient fits in w bits (the rest of each register
 * random, to check what the instruction keeps). */
static struct st div_input(unsigned w, int sign, unsigned i)
{
	struct st s = state(i, i + 5);
	uint64_t m = wmask(w), hi, lo, dv = value(i + 3) & m;
	if (!dv)
		dv = 3;
	if (!sign) {
		hi = rng_next(&rng) % dv;
		lo = rng_next(&rng) & m;
	} else {
		__int128 d = wsext(dv, w), q = wsext(rng_next(&rng) & m, w);
		__int128 ad = d < 0 ? -d : d, r = (__int128)(rng_next(&rng) % (uint64_t)ad);
		if (i & 1)
			q >>= (i % w);
		if (q * d < 0 || (q == 0 && (i & 2)))
			r = -r;
		__int128 n = q * d + r;
		hi = (uint64_t)(n >> w) & m;
		lo = (uint64_t)n & m;
	}
	if (w == 8) {
		s.a = (s.a & ~0xffffull) | (hi & 0xff) << 8 | (lo & 0xff);
	} else {
		s.a = (s.a & ~m) | lo;
		s.d = (s.d & ~m) | hi;
	}
	s.b = (s.b & ~m) | dv;
	return s;
}

#define DIV(name, insn, w, sign)                                                             \
	for (unsigned i = 0; i < 400; i++) {                                                 \
		struct st in = div_input(w, sign, i), s;                                     \
		if (insn[sizeof insn - 2] == 'h')   /* divisor bh */                         \
			in.b = (in.b & ~0xff00ull) | (in.b & 0xff) << 8;                     \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		record(name, &in, &s, 0);                                                    \
	}

static void test_muldiv(void)
{
	MULDIV("mul8", "mulb %%bl", CF | OF)
	MULDIV("mul8h", "mulb %%bh", CF | OF)
	MULDIV("mul16", "mulw %%bx", CF | OF)
	MULDIV("mul32", "mull %%ebx", CF | OF)
	MULDIV("mul64", "mulq %%rbx", CF | OF)
	MULDIV("imul8", "imulb %%bl", CF | OF)
	MULDIV("imul16", "imulw %%bx", CF | OF)
	MULDIV("imul32", "imull %%ebx", CF | OF)
	MULDIV("imul64", "imulq %%rbx", CF | OF)
	MULDIV("imul2_16", "imulw %%bx, %%cx", CF | OF)
	MULDIV("imul2_32", "imull %%ebx, %%ecx", CF | OF)
	MULDIV("imul2_64", "imulq %%rbx, %%rax", CF | OF)
	MULDIV("imul3_16", "imulw $-300, %%bx, %%cx", CF | OF)
	MULDIV("imul3_32", "imull $0x12345, %%ebx, %%ecx", CF | OF)
	MULDIV("imul3_64", "imulq $-7, %%rbx, %%rax", CF | OF)
	MULDIV("imul3_64b", "imulq $0x7fffffff, %%rbx, %%rax", CF | OF)
	MULDIV("mulm64", "movq %%rbx, (%%rsi)\n\tmulq (%%rsi)", CF | OF)
	MULDIV("imulm32", "movl %%ebx, 4(%%rsi)\n\timull 4(%%rsi), %%ecx", CF | OF)
	MULDIV("imulm16", "movw %%bx, 2(%%rsi)\n\timulw $99, 2(%%rsi), %%cx", CF | OF)
	family_end("muldiv");
	DIV("div8", "divb %%bl", 8, 0)
	DIV("div8h", "divb %%bh", 8, 0)
	DIV("div16", "divw %%bx", 16, 0)
	DIV("div32", "divl %%ebx", 32, 0)
	DIV("div64", "divq %%rbx", 64, 0)
	DIV("divm64", "movq %%rbx, 8(%%rsi)\n\tdivq 8(%%rsi)", 64, 0)
	DIV("idiv8", "idivb %%bl", 8, 1)
	DIV("idiv16", "idivw %%bx", 16, 1)
	DIV("idiv32", "idivl %%ebx", 32, 1)
	DIV("idiv64", "idivq %%rbx", 64, 1)
	DIV("idivm32", "movl %%ebx, (%%rsi)\n\tidivl (%%rsi)", 32, 1)
	family_end("div");
}

/* ---- shifts and rotates: cl counts 0..70, and some immediates ---- */

/* Flags each op defines for count n of a `bits` operand (0: all kept, checked as such). */
static uint64_t shift_mask(char kind, unsigned n, unsigned bits)
{
	unsigned c = n & (bits == 64 ? 63 : 31);
	uint64_t of = c == 1 ? OF : 0;
	if (c == 0)
		return ARITH;
	switch (kind) {
	case 's':   /* shl, shr, sar: CF undefined for shl/shr counts >= the width */
		return SF | ZF | PF | of | (c < bits ? CF : 0);
	case 'S':   /* sar: CF is the sign for big counts too */
		return SF | ZF | PF | of | CF;
	case 'r':   /* rol, ror, rcl, rcr: SF, ZF, AF, PF kept */
		return CF | SF | ZF | AF | PF | of;
	default:    /* shld, shrd: undefined beyond the width */
		return c > bits ? 0 : SF | ZF | PF | CF | of;
	}
}

#define SHIFT_CL(name, insn, kind, bits)                                                     \
	for (unsigned n = 0; n < 72; n++) for (unsigned i = 0; i < 6; i++) {                 \
		struct st in = state(i + n % 5 * 3, n), s;                                   \
		in.c = n;                                                                    \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		if (kind == 'd' && (n & 31) > bits)                                          \
			s.a = in.a;   /* result undefined too */                             \
		record(name, &in, &s, shift_mask(kind, n, bits));                            \
	}
#define SHIFT_IMM(name, insn, kind, bits, n)                                                 \
	for (unsigned i = 0; i < 40; i++) {                                                  \
		struct st in = state(i, i + 1), s = in;                                      \
		RUN(s, insn);                                                                \
		record(name, &in, &s, shift_mask(kind, n, bits));                            \
	}

#define SHIFTS4(op, kind)                                                                    \
	SHIFT_CL(#op "8", #op "b %%cl, %%al", kind, 8)                                       \
	SHIFT_CL(#op "8h", #op "b %%cl, %%ah", kind, 8)                                      \
	SHIFT_CL(#op "16", #op "w %%cl, %%ax", kind, 16)                                     \
	SHIFT_CL(#op "32", #op "l %%cl, %%eax", kind, 32)                                    \
	SHIFT_CL(#op "64", #op "q %%cl, %%rax", kind, 64)                                    \
	SHIFT_CL(#op "m32", "movl %%eax, (%%rsi)\n\t" #op "l %%cl, (%%rsi)\n\tmovl (%%rsi), %%eax", kind, 32) \
	SHIFT_IMM(#op "i1", #op "l $1, %%eax", kind, 32, 1)                                  \
	SHIFT_IMM(#op "i1b", #op "b $1, %%bl", kind, 8, 1)                                   \
	SHIFT_IMM(#op "i7", #op "q $7, %%rax", kind, 64, 7)                                  \
	SHIFT_IMM(#op "i9", #op "b $9, %%al", kind, 8, 9)                                    \
	SHIFT_IMM(#op "i0", #op "l $0, %%eax", kind, 32, 0)                                  \
	SHIFT_IMM(#op "i33", #op "l $33, %%eax", kind, 32, 33)                               \
	SHIFT_IMM(#op "i17", #op "w $17, %%ax", kind, 16, 17)

static void test_shifts(void)
{
	SHIFTS4(shl, 's')
	SHIFTS4(shr, 's')
	SHIFTS4(sar, 'S')
	family_end("shift");
	SHIFTS4(rol, 'r')
	SHIFTS4(ror, 'r')
	SHIFTS4(rcl, 'r')
	SHIFTS4(rcr, 'r')
	family_end("rotate");
	SHIFT_CL("shld16", "shldw %%cl, %%bx, %%ax", 'd', 16)
	SHIFT_CL("shld32", "shldl %%cl, %%ebx, %%eax", 'd', 32)
	SHIFT_CL("shld64", "shldq %%cl, %%rbx, %%rax", 'd', 64)
	SHIFT_CL("shrd16", "shrdw %%cl, %%bx, %%ax", 'd', 16)
	SHIFT_CL("shrd32", "shrdl %%cl, %%ebx, %%eax", 'd', 32)
	SHIFT_CL("shrd64", "shrdq %%cl, %%rbx, %%rax", 'd', 64)
	SHIFT_CL("shrdm64", "movq %%rax, (%%rsi)\n\tshrdq %%cl, %%rbx, (%%rsi)\n\tmovq (%%rsi), %%rax", 'd', 64)
	SHIFT_IMM("shld1", "shldl $1, %%ebx, %%eax", 'd', 32, 1)
	SHIFT_IMM("shrd1", "shrdq $1, %%rbx, %%rax", 'd', 64, 1)
	SHIFT_IMM("shld5", "shldw $5, %%bx, %%ax", 'd', 16, 5)
	SHIFT_IMM("shrd63", "shrdq $63, %%rbx, %%rax", 'd', 64, 63)
	family_end("shxd");
}

/* ---- bt, bts, btr, btc; bsf, bsr; bswap ---- */

static void fill_mem(void)
{
	for (unsigned i = 0; i < 64; i++)
		mem[i] = rng_next(&rng);
}

/* Register forms: b is the bit offset (any value: masked by the CPU). */
#define BT_R(name, insn)                                                                     \
	CASES(20) {                                                                          \
		struct st in = state(i, j), s = in;                                          \
		RUN(s, insn);                                                                \
		record(name, &in, &s, CF | ZF);                                              \
	}
/* Memory forms: rdi in the middle of mem, b a signed bit offset of +-1023. */
#define BT_M(name, insn)                                                                     \
	CASES(20) {                                                                          \
		struct st in = state(i, j), s;                                               \
		in.di = (uintptr_t)mem + 256;                                                \
		in.b = (uint64_t)(int64_t)((int)(in.b & 2047) - 1024);          \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		record(name, &in, &s, CF | ZF);                                              \
		hash = fnv1a(hash, mem, sizeof mem);                                         \
	}
#define BT4(op)                                                                              \
	BT_R(#op "16", #op "w %%bx, %%ax")                                                   \
	BT_R(#op "32", #op "l %%ebx, %%eax")                                                 \
	BT_R(#op "64", #op "q %%rbx, %%rax")                                                 \
	BT_R(#op "i16", #op "w $13, %%ax")                                                   \
	BT_R(#op "i32", #op "l $45, %%eax")                                                  \
	BT_R(#op "i64", #op "q $63, %%rax")                                                  \
	BT_M(#op "m16", #op "w %%bx, (%%rdi)")                                               \
	BT_M(#op "m32", #op "l %%ebx, (%%rdi)")                                              \
	BT_M(#op "m64", #op "q %%rbx, (%%rdi)")                                              \
	BT_M(#op "mi32", #op "l $31, 4(%%rdi)")                                              \
	BT_M(#op "mi64", #op "q $100, -8(%%rdi)")
#define BT_LOCK(op)                                                                          \
	BT_M("lock" #op "16", "lock " #op "w %%bx, (%%rdi)")                                 \
	BT_M("lock" #op "32", "lock " #op "l %%ebx, (%%rdi)")                                \
	BT_M("lock" #op "64", "lock " #op "q %%rbx, 8(%%rdi)")                               \
	BT_M("lock" #op "i64", "lock " #op "q $5, 8(%%rdi)")

/* bsf/bsr: ZF; the destination only where the source is nonzero. */
#define BSX(name, insn, srcmask)                                                             \
	CASES(20) {                                                                          \
		struct st in = state(i, j), s;                                               \
		in.b &= (j & 1) ? (srcmask) : rng_next(&rng) & rng_next(&rng) & (srcmask);  \
		mem[0] = in.b;                                                               \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		if ((in.b & (srcmask)) == 0)                                                 \
			s.a = in.a;                                                          \
		record(name, &in, &s, ZF);                                                   \
	}

static void test_bits(void)
{
	fill_mem();
	BT4(bt)
	BT4(bts)
	BT4(btr)
	BT4(btc)
	BT_LOCK(bts)
	BT_LOCK(btr)
	BT_LOCK(btc)
	family_end("bt");
	BSX("bsf16", "bsfw %%bx, %%ax", 0xffff)
	BSX("bsf32", "bsfl %%ebx, %%eax", 0xffffffff)
	BSX("bsf64", "bsfq %%rbx, %%rax", ~0ull)
	BSX("bsfm64", "bsfq (%%rsi), %%rax", ~0ull)
	BSX("bsr16", "bsrw %%bx, %%ax", 0xffff)
	BSX("bsr32", "bsrl %%ebx, %%eax", 0xffffffff)
	BSX("bsr64", "bsrq %%rbx, %%rax", ~0ull)
	BSX("bsrm32", "bsrl (%%rsi), %%eax", 0xffffffff)
	MULDIV("bswap32", "bswap %%eax", 0)
	MULDIV("bswap64", "bswap %%rbx", 0)
	MULDIV("bswap32c", "bswap %%ecx", 0)
	MULDIV("bswap64d", "bswap %%rdx", 0)
	family_end("bsx");
}

/* ---- cmpxchg, xadd, cmpxchg8b/16b ---- */

/* acc (a) equal to the destination in half the cases. */
#define CX(name, insn, wide, fmask)                                                          \
	CASES(16) {                                                                          \
		struct st in = state(i, j), s;                                               \
		if (j & 1)                                                                   \
			in.c = (in.c & ~wmask(wide)) | (in.a & wmask(wide));                 \
		mem[1] = in.c;                                                               \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		record(name, &in, &s, fmask);                                                \
		hash = fnv1a(hash, &mem[1], 8);                                              \
	}

static void test_atomic(void)
{
	CX("cx8", "cmpxchgb %%bl, %%cl", 8, ARITH)
	CX("cx8h", "cmpxchgb %%bh, %%ch", 8, ARITH)
	CX("cx16", "cmpxchgw %%bx, %%cx", 16, ARITH)
	CX("cx64", "cmpxchgq %%rbx, %%rcx", 64, ARITH)
	CX("cxm8", "cmpxchgb %%bl, 8(%%rsi)", 8, ARITH)
	CX("cxm16", "cmpxchgw %%bx, 8(%%rsi)", 16, ARITH)
	CX("cxm32", "cmpxchgl %%ebx, 8(%%rsi)", 32, ARITH)
	CX("cxm64", "cmpxchgq %%rbx, 8(%%rsi)", 64, ARITH)
	CX("lcxm8", "lock cmpxchgb %%bl, 8(%%rsi)", 8, ARITH)
	CX("lcxm16", "lock cmpxchgw %%bx, 8(%%rsi)", 16, ARITH)
	CX("lcxm32", "lock cmpxchgl %%ebx, 8(%%rsi)", 32, ARITH)
	CX("lcxm64", "lock cmpxchgq %%rbx, 8(%%rsi)", 64, ARITH)
	CX("xadd8", "xaddb %%bl, %%cl", 8, ARITH)
	CX("xadd8h", "xaddb %%ah, %%bl", 8, ARITH)
	CX("xadd16", "xaddw %%bx, %%cx", 16, ARITH)
	CX("xadd32", "xaddl %%ebx, %%ecx", 32, ARITH)
	CX("xadd64", "xaddq %%rbx, %%rcx", 64, ARITH)
	CX("xadds", "xaddq %%rbx, %%rbx", 64, ARITH)
	CX("xaddm32", "xaddl %%ebx, 8(%%rsi)", 32, ARITH)
	CX("lxaddm8", "lock xaddb %%bl, 8(%%rsi)", 8, ARITH)
	CX("lxaddm16", "lock xaddw %%bx, 8(%%rsi)", 16, ARITH)
	CX("lxaddm64", "lock xaddq %%rbx, 8(%%rsi)", 64, ARITH)
	/* cmpxchg8b/16b: edx:eax (rdx:rax) against mem[2..3] (16-byte aligned). */
	CASES(16) {
		struct st in = state(i, j), s;
		mem[2] = rng_next(&rng);
		mem[3] = rng_next(&rng);
		if (j & 1) {
			in.a = (in.a & ~0xffffffffull) | (uint32_t)mem[2];
			in.d = (in.d & ~0xffffffffull) | mem[2] >> 32;
		}
		s = in;
		RUN(s, "cmpxchg8b 16(%%rsi)");
		record("cx8b", &in, &s, ZF);
		hash = fnv1a(hash, &mem[2], 16);
		s = in;
		RUN(s, "lock cmpxchg8b 16(%%rsi)");
		record("lcx8b", &in, &s, ZF);
		if (j & 1) {
			in.a = mem[2];
			in.d = mem[3];
		}
		s = in;
		RUN(s, "lock cmpxchg16b 16(%%rsi)");
		record("lcx16b", &in, &s, ZF);
		hash = fnv1a(hash, &mem[2], 16);
	}
	family_end("atomic");
}

/* ---- string instructions ---- */

#define BIG 32768
static uint8_t big[BIG + 64] __attribute__((aligned(4096)));

static void fill_big(void)
{
	for (unsigned i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)rng_next(&rng);
}

/* rsi, rdi at offsets so, dof of big; rcx = n; DF from df. Records registers (rsi and rdi as
 * offsets into big), the defined flags and a checksum of big. */
#define STR(name, insn, so, dof, n, df, fmask)                                               \
	do {                                                                                 \
		struct st in = state(3, 4), s;                                               \
		in.si = (uintptr_t)big + (so);                                               \
		in.di = (uintptr_t)big + (dof);                                              \
		in.c = (n);                                                                  \
		in.f |= (df) ? 0x400 : 0;                                                    \
		s = in;                                                                      \
		RUN(s, insn);                                                                \
		s.si -= (uintptr_t)big - (uintptr_t)mem;                                     \
		s.di -= (uintptr_t)big - (uintptr_t)mem;                                     \
		record(name, &in, &s, (fmask) | 0x400);                                      \
		hash = fnv1a(hash, big, sizeof big);                                         \
		if (verbose)                                                                 \
			printf("  big %016llx\n",                                          \
			       (unsigned long long)fnv1a(FNV_INIT, big, sizeof big));        \
	} while (0)

static void test_string_moves(void)
{
	static const int dists[] = { -4099, -64, -9, -8, -7, -4, -3, -2, -1, 1, 2, 3, 4, 5, 7, 8,
				     9, 15, 16, 17, 100, 4096, 5000 };
	static const unsigned counts[] = { 0, 1, 2, 3, 7, 8, 9, 31, 64, 100, 1000 };
	fill_big();
	for (unsigned k = 0; k < sizeof dists / sizeof dists[0]; k++) {
		for (unsigned c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			unsigned so = 9000 + (unsigned)(rng_next(&rng) % 200), n = counts[c];
			unsigned dof = (unsigned)((int)so + dists[k]);
			STR("movsb", "movsb", so, dof, n, 0, 0);
			STR("repmovsb", "rep movsb", so, dof, n, 0, 0);
			STR("repmovsw", "rep movsw", so, dof, n, 0, 0);
			STR("repmovsd", "rep movsl", so, dof, n, 0, 0);
			STR("repmovsq", "rep movsq", so, dof, n, 0, 0);
			STR("repmovsbd", "rep movsb", so, dof, n, 1, 0);
			STR("repmovsqd", "rep movsq", so, dof, n / 8, 1, 0);
			STR("movsq", "movsq", so, dof, n, 1, 0);
			STR("repnemovsd", "repne movsl", so, dof, n / 4, 0, 0);
		}
	}
	/* Across pages, 4 KiB and more at once. */
	STR("bigmovsb", "rep movsb", 7, 4100, 8000, 0, 0);
	STR("bigmovsq", "rep movsq", 4093, 3, 1000, 0, 0);
	STR("bigmovsb2", "rep movsb", 100, 4101, 8100, 0, 0);
	family_end("movs");
	for (unsigned c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		unsigned dof = 4000 + (unsigned)(rng_next(&rng) % 200), n = counts[c];
		STR("stosb", "stosb", 0, dof, n, 0, 0);
		STR("repstosb", "rep stosb", 0, dof, n, 0, 0);
		STR("repstosw", "rep stosw", 0, dof, n, 0, 0);
		STR("repstosd", "rep stosl", 0, dof, n, 0, 0);
		STR("repstosq", "rep stosq", 0, dof, n, 0, 0);
		STR("repstosqz", "xor %%eax, %%eax\n\trep stosq", 0, dof, n, 0, 0);
		STR("repstosbd", "rep stosb", 0, dof, n, 1, 0);
		STR("repstoslds", "rep stosl", 0, dof, n, 1, 0);
		STR("lodsb", "lodsb", dof, 0, n, 0, 0);
		STR("lodsq", "lodsq", dof, 0, n, 1, 0);
		STR("replodsw", "rep lodsw", dof, 0, n, 0, 0);
		STR("replodsd", "rep lodsl", dof, 0, n, 1, 0);
	}
	STR("bigstosb", "rep stosb", 0, 5, 9000, 0, 0);
	STR("bigstosd", "rep stosl", 0, 4094, 1500, 0, 0);
	family_end("stos");
}

static void test_string_compares(void)
{
	static const unsigned counts[] = { 0, 1, 2, 5, 16, 40, 300 };
	fill_big();
	for (unsigned c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		for (unsigned t = 0; t < 6; t++) {
			unsigned n = counts[c], so = 200 + t * 3, dof = 6000 + t;
			memcpy(big + dof, big + so, 8 * 300 + 8);
			if (t & 1)   /* a difference somewhere */
				big[dof + rng_next(&rng) % (n * 4 + 4)] ^= 1 << (t % 8);
			uint8_t al = big[dof + (t * 7) % (n + 1)];
			memset(big + 8000 + t * 10, 0x5a, 300 * 8);
			STR("cmpsb", "cmpsb", so, dof, n, 0, ARITH);
			STR("repecmpsb", "repe cmpsb", so, dof, n, 0, ARITH);
			STR("repecmpsw", "repe cmpsw", so, dof, n, 0, ARITH);
			STR("repecmpsd", "repe cmpsl", so, dof, n, 0, ARITH);
			STR("repecmpsq", "repe cmpsq", so, dof, n, 0, ARITH);
			STR("repnecmpsb", "repne cmpsb", so, dof, n, 0, ARITH);
			STR("repecmpsbd", "repe cmpsb", so + n, dof + n, n, 1, ARITH);
			STR("scasb", "movb %%bl, %%al\n\tscasb", 0, dof, n, 0, ARITH);
			STR("repnescasb", "movb %%bl, %%al\n\trepne scasb", al, dof, n, 0, ARITH);
			STR("repnescasbd", "repne scasb", 0, dof + n, n, 1, ARITH);
			STR("repescasb", "movb $0x5a, %%al\n\trepe scasb", 0, 8000 + t * 10, n, 0, ARITH);
			STR("repescasq", "movq $0x5a5a5a5a5a5a5a5a, %%rax\n\trepe scasq", 0,
			    8000 + t * 10, n, 0, ARITH);
			STR("repnescasw", "repne scasw", 0, dof, n, 0, ARITH);
		}
	}
	family_end("cmps");
}

/* ---- lahf, sahf, pushf, popf, clc, stc, cmc, enter, xlat ---- */

static void test_misc(void)
{
	fill_mem();
	CASES(12) {
		struct st in = state(i, j), s = in;
		RUN(s, "lahf");
		record("lahf", &in, &s, ARITH);
		s = in;
		RUN(s, "sahf");
		record("sahf", &in, &s, ARITH);
		in.b &= ARITH | 0x400 | 0x200000;   /* no TF, no AC */
		s = in;
		RUN(s, "push %%rbx\n\tpopfq\n\tpushfq\n\tpopq %%rbx\n\tcld");
		s.b &= ~0x200ull;
		record("popf", &in, &s, ARITH);
		s = in;
		RUN(s, "pushfw\n\tpopw %%cx");
		record("pushfw", &in, &s, ARITH);
		s = in;
		RUN(s, "clc");
		record("clc", &in, &s, ARITH);
		s = in;
		RUN(s, "stc");
		record("stc", &in, &s, ARITH);
		s = in;
		RUN(s, "cmc");
		record("cmc", &in, &s, ARITH);
		in.b = (uintptr_t)mem;
		s = in;
		RUN(s, "xlatb");
		record("xlat", &in, &s, ARITH);
	}
	/* enter: rsp and rbp changes, and the frame pointers copied from an outer frame. */
	for (unsigned level = 0; level < 6; level++) {
		uint64_t out[4];
		mem[10] = 0x1111;
		mem[11] = 0x2222;
		mem[12] = 0x3333;
		mem[13] = 0x4444;
		__asm__ volatile("mov %%rsp, %%r8\n\tmov %%rbp, %%r9\n\tlea -256(%%rsp), %%rsp\n\t"
				 "mov %%rsp, %%r10\n\tlea 112(%1), %%rbp\n\t"
				 "cmp $0, %2\n\tjne 1f\n\tenter $24, $0\n\tjmp 9f\n"
				 "1:\tcmp $1, %2\n\tjne 2f\n\tenter $8, $1\n\tjmp 9f\n"
				 "2:\tcmp $2, %2\n\tjne 3f\n\tenter $0, $2\n\tjmp 9f\n"
				 "3:\tcmp $3, %2\n\tjne 4f\n\tenter $16, $3\n\tjmp 9f\n"
				 "4:\tcmp $4, %2\n\tjne 5f\n\tenter $0, $4\n\tjmp 9f\n"
				 "5:\tenter $32, $33\n"
				 "9:\tmov %%r10, %%rax\n\tsub %%rsp, %%rax\n\tmov %%rax, (%0)\n\t"
				 "mov %%r10, %%rax\n\tsub %%rbp, %%rax\n\tmov %%rax, 8(%0)\n\t"
				 "mov -8(%%rbp), %%rax\n\tmov %%rax, 16(%0)\n\t"
				 "mov -16(%%rbp), %%rax\n\tmov %%rax, 24(%0)\n\t"
				 "mov %%r9, %%rbp\n\tmov %%r8, %%rsp"
				 : : "r"(out), "r"(mem), "r"((uint64_t)level)
				 : "rax", "r8", "r9", "r10", "memory", "cc");
		if (level < 2 || level == 5)   /* 33 & 31 = 1 */
			out[2] = out[3] = 0;   /* the new frame pointer, or nothing */
		else if (level < 3)
			out[3] = 0;
		if (out[2] > (uintptr_t)mem)
			out[2] -= (uintptr_t)mem;
		if (out[3] > (uintptr_t)mem)
			out[3] -= (uintptr_t)mem;
		hash = fnv1a(hash, out, sizeof out);
		if (verbose)
			printf("enter level %u: %llx %llx %llx %llx\n", level,
			       (unsigned long long)out[0], (unsigned long long)out[1],
			       (unsigned long long)out[2], (unsigned long long)out[3]);
	}
	family_end("misc");
}

int main(int argc, char **argv)
{
	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	hash = FNV_INIT;
	test_muldiv();
	test_shifts();
	test_bits();
	test_atomic();
	test_string_moves();
	test_string_compares();
	test_misc();
	return 0;
}
