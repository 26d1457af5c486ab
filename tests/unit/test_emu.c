/* The interpreter's basic behaviours through the test harness: straight-line code, loops,
 * call/ret, push/pop, lazy flags, precise faults (SIGSEGV with the address, SIGILL, SIGFPE,
 * SIGTRAP), undecodable bytes that fault only when run, re-decoding after munmap and remap or
 * a guest store into code, and the syscall exit. */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "emu_harness.h"
#include "../../emu/cpuid.h"

#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define PAGE 4096

static uint8_t *page;  /* a fresh code page per test */

static uint64_t load(const uint8_t *code, size_t n)
{
	eh_init();
	page = eh_map(NULL, PAGE, RWX);
	eh_write(page, code, n);
	eh_reset();
	return (uint64_t)(uintptr_t)page;
}

static void done(void)
{
	eh_unmap(page, PAGE);
}

static void test_straight_line(void)
{
	static const uint8_t c[] = {
		0xb8, 0x05, 0, 0, 0,          /* mov eax, 5 */
		0x83, 0xc0, 0x07,             /* add eax, 7 */
		0x6b, 0xc0, 0x03,             /* imul eax, eax, 3 */
		0x48, 0x89, 0xc3,             /* mov rbx, rax */
		0x48, 0xc1, 0xe3, 0x20,       /* shl rbx, 32 */
		0x48, 0x09, 0xc3,             /* or rbx, rax */
		0x31, 0xc9,                   /* xor ecx, ecx */
		0xeb, 0x00,                   /* jmp next */
	};
	uint64_t pc = load(c, sizeof c);
	eh_set_reg(R_RCX, 77);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 36);
	CU_ASSERT_EQUAL(eh_reg(R_RBX), 0x2400000024ull);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 0);
	CU_ASSERT_EQUAL(eh_flags() & FL_ARITH, FL_ZF | FL_PF);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + sizeof c);
	done();
}

static void test_loop(void)
{
	static const uint8_t c[] = {
		0xb9, 0x0a, 0, 0, 0,          /* mov ecx, 10 */
		0x31, 0xc0,                   /* xor eax, eax */
		0x01, 0xc8,                   /* L: add eax, ecx */
		0xff, 0xc9,                   /* dec ecx */
		0x75, 0xfa,                   /* jnz L */
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 55);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 0);
	CU_ASSERT_EQUAL(eh_flags() & (FL_ZF | FL_SF), FL_ZF);
	done();
}

static void test_call_ret(void)
{
	static const uint8_t c[] = {
		0xe8, 0x06, 0, 0, 0,          /* 0: call f (11) */
		0x48, 0x83, 0xc3, 0x01,       /* 5: add rbx, 1 */
		0xeb, 0x06,                   /* 9: jmp 17 */
		0xb8, 0x2a, 0, 0, 0,          /* 11: f: mov eax, 42 */
		0xc3,                         /* 16: ret */
	};
	uint64_t pc = load(c, sizeof c);
	uint64_t sp = eh_reg(R_RSP);
	eh_set_reg(R_RBX, 100);
	CU_ASSERT_EQUAL(eh_run(pc, pc + 17), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 42);
	CU_ASSERT_EQUAL(eh_reg(R_RBX), 101);
	CU_ASSERT_EQUAL(eh_reg(R_RSP), sp);
	uint64_t ret;
	memcpy(&ret, (void *)(uintptr_t)(sp - 8), 8);
	CU_ASSERT_EQUAL(ret, pc + 5);
	done();
}

static void test_indirect(void)
{
	static const uint8_t c[] = {
		0x48, 0x8d, 0x05, 0x0d, 0, 0, 0, /* 0: lea rax, [rip+13] (g: 20) */
		0xff, 0xd0,                   /* 7: call rax */
		0xff, 0x23,                   /* 9: jmp [rbx] */
		0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
		0xb9, 0x07, 0, 0, 0,          /* 20: g: mov ecx, 7 */
		0xf3, 0xc3,                   /* 25: repz ret */
	};
	uint64_t pc = load(c, sizeof c);
	uint64_t sp = eh_reg(R_RSP), target = pc + sizeof c;
	memcpy(page + 64, &target, 8);
	eh_set_reg(R_RBX, pc + 64);
	CU_ASSERT_EQUAL(eh_run(pc, target), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 7);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), pc + 20);
	CU_ASSERT_EQUAL(eh_reg(R_RSP), sp);
	done();
}

