/* The core integer instructions on seeded random and edge inputs: add/or/adc/sbb/and/sub/xor/
 * cmp/test, inc/dec/neg/not (plain and lock-prefixed), setcc/cmovcc/jcc after each flag
 * setter, mov/movzx/movsx/movsxd/lea (a 32-bit address too), xchg, cbw..cqo, push/pop at 16
 * and 64 bits, call/ret/ret imm16/leave, indirect jmp and call, loop/loope/loopne/jrcxz.
 * Each family prints one checksum of its results and of the flags the manual defines for it
 * (AF after logic ops is undefined and differs between CPUs). `intcore -v` prints every case. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

#define CF 0x1ull
#define PF 0x4ull
#define AF 0x10ull
#define ZF 0x40ull
#define SF 0x80ull
#define OF 0x800ull
#define ARITH (CF | PF | AF | ZF | SF | OF)
#define LOGIC (ARITH & ~AF)

struct st {
	uint64_t a, b, c, d, f;
};

static int verbose;
static uint64_t mem[8];
static uint64_t rng = 0x0123456789abcdefull;
static uint64_t hash;

/* Run `insn` with the state's registers and flags (red zone stepped over). */
#define RUN(s, insn)                                                                         \
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\tpush %4\n\tpopfq\n\t" insn                 \
			 "\n\tpushfq\n\tpop %4\n\tlea 128(%%rsp), %%rsp"                        \
			 : "+a"((s).a), "+b"((s).b), "+c"((s).c), "+d"((s).d), "+r"((s).f)     \
			 : "S"(mem)                                                             \
			 : "memory", "cc")

static void record(const char *name, const struct st *in, const struct st *out, uint64_t fmask)
{
	struct st o = *out;
	o.f &= fmask;
	hash = fnv1a(hash, &o, sizeof o);
	hash = fnv1a(hash, mem, sizeof mem);
	if (verbose)
		printf("%-22s a=%016llx b=%016llx c=%016llx f=%03llx -> a=%016llx b=%016llx "
		       "c=%016llx d=%016llx f=%03llx m=%016llx\n", name,
		       (unsigned long long)in->a, (unsigned long long)in->b,
		       (unsigned long long)in->c, (unsigned long long)in->f,
		       (unsigned long long)o.a, (unsigned long long)o.b, (unsigned long long)o.c,
		       (unsigned long long)o.d, (unsigned long long)o.f,
		       (unsigned long long)mem[0]);
}

static uint64_t edge(void)
{
	static const uint64_t e[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
		~0ull - 1, 0x0f0f0f0f0f0f0f0full,
	};
	uint64_t r = rng_next(&rng);
	switch (r % 4) {
	case 0: return e[(r >> 8) % (sizeof e / sizeof e[0])];
	case 1: return (r >> 8) & 0xff;
	default: return rng_next(&rng);
	}
}

static struct st random_state(void)
{
	struct st s = { edge(), edge(), edge(), edge(), (rng_next(&rng) & ARITH) | 0x202 };
	for (int i = 0; i < 8; i++)
		mem[i] = edge();
	return s;
}

/* One instruction on `n` random states. */
#define CASE(name, insn, fmask)                                                 \
	do {                                                                    \
		for (int i_ = 0; i_ < n; i_++) {                                \
			struct st in_ = random_state(), out_ = in_;             \
			RUN(out_, insn);                                        \
			record(name, &in_, &out_, fmask);                       \
		}                                                               \
	} while (0)

/* Every size of an ALU op in its register, immediate and memory forms. */
#define ALU(op, fm)                                                                       \
	CASE(op " r8", op " %%bl, %%al", fm);                                             \
	CASE(op " r8h", op " %%ch, %%ah", fm);                                            \
	CASE(op " r16", op " %%bx, %%ax", fm);                                            \
	CASE(op " r32", op " %%ebx, %%eax", fm);                                          \
	CASE(op " r64", op " %%rbx, %%rax", fm);                                          \
	CASE(op " imm8", op " $0x81, %%al", fm);                                          \
	CASE(op " imm16", op " $-2, %%bx", fm);                                           \
	CASE(op " imm32", op " $0x7fffffff, %%ecx", fm);                                  \
	CASE(op " imm64", op " $-0x80000000, %%rax", fm);                                 \
	CASE(op " m8,r", op " %%cl, 3(%%rsi)", fm);                                       \
	CASE(op " m16,i", op "w $0x8001, 6(%%rsi)", fm);                                  \
	CASE(op " r32,m", op " 12(%%rsi), %%edx", fm);                                    \
	CASE(op " m64,r", op " %%rbx, 16(%%rsi)", fm)

