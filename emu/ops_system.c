/* Instructions that talk to the CPU or the kernel rather than compute: cpuid, rdtsc, the
 * trapping ones (ud2, int3, int n, hlt and the privileged instructions), the flag register
 * (pushf/popf, lahf/sahf, clc/stc/cmc, cld/std), syscall, enter, xlat and clflush.
 *
 * Signals are those Linux sends for the CPU exception each raises:
 *   ud2           #UD  SIGILL  ILL_ILLOPN, si_addr = pc, resumes at pc
 *   int3, int 3   #BP  SIGTRAP SI_KERNEL, resumes after the instruction
 *   int1 (icebp)  #DB  SIGTRAP TRAP_BRKPT, si_addr = the next instruction, resumes there
 *   int 4         #OF  SIGSEGV SI_KERNEL, resumes after the instruction
 *   int n, hlt, cli, in, out, ... (privileged)  #GP  SIGSEGV SI_KERNEL, si_addr 0, at pc
 * `int 0x80` gets #GP too: the 32-bit system call ABI it enters on kernels built with IA-32
 * emulation is not emulated, so it behaves as on a kernel booted with ia32_emulation=0.
 */
#include <signal.h>
#include <string.h>
#include <x86intrin.h>
#include "ops_intx.h"
#include "cpuid.h"

#define R(i) ((unsigned)(i) * 8)

/* ---- cpuid ---- */

#define CPUID_MAX_BASIC 7u
#define CPUID_MAX_EXT 0x80000008u
/* Family 6, model 0x55, stepping 4: a server core of the SSE2 era's successors. */
#define CPUID_1_EAX 0x00050654u
/* Brand index 0, CLFLUSH line 8 * 8 bytes, 1 logical processor, APIC id 0. */
#define CPUID_1_EBX 0x00010800u

/* Leaf 4 (deterministic cache parameters), one subleaf per cache; line size 64 bytes.
 * eax: type | level << 5 | self-initialising; ebx: (ways - 1) << 22 | 63; ecx: sets - 1. */
#define CACHE(type, level, ways, kib)                                                       \
	{ (type) | (level) << 5 | 1u << 8, ((ways) - 1u) << 22 | 63u,                       \
	  (kib) * 1024u / ((ways) * 64u) - 1u, 0 }
static const uint32_t cpuid_caches[][4] = {
	CACHE(1, 1, 8, 32),      /* L1 data 32 KiB, 8-way */
	CACHE(2, 1, 8, 32),      /* L1 instruction 32 KiB, 8-way */
	CACHE(3, 2, 16, 1024),   /* L2 1 MiB, 16-way */
	CACHE(3, 3, 16, 32768),  /* L3 32 MiB, 16-way */
};

static const char cpuid_brand[48] = "sfdemu x86-64 baseline CPU";

void cpuid_query(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof out[0]);
	switch (leaf) {
	case 0:   /* "GenuineIntel" in ebx, edx, ecx */
		out[0] = CPUID_MAX_BASIC;
		out[1] = 0x756e6547u;
		out[3] = 0x49656e69u;
		out[2] = 0x6c65746eu;
		break;
	case 1:
		out[0] = CPUID_1_EAX;
		out[1] = CPUID_1_EBX;
		out[2] = CPUID_1_ECX;
		out[3] = CPUID_1_EDX;
		break;
	case 2:   /* one round; descriptor 0xff: see leaf 4 */
		out[0] = 0x00ff0001u;
		break;
	case 4:
		if (sub < sizeof cpuid_caches / sizeof cpuid_caches[0])
			memcpy(out, cpuid_caches[sub], 4 * sizeof out[0]);
		break;
	case 0x80000000u:
		out[0] = CPUID_MAX_EXT;
		break;
	case 0x80000001u:
		out[2] = CPUID_EXT1_ECX;
		out[3] = CPUID_EXT1_EDX;
		break;
	case 0x80000002u: case 0x80000003u: case 0x80000004u:
		memcpy(out, cpuid_brand + (leaf - 0x80000002u) * 16, 16);
		break;
	case 0x80000006u:   /* L2: 1024 KiB, 16-way (code 8), 64-byte lines */
		out[2] = 1024u << 16 | 8u << 12 | 64u;
		break;
	case 0x80000008u:   /* 46 physical, 48 virtual address bits */
		out[0] = 48u << 8 | 46u;
		break;
	default:            /* leaves 3, 5, 6, 7 (no extended features) and unknown ones */
		break;
	}
}

static const struct op *op_cpuid(struct cpu *cpu, const struct op *op)
{
	uint32_t out[4];
	cpuid_query((uint32_t)cpu->r[R_RAX], (uint32_t)cpu->r[R_RCX], out);
	cpu->r[R_RAX] = out[0];
	cpu->r[R_RBX] = out[1];
	cpu->r[R_RCX] = out[2];
	cpu->r[R_RDX] = out[3];
	return OP_NEXT(cpu, op);
}

static const struct op *op_rdtsc(struct cpu *cpu, const struct op *op)
{
	uint64_t t = __rdtsc();
	cpu->r[R_RAX] = (uint32_t)t;
	cpu->r[R_RDX] = t >> 32;
	return OP_NEXT(cpu, op);
}

/* ---- traps ---- */

static const struct op *op_ud2(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGILL, ILL_ILLOPN, op->pc, op->pc);
}

static const struct op *op_int3(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGTRAP, SI_KERNEL, 0, op_next_pc(op));
}

static const struct op *op_int1(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGTRAP, TRAP_BRKPT, op_next_pc(op), op_next_pc(op));
}