static void test_push_pop(void)
{
	static const uint8_t c[] = {
		0x53,                         /* push rbx */
		0x68, 0x78, 0x56, 0x34, 0xf2, /* push 0xfffffffff2345678 */
		0x59,                         /* pop rcx */
		0x5a,                         /* pop rdx */
		0x41, 0x50,                   /* push r8 */
		0x41, 0x5f,                   /* pop r15 */
		0x66, 0x53,                   /* push bx */
		0x66, 0x5e,                   /* pop si */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	uint64_t sp = eh_reg(R_RSP);
	eh_set_reg(R_RBX, 0x1122334455667788ull);
	eh_set_reg(R_R8, 0xdeadbeefcafef00dull);
	eh_set_reg(R_RSI, 0xaaaaaaaaaaaaaaaaull);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 0xfffffffff2345678ull);
	CU_ASSERT_EQUAL(eh_reg(R_RDX), 0x1122334455667788ull);
	CU_ASSERT_EQUAL(eh_reg(R_R15), 0xdeadbeefcafef00dull);
	CU_ASSERT_EQUAL(eh_reg(R_RSI), 0xaaaaaaaaaaaa7788ull);
	CU_ASSERT_EQUAL(eh_reg(R_RSP), sp);
	uint64_t v;
	memcpy(&v, (void *)(uintptr_t)(sp - 8), 8);
	CU_ASSERT_EQUAL(v, 0x7788beefcafef00dull); /* r8, its top word overwritten by push bx */
	done();
}

static void test_enter_leave(void)
{
	static const uint8_t c[] = {
		0x55,                         /* 0: push rbp */
		0x48, 0x89, 0xe5,             /* 1: mov rbp, rsp */
		0x48, 0x83, 0xec, 0x20,       /* 4: sub rsp, 32 */
		0xc9,                         /* 8: leave */
		0xc8, 0x10, 0x00, 0x00,       /* 9: enter 16, 0 */
		0xeb, 0x00,                   /* 13: jmp 15 */
		0xc9,                         /* 15: leave */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	uint64_t sp = eh_reg(R_RSP);
	eh_set_reg(R_RBP, 0x1234);
	CU_ASSERT_EQUAL(eh_run(pc, pc + 15), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RBP), sp - 8);
	CU_ASSERT_EQUAL(eh_reg(R_RSP), sp - 8 - 16);
	uint64_t v;
	memcpy(&v, (void *)(uintptr_t)(sp - 8), 8);
	CU_ASSERT_EQUAL(v, 0x1234);
	CU_ASSERT_EQUAL(eh_run(pc + 15, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RBP), 0x1234);
	CU_ASSERT_EQUAL(eh_reg(R_RSP), sp);
	done();
}

/* CPUID reports the baseline x86-64 of emu/cpuid.h, whatever the host has. */
static void test_cpuid(void)
{
	static const uint8_t c[] = { 0x0f, 0xa2, 0xeb, 0x00 };
	uint64_t pc = load(c, sizeof c);
	eh_set_reg(R_RAX, 1);
	eh_set_reg(R_RCX, 0);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RDX), CPUID_1_EDX);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), CPUID_1_ECX);
	eh_set_reg(R_RAX, 0x80000001u);
	eh_set_reg(R_RCX, 0);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RDX), CPUID_EXT1_EDX);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), CPUID_EXT1_ECX);
	done();
}