#define LOCKED(op, fm)                                                                    \
	CASE("lock " op " m8", "lock " op " %%cl, 1(%%rsi)", fm);                         \
	CASE("lock " op " m16", "lock " op "w $0x7fff, 2(%%rsi)", fm);                    \
	CASE("lock " op " m32", "lock " op " %%ebx, 8(%%rsi)", fm);                       \
	CASE("lock " op " m64", "lock " op "q $-1, 24(%%rsi)", fm)

static void family_alu(int n)
{
	ALU("add", ARITH); ALU("adc", ARITH); ALU("sub", ARITH); ALU("sbb", ARITH);
	ALU("cmp", ARITH); ALU("and", LOGIC); ALU("or", LOGIC); ALU("xor", LOGIC);
	CASE("test r8", "test %%bl, %%al", LOGIC);
	CASE("test r64", "test %%rbx, %%rax", LOGIC);
	CASE("test m32,i", "testl $0x80000001, 8(%%rsi)", LOGIC);
	CASE("xor self", "xor %%eax, %%eax", LOGIC);
	CASE("sbb self", "sbb %%rcx, %%rcx", ARITH);
	CASE("add adc chain", "add %%rbx, %%rax\n\tadc %%rdx, %%rcx\n\tadc $0, %%rdx", ARITH);
	CASE("sub sbb chain", "sub %%ebx, %%eax\n\tsbb %%edx, %%ecx\n\tsbb $0, %%dl", ARITH);
	LOCKED("add", ARITH); LOCKED("adc", ARITH); LOCKED("sub", ARITH); LOCKED("sbb", ARITH);
	LOCKED("and", LOGIC); LOCKED("or", LOGIC); LOCKED("xor", LOGIC);
}

#define UNARY(op, fm)                                                           \
	CASE(op " r8", op " %%al", fm);                                         \
	CASE(op " r8h", op " %%bh", fm);                                        \
	CASE(op " r16", op " %%cx", fm);                                        \
	CASE(op " r32", op " %%edx", fm);                                       \
	CASE(op " r64", op " %%rax", fm);                                       \
	CASE(op " m16", op "w 2(%%rsi)", fm);                                   \
	CASE(op " m64", op "q 8(%%rsi)", fm);                                   \
	CASE("lock " op " m8", "lock " op "b 5(%%rsi)", fm);                    \
	CASE("lock " op " m32", "lock " op "l 12(%%rsi)", fm);                  \
	CASE("lock " op " m64", "lock " op "q 16(%%rsi)", fm)

static void family_unary(int n)
{
	UNARY("inc", ARITH);
	UNARY("dec", ARITH);
	UNARY("neg", ARITH);
	UNARY("not", ARITH);   /* not changes no flag: the input flags come back */
}

/* All 16 conditions as setcc bits, a cmov and a jcc after one flag setter. */
#define CONDS                                                                             \
	"xor %%edx, %%edx\n\t"                                                            \
	"seto %%dl\n\tshl $1, %%rdx\n\tsetno %%dl\n\tshl $1, %%rdx\n\t"                   \
	"setb %%dl\n\tshl $1, %%rdx\n\tsetae %%dl\n\tshl $1, %%rdx\n\t"                   \
	"sete %%dl\n\tshl $1, %%rdx\n\tsetne %%dl\n\tshl $1, %%rdx\n\t"                   \
	"setbe %%dl\n\tshl $1, %%rdx\n\tseta %%dl\n\tshl $1, %%rdx\n\t"                   \
	"sets %%dl\n\tshl $1, %%rdx\n\tsetns %%dl\n\tshl $1, %%rdx\n\t"                   \
	"setp %%dl\n\tshl $1, %%rdx\n\tsetnp %%dl\n\tshl $1, %%rdx\n\t"                   \
	"setl %%dl\n\tshl $1, %%rdx\n\tsetge %%dl\n\tshl $1, %%rdx\n\t"                   \
	"setle %%dl\n\tshl $1, %%rdx\n\tsetg %%dl\n\t"

#define COND_CASE(setter)                                                                 \
	CASE(setter, setter "\n\t" CONDS, ARITH);                                         \
	CASE(setter " cmov", setter "\n\tcmovl %%rbx, %%rcx\n\tcmova 8(%%rsi), %%ebx\n\t" \
	     "cmovp %%ax, %%cx\n\tcmovo %%rcx, %%rdx", 0);                                \
	CASE(setter " jcc", setter "\n\tjle 1f\n\tinc %%rcx\n1:\tjbe 2f\n\tinc %%rdx\n"   \
	     "2:\tjs 3f\n\tinc %%rbx\n3:", 0)