/* A privileged instruction or an interrupt gate user code may not use: #GP. */
static const struct op *op_gp(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
}

/* int n: vector in op->imm. Only vectors 3 and 4 have gates user code may enter. */
static const struct op *op_int(struct cpu *cpu, const struct op *op)
{
	if (op->imm == 3)
		return op_int3(cpu, op);
	if (op->imm == 4)
		return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op_next_pc(op));
	return op_gp(cpu, op);
}

/* ---- flags ---- */

static const struct op *op_pushfq(struct cpu *cpu, const struct op *op)
{
	guest_push64(cpu, op, flags_get(cpu));
	return OP_NEXT(cpu, op);
}

static const struct op *op_popfq(struct cpu *cpu, const struct op *op)
{
	flags_set(cpu, guest_pop64(cpu, op));
	return OP_NEXT(cpu, op);
}

static const struct op *op_pushfw(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	st16(cpu->r[R_RSP] - 2, (uint16_t)flags_get(cpu));
	cpu->r[R_RSP] -= 2;
	return OP_NEXT(cpu, op);
}

static const struct op *op_popfw(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	uint16_t v = ld16(cpu->r[R_RSP]);
	cpu->r[R_RSP] += 2;
	flags_set(cpu, (flags_get(cpu) & ~0xffffull) | v);
	return OP_NEXT(cpu, op);
}

#define FL_LAHF (FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF)

static const struct op *op_lahf(struct cpu *cpu, const struct op *op)
{
	gpr_set8(cpu, R(R_RAX) + 1, (uint8_t)((flags_arith(cpu) & FL_LAHF) | 2));
	return OP_NEXT(cpu, op);
}

static const struct op *op_sahf(struct cpu *cpu, const struct op *op)
{
	intx_flags_update(cpu, FL_LAHF, gpr_get8(cpu, R(R_RAX) + 1));
	return OP_NEXT(cpu, op);
}

static const struct op *op_clc(struct cpu *cpu, const struct op *op)
{
	intx_flags_update(cpu, FL_CF, 0);
	return OP_NEXT(cpu, op);
}

static const struct op *op_stc(struct cpu *cpu, const struct op *op)
{
	intx_flags_update(cpu, FL_CF, FL_CF);
	return OP_NEXT(cpu, op);
}

static const struct op *op_cmc(struct cpu *cpu, const struct op *op)
{
	intx_flags_update(cpu, FL_CF, flags_cf(cpu) ? 0 : FL_CF);
	return OP_NEXT(cpu, op);
}

static const struct op *op_cld(struct cpu *cpu, const struct op *op)
{
	cpu->rflags &= ~(uint64_t)FL_DF;
	return OP_NEXT(cpu, op);
}

static const struct op *op_std(struct cpu *cpu, const struct op *op)
{
	cpu->rflags |= FL_DF;
	return OP_NEXT(cpu, op);
}

/* ---- the rest ---- */

static const struct op *op_syscall(struct cpu *cpu, const struct op *op)
{
	cpu->rip = op_next_pc(op);
	cpu->exit_reason = EXIT_SYSCALL;
	return NULL;
}

/* xlat: al = [seg:rbx + al]. */
static const struct op *op_xlat(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	uint64_t a = cpu->segbase[op->seg] + cpu->r[R_RBX] + gpr_get8(cpu, R(R_RAX));
	gpr_set8(cpu, R(R_RAX), ld8(a));
	return OP_NEXT(cpu, op);
}

/* enter size (op->imm), level (op->aux, already masked to 0..31): push rbp, copy level - 1
 * frame pointers from the enclosing frame, push the new frame pointer, reserve size bytes.
 * Registers change only once every access has succeeded, so a fault leaves them intact. */
static const struct op *op_enter(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	uint64_t rsp = cpu->r[R_RSP] - 8, rbp = cpu->r[R_RBP];
	st64(rsp, rbp);
	uint64_t frame = rsp;
	if (op->aux) {
		for (unsigned i = 1; i < op->aux; i++) {
			rbp -= 8;
			rsp -= 8;
			st64(rsp, ld64(rbp));
		}
		rsp -= 8;
		st64(rsp, frame);
	}
	cpu->r[R_RBP] = frame;
	cpu->r[R_RSP] = rsp - (uint64_t)op->imm;
	return OP_NEXT(cpu, op);
}

/* clflush m8: the host's, so an unmapped address faults as it would natively. */
static const struct op *op_clflush(struct cpu *cpu, const struct op *op)
{
	_mm_clflush((const void *)(uintptr_t)op_ea(cpu, op));
	return OP_NEXT(cpu, op);
}

const op_fn intx_sys[SYS_N] = {
	[SYS_CPUID] = op_cpuid, [SYS_RDTSC] = op_rdtsc, [SYS_UD2] = op_ud2, [SYS_INT3] = op_int3,
	[SYS_INT1] = op_int1, [SYS_INT] = op_int, [SYS_HLT] = op_gp, [SYS_PRIV] = op_gp,
	[SYS_PUSHFQ] = op_pushfq, [SYS_POPFQ] = op_popfq, [SYS_PUSHFW] = op_pushfw,
	[SYS_POPFW] = op_popfw, [SYS_LAHF] = op_lahf, [SYS_SAHF] = op_sahf, [SYS_CLC] = op_clc,
	[SYS_STC] = op_stc, [SYS_CMC] = op_cmc, [SYS_CLD] = op_cld, [SYS_STD] = op_std,
	[SYS_SYSCALL] = op_syscall, [SYS_XLAT] = op_xlat, [SYS_ENTER] = op_enter,
	[SYS_CLFLUSH] = op_clflush,
};