static void test_lazy_flags(void)
{
	static const uint8_t c[] = {
		0x39, 0xd8,                   /* cmp eax, ebx */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	eh_set_reg(R_RAX, 1);
	eh_set_reg(R_RBX, 2);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	/* 1 - 2: borrow, negative, low byte 0xff (even parity), borrow out of bit 3 */
	CU_ASSERT_EQUAL(eh_flags() & FL_ARITH, FL_CF | FL_PF | FL_AF | FL_SF);
	eh_set_flags(0x202 | FL_OF | FL_ZF | FL_DF);
	CU_ASSERT_EQUAL(eh_flags() & (FL_ARITH | FL_DF), FL_OF | FL_ZF | FL_DF);
	eh_set_flags(0x202);
	done();
}

/* ---- faults ---- */

static void test_segv(void)
{
	static const uint8_t c[] = {
		0xb9, 0x01, 0, 0, 0,          /* 0: mov ecx, 1 */
		0x48, 0x8b, 0x43, 0x10,       /* 5: mov rax, [rbx+16] */
		0xb9, 0x02, 0, 0, 0,          /* 9: mov ecx, 2 */
		0x89, 0x02,                   /* 14: mov [rdx], eax */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	uint8_t *gone = eh_map(NULL, PAGE, PROT_READ | PROT_WRITE);
	eh_unmap(gone, PAGE);
	uint64_t bad = (uint64_t)(uintptr_t)gone + 64;
	eh_set_reg(R_RBX, bad);
	eh_set_reg(R_RAX, 7);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGSEGV);
	CU_ASSERT_EQUAL(eh_cpu()->fault.code, SEGV_MAPERR);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, bad + 16);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 5);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 1);  /* the instruction before ran, the one after did not */
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 7);

	/* A write to a read-only page: SEGV_ACCERR. */
	uint8_t *ro = eh_map(NULL, PAGE, PROT_READ);
	eh_reset();
	eh_set_reg(R_RBX, (uint64_t)(uintptr_t)ro);
	eh_set_reg(R_RDX, (uint64_t)(uintptr_t)ro + 8);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGSEGV);
	CU_ASSERT_EQUAL(eh_cpu()->fault.code, SEGV_ACCERR);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, (uint64_t)(uintptr_t)ro + 8);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 14);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 2);
	eh_unmap(ro, PAGE);

	/* The thread goes on after a fault: the same code runs to the end on good pointers. */
	uint8_t *rw = eh_map(NULL, PAGE, PROT_READ | PROT_WRITE);
	eh_reset();
	memcpy(rw + 16, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	eh_set_reg(R_RBX, (uint64_t)(uintptr_t)rw);
	eh_set_reg(R_RDX, (uint64_t)(uintptr_t)rw + 100);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 0x8877665544332211ull);
	CU_ASSERT_EQUAL(memcmp(rw + 100, "\x11\x22\x33\x44", 4), 0);
	eh_unmap(rw, PAGE);
	done();
}

/* A data page followed by an unmapped one. */
static uint8_t *page_before_hole(void)
{
	uint8_t *d = eh_map(NULL, 2 * PAGE, PROT_READ | PROT_WRITE);
	eh_unmap(d + PAGE, PAGE);
	return d;
}

static void expect_segv_at(uint64_t pc, uint64_t addr)
{
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGSEGV);
	CU_ASSERT_EQUAL(eh_cpu()->fault.code, SEGV_MAPERR);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, addr);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc);
}

/* Accesses that run into an unmapped page fault at its first byte, and a rep string
 * instruction stops at the element that faults with rcx, rsi and rdi showing its progress
 * (as the CPU reports them on this machine). */