static void family_cond(int n)
{
	COND_CASE("cmp %%rbx, %%rax");
	COND_CASE("cmp %%ebx, %%eax");
	COND_CASE("cmp %%bx, %%ax");
	COND_CASE("cmp %%bl, %%al");
	COND_CASE("sub %%rbx, %%rax");
	COND_CASE("add %%ebx, %%eax");
	COND_CASE("adc %%bl, %%al");
	COND_CASE("sbb %%rbx, %%rax");
	COND_CASE("test %%ebx, %%eax");
	COND_CASE("and %%bx, %%ax");
	COND_CASE("inc %%eax");
	COND_CASE("dec %%al");
	COND_CASE("neg %%rax");
	COND_CASE("cmp $-3, %%rax");
	CASE("cmov false zero-extends", "cmp %%eax, %%eax\n\tcmovne %%ebx, %%ecx", 0);
	CASE("setcc m8", "cmp %%ebx, %%eax\n\tsetl 3(%%rsi)\n\tsetnbe 4(%%rsi)", 0);
}

static void family_move(int n)
{
	CASE("mov r8h", "mov %%bh, %%al\n\tmov %%cl, %%ah", 0);
	CASE("mov r32 zero-extends", "mov %%ebx, %%eax", 0);
	CASE("mov r16 keeps", "mov %%bx, %%ax\n\tmov %%dl, %%cl", 0);
	CASE("mov imm", "mov $-1, %%eax\n\tmovabs $0x123456789abcdef0, %%rbx\n\tmov $-5, %%rcx", 0);
	CASE("mov mem", "mov 8(%%rsi), %%eax\n\tmov %%bx, 16(%%rsi)\n\tmovq $-7, 24(%%rsi)\n\t"
	     "movb $0x80, 32(%%rsi)\n\tmov 40(%%rsi), %%dh", 0);
	CASE("movzx", "movzbl %%bl, %%eax\n\tmovzwq %%cx, %%rdx\n\tmovzbw 3(%%rsi), %%bx\n\t"
	     "movzbl %%ah, %%ecx", 0);
	CASE("movsx", "movsbl %%bl, %%eax\n\tmovswq %%cx, %%rdx\n\tmovsbw 3(%%rsi), %%bx\n\t"
	     "movslq 8(%%rsi), %%rcx", 0);
	CASE("movsxd", "movslq %%ebx, %%rax\n\tmovsbl %%ah, %%ecx", 0);
	CASE("movsxd r32", ".byte 0x63, 0xc3", 0);   /* movsxd eax, ebx without REX.W */
	CASE("cbw..cqo", "cbtw\n\tmov %%rbx, %%rax\n\tcwtl\n\tmov %%rcx, %%rax\n\tcltq\n\t"
	     "mov %%rbx, %%rax\n\tcwtd", 0);
	CASE("cdq cqo", "cltd\n\tmov %%rdx, %%rbx\n\tmov %%rcx, %%rax\n\tcqto", 0);
	CASE("lea", "lea 7(%%rbx,%%rcx,4), %%rax\n\tlea -9(%%rax,%%rdx,8), %%ebx\n\t"
	     "lea (%%rcx,%%rcx,2), %%cx", 0);
	CASE("lea addr32", "lea -1(%%ecx), %%edx\n\tlea 0x7fffffff(%%ebx,%%eax,2), %%rax", 0);
	CASE("xchg", "xchg %%rax, %%rbx\n\txchg %%cl, %%dh\n\txchg %%eax, %%eax", 0);
	CASE("xchg mem", "xchg %%rax, 8(%%rsi)\n\txchg 4(%%rsi), %%bx\n\tlock xchg %%cl, 2(%%rsi)", 0);
	CASE("nops", "nop\n\tnopl 0(%%rax,%%rax)\n\t.byte 0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0\n\t"
	     "pause\n\tlfence\n\tmfence\n\tsfence\n\tprefetcht0 (%%rsi)\n\tendbr64", ARITH);
}

/* ret imm16 target: pops its return address and 16 bytes of arguments. */
__asm__(".text\n"
	"intcore_ret16:\n\tlea 1(%rax), %rax\n\tret $16\n"
	"intcore_frame:\n\tpush %rbp\n\tmov %rsp, %rbp\n\tsub $64, %rsp\n\tmov %rbx, -8(%rbp)\n\t"
	"mov -8(%rbp), %rcx\n\tleave\n\tret\n");