static void test_segv_progress(void)
{
	static const uint8_t c[] = {
		0x48, 0x8b, 0x03,             /* 0: mov rax, [rbx] */
		0xf3, 0xaa,                   /* 3: rep stosb */
		0xf3, 0x48, 0xa5,             /* 5: rep movsq */
		0xf3, 0x66, 0xab,             /* 8: rep stosw */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	uint8_t *d = page_before_hole();
	uint64_t hole = (uint64_t)(uintptr_t)d + PAGE;

	eh_set_reg(R_RBX, hole - 4);
	CU_ASSERT_EQUAL(eh_run(pc, pc + 3), EXIT_FAULT);
	expect_segv_at(pc, hole);

	eh_reset();
	eh_set_reg(R_RAX, 0x41);
	eh_set_reg(R_RDI, hole - 8);
	eh_set_reg(R_RCX, 16);
	CU_ASSERT_EQUAL(eh_run(pc + 3, pc + 5), EXIT_FAULT);
	expect_segv_at(pc + 3, hole);
	CU_ASSERT_EQUAL(eh_reg(R_RDI), hole);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 8);
	CU_ASSERT_EQUAL(memcmp(d + PAGE - 8, "AAAAAAAA", 8), 0);

	eh_reset();
	eh_set_reg(R_RSI, hole - 4);   /* the first quadword straddles the hole */
	eh_set_reg(R_RDI, (uint64_t)(uintptr_t)d);
	eh_set_reg(R_RCX, 3);
	CU_ASSERT_EQUAL(eh_run(pc + 5, pc + 8), EXIT_FAULT);
	expect_segv_at(pc + 5, hole);
	CU_ASSERT_EQUAL(eh_reg(R_RSI), hole - 4);
	CU_ASSERT_EQUAL(eh_reg(R_RDI), (uint64_t)(uintptr_t)d);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 3);

	eh_reset();
	memset(d + PAGE - 4, 0, 4);
	eh_set_reg(R_RAX, 0x4142);
	eh_set_reg(R_RDI, hole - 3);   /* the second word straddles the hole */
	eh_set_reg(R_RCX, 2);
	CU_ASSERT_EQUAL(eh_run(pc + 8, pc + sizeof c), EXIT_FAULT);
	expect_segv_at(pc + 8, hole);
	CU_ASSERT_EQUAL(eh_reg(R_RDI), hole - 1);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 1);
	CU_ASSERT_EQUAL(memcmp(d + PAGE - 3, "\x42\x41\x00", 3), 0);
	eh_unmap(d, PAGE);
	done();
}

static void test_ud2(void)
{
	static const uint8_t c[] = {
		0xb8, 0x01, 0, 0, 0,          /* 0: mov eax, 1 */
		0x0f, 0x0b,                   /* 5: ud2 */
		0xb8, 0x02, 0, 0, 0,
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGILL);
	CU_ASSERT_EQUAL(eh_cpu()->fault.code, ILL_ILLOPN);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, pc + 5);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 5);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 1);
	done();
}

/* 06 (push es) does not exist in 64-bit mode. Jumped over, it must not fault; run, it is SIGILL
 * at its own address, after the instructions before it in the block. */
static void test_undecodable(void)
{
	static const uint8_t c[] = {
		0xb8, 0x01, 0, 0, 0,          /* 0: mov eax, 1 */
		0x85, 0xc0,                   /* 5: test eax, eax */
		0x75, 0x02,                   /* 7: jnz 11 */
		0x06, 0x06,                   /* 9: (invalid) */
		0x83, 0xc0, 0x02,             /* 11: add eax, 2 */
		0xeb, 0x00,                   /* 14: jmp 16 */
		0xb9, 0x05, 0, 0, 0,          /* 16: mov ecx, 5 */
		0x06,                         /* 21: (invalid) */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + 16), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 3);
	CU_ASSERT_EQUAL(eh_run(pc + 16, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGILL);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, pc + 21);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 21);
	CU_ASSERT_EQUAL(eh_reg(R_RCX), 5);
	done();
}

static void test_div_zero(void)
{
	static const uint8_t c[] = {
		0x31, 0xc9,                   /* 0: xor ecx, ecx */
		0xb8, 0x09, 0, 0, 0,          /* 2: mov eax, 9 */
		0xf7, 0xf1,                   /* 7: div ecx */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGFPE);
	CU_ASSERT_EQUAL(eh_cpu()->fault.code, FPE_INTDIV);
	CU_ASSERT_EQUAL(eh_cpu()->fault.addr, pc + 7);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 7);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 9);
	done();
}

/* int3 is a trap (resumes after it); hlt in user mode is a general protection fault. */
static void test_int3_hlt(void)
{
	static const uint8_t c[] = {
		0xcc,                         /* 0: int3 */
		0xf4,                         /* 1: hlt */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGTRAP);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 1);
	CU_ASSERT_EQUAL(eh_run(pc + 1, pc + sizeof c), EXIT_FAULT);
	CU_ASSERT_EQUAL(eh_cpu()->fault.signo, SIGSEGV);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 1);
	done();
}

static void test_syscall_exit(void)
{
	static const uint8_t c[] = {
		0xb8, 0x27, 0, 0, 0,          /* 0: mov eax, 39 */
		0x0f, 0x05,                   /* 5: syscall */
		0xeb, 0x00,
	};
	uint64_t pc = load(c, sizeof c);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c), EXIT_SYSCALL);
	CU_ASSERT_EQUAL(eh_cpu()->rip, pc + 7);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 39);
	done();
}

/* ---- code that changes ---- */

static void test_remap_redecode(void)
{
	static const uint8_t c1[] = { 0xb8, 0x01, 0, 0, 0, 0xeb, 0x00 };
	static const uint8_t c2[] = { 0xb8, 0x02, 0, 0, 0, 0xeb, 0x00 };
	uint64_t pc = load(c1, sizeof c1);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c1), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 1);
	eh_unmap(page, PAGE);
	uint8_t *again = eh_map(page, PAGE, RWX);
	CU_ASSERT_PTR_EQUAL(again, page);
	eh_write(again, c2, sizeof c2);
	CU_ASSERT_EQUAL(eh_run(pc, pc + sizeof c2), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 2);
	done();
}

/* A guest store into a page holding decoded code: the next run of that code sees the store. */
static void test_store_redecode(void)
{
	eh_init();
	uint8_t *p = eh_map(NULL, 2 * PAGE, RWX);
	uint8_t *b = p + PAGE;  /* B: mov eax, imm32; jmp next */
	static const uint8_t cb[] = { 0xb8, 0x01, 0, 0, 0, 0xeb, 0x00 };
	memcpy(b, cb, sizeof cb);
	/* A: mov byte [rip + (b + 1 - next)], 7; jmp B */
	int32_t rel = (int32_t)((b + 1) - (p + 7));
	uint8_t ca[12] = { 0xc6, 0x05, 0, 0, 0, 0, 0x07, 0xe9, 0, 0, 0, 0 };
	memcpy(ca + 2, &rel, 4);
	int32_t jrel = (int32_t)(b - (p + 12));
	memcpy(ca + 8, &jrel, 4);
	memcpy(p, ca, sizeof ca);
	eh_reset();
	uint64_t stop = (uint64_t)(uintptr_t)b + sizeof cb;
	CU_ASSERT_EQUAL(eh_run((uint64_t)(uintptr_t)b, stop), EXIT_NONE);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 1);
	CU_ASSERT_EQUAL(eh_run((uint64_t)(uintptr_t)p, stop), EXIT_NONE);
	CU_ASSERT_EQUAL(b[1], 7);
	CU_ASSERT_EQUAL(eh_reg(R_RAX), 7);
	eh_unmap(p, 2 * PAGE);
}

void register_emu_tests(void)
{
	CU_pSuite s = CU_add_suite("emu", NULL, NULL);
	CU_add_test(s, "straight-line block", test_straight_line);
	CU_add_test(s, "loop with jcc", test_loop);
	CU_add_test(s, "call/ret", test_call_ret);
	CU_add_test(s, "indirect call/jmp, repz ret", test_indirect);
	CU_add_test(s, "push/pop", test_push_pop);
	CU_add_test(s, "enter/leave", test_enter_leave);
	CU_add_test(s, "cpuid: baseline x86-64", test_cpuid);
	CU_add_test(s, "lazy flags and flags_set", test_lazy_flags);
	CU_add_test(s, "memory faults: SIGSEGV with address, precise rip", test_segv);
	CU_add_test(s, "faults at a hole: first byte, rep progress", test_segv_progress);
	CU_add_test(s, "ud2: SIGILL at its pc", test_ud2);
	CU_add_test(s, "undecodable bytes: SIGILL only when run", test_undecodable);
	CU_add_test(s, "div by zero: SIGFPE FPE_INTDIV", test_div_zero);
	CU_add_test(s, "int3 SIGTRAP after it, hlt SIGSEGV", test_int3_hlt);
	CU_add_test(s, "syscall exit with rip after it", test_syscall_exit);
	CU_add_test(s, "munmap and remap: code decoded again", test_remap_redecode);
	CU_add_test(s, "guest store into code: decoded again", test_store_redecode);
}