static void family_stack(int n)
{
	CASE("push pop 64", "push %%rax\n\tpush $-3\n\tpush $0x7fffffff\n\tpop %%rbx\n\tpop %%rcx\n\t"
	     "pop %%rdx", 0);
	CASE("push pop 16", "push %%ax\n\tpushw $-2\n\tpop %%bx\n\tpop %%cx", 0);
	CASE("push pop mem", "pushq 8(%%rsi)\n\tpushw 16(%%rsi)\n\tpopw 24(%%rsi)\n\tpopq 32(%%rsi)", 0);
	CASE("push rsp", "mov %%rsp, %%rbx\n\tpush %%rsp\n\tpop %%rax\n\tsub %%rbx, %%rax\n\txor %%ebx, %%ebx", 0);
	CASE("pop rsp", "mov %%rsp, %%rbx\n\tpush %%rsp\n\tpop %%rsp\n\tsub %%rsp, %%rbx", 0);
	CASE("pop to rsp-based", "mov %%rsp, %%rdx\n\tpush %%rax\n\tpopq -16(%%rsp)\n\t"
	     "mov -16(%%rsp), %%rcx\n\tsub %%rsp, %%rdx", 0);
	CASE("call ret imm16", "push %%rbx\n\tpush %%rcx\n\tcall intcore_ret16", 0);
	CASE("leave", "call intcore_frame", 0);
	CASE("call indirect", "lea intcore_ret16(%%rip), %%rdx\n\tpush %%rax\n\tpush %%rax\n\t"
	     "call *%%rdx\n\tmov %%rdx, (%%rsi)\n\tpush %%rax\n\tpush %%rax\n\tcall *(%%rsi)\n\t"
	     "xor %%edx, %%edx\n\tmovq $0, (%%rsi)", 0);
	CASE("jmp indirect", "lea 1f(%%rip), %%rdx\n\tjmp *%%rdx\n\tinc %%rax\n1:\t"
	     "lea 2f(%%rip), %%rdx\n\tmov %%rdx, 8(%%rsi)\n\tjmp *8(%%rsi)\n\tinc %%rbx\n2:\t"
	     "xor %%edx, %%edx\n\tmovq $0, 8(%%rsi)", 0);
}

static void family_loop(int n)
{
	CASE("loop", "and $15, %%ecx\n\tinc %%ecx\n1:\tadd %%rcx, %%rax\n\tloop 1b", ARITH);
	CASE("loope", "and $15, %%ecx\n\tinc %%ecx\n1:\tinc %%rax\n\tcmp %%bl, %%al\n\tloope 1b",
	     ARITH);
	CASE("loopne", "and $15, %%ecx\n\tinc %%ecx\n1:\tinc %%rax\n\ttest $3, %%al\n\tloopne 1b",
	     ARITH);
	CASE("jrcxz", "and $1, %%ecx\n\tjrcxz 1f\n\tinc %%rax\n1:\tjecxz 2f\n\tinc %%rbx\n2:", 0);
	CASE("loop ecx", "and $7, %%ecx\n\tinc %%ecx\n1:\tinc %%rbx\n\taddr32 loop 1b", 0);
}

/* Compiled code: branches, cmovs, setccs and address arithmetic as gcc emits them. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void family_compiled(void)
{
	static uint64_t v[4096];
	for (unsigned i = 0; i < 4096; i++)
		v[i] = edge();
	qsort(v, 4096, sizeof v[0], cmp_u64);
	hash = fnv1a(hash, v, sizeof v);
	int64_t acc = 0;
	for (unsigned i = 0; i < 4096; i++) {
		int64_t x = (int64_t)v[i];
		acc += x < 0 ? -x : x;
		acc ^= (acc << 7) | (x > acc);
		if ((int32_t)x > (int32_t)acc)
			acc -= (int16_t)x;
		acc += (int8_t)(x >> 3) * 3 + (uint16_t)(x >> 17);
	}
	hash = fnv1a(hash, &acc, sizeof acc);
}

int main(int argc, char **argv)
{
	verbose = argc > 1 && !strcmp(argv[1], "-v");
	int n = verbose ? 8 : 200;
	static const struct { const char *name; void (*fn)(int); } fams[] = {
		{ "alu", family_alu }, { "unary", family_unary }, { "cond", family_cond },
		{ "move", family_move }, { "stack", family_stack }, { "loop", family_loop },
	};
	for (unsigned i = 0; i < sizeof fams / sizeof fams[0]; i++) {
		hash = FNV_INIT;
		fams[i].fn(n);
		printf("%-8s %016llx\n", fams[i].name, (unsigned long long)hash);
	}
	hash = FNV_INIT;
	family_compiled();
	printf("%-8s %016llx\n", "compiled", (unsigned long long)hash);
	return 0;
}
