/* A pre-decoded guest instruction (an op) and the helpers every op handler uses.
 *
 * A block is an array of ops run as `for (op = b->ops; op; op = op->fn(cpu, op))`. A handler
 * goes on with OP_NEXT(cpu, op) (or returns op + 1), or sets cpu->rip and returns NULL to
 * leave the block (a branch, a syscall, a fault). One guest instruction is one op, so op->pc names the instruction precisely.
 *
 * Operand fields, filled by the decoder (emu/decode*.c):
 *   rd, rs     GPR operands as a byte offset into cpu->r (index * 8; ah, ch, dh, bh are the
 *              index of rax..rbx * 8 + 1), so one access serves every size; XMM and x87 operands
 *              as the register number.
 *   base,index register index 0..15, or R_ZERO when absent; scale is a shift count 0..3.
 *   seg        SEG_NONE, SEG_FS or SEG_GS.
 *   disp       displacement; a RIP-relative operand is already absolute.
 *   imm        immediate, extended as the instruction defines.
 *   aux        lowering-defined (a condition code, a size, a second immediate).
 */
#ifndef SFDEMU_OP_H
#define SFDEMU_OP_H

#include <stdint.h>
#include <string.h>
#include "cpu.h"

struct op;
typedef const struct op *(*op_fn)(struct cpu *cpu, const struct op *op);

struct op {
	op_fn fn;
	uint64_t pc;
	int64_t disp;
	int64_t imm;
	uint8_t len;
	uint8_t rd, rs;
	uint8_t base, index, scale, seg;
	uint8_t aux;
};

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Go on with the next op of the block by calling it from here rather than returning op + 1
 * to the run loop: the call is a tail call (a jump) at -O2, which saves the return to the
 * loop and gives each handler its own indirect jump to predict. A block has at most a few
 * dozen ops and always ends with a branch or a terminator returning NULL, so even without
 * tail calls the depth is bounded. */
#define OP_NEXT(cpu, op) ((op)[1].fn((cpu), (op) + 1))

static inline uint64_t op_next_pc(const struct op *op) { return op->pc + op->len; }

/* The effective address of op's memory operand. Marks op as the one touching memory, so a
 * host fault on the access becomes a precise guest fault at op->pc. */
static inline uint64_t op_ea(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	return cpu->segbase[op->seg] + cpu->r[op->base] + (cpu->r[op->index] << op->scale) +
	       (uint64_t)op->disp;
}

/* op_ea() for an operand known to be [base + disp] (no index, no segment: the decoder picks
 * handlers using it only then), or an absolute or RIP-relative address (base R_ZERO). */
static inline uint64_t op_ea_bd(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	return cpu->r[op->base] + (uint64_t)op->disp;
}

/* GPR access by byte offset (op->rd / op->rs). A 32-bit write zero-extends; 8- and 16-bit
 * writes keep the rest of the register, as on x86-64. */
#define GPR_PTR(cpu, off) ((char *)(cpu)->r + (off))
static inline uint64_t gpr_get64(struct cpu *c, unsigned off) { return *(uint64_t *)GPR_PTR(c, off); }
static inline uint32_t gpr_get32(struct cpu *c, unsigned off) { return *(uint32_t *)GPR_PTR(c, off); }
static inline uint16_t gpr_get16(struct cpu *c, unsigned off) { return *(uint16_t *)GPR_PTR(c, off); }
static inline uint8_t gpr_get8(struct cpu *c, unsigned off) { return *(uint8_t *)GPR_PTR(c, off); }
static inline void gpr_set64(struct cpu *c, unsigned off, uint64_t v) { *(uint64_t *)GPR_PTR(c, off) = v; }
static inline void gpr_set32(struct cpu *c, unsigned off, uint32_t v) { *(uint64_t *)GPR_PTR(c, off) = v; }
static inline void gpr_set16(struct cpu *c, unsigned off, uint16_t v) { *(uint16_t *)GPR_PTR(c, off) = v; }
static inline void gpr_set8(struct cpu *c, unsigned off, uint8_t v) { *(uint8_t *)GPR_PTR(c, off) = v; }

/* Guest memory is host memory at the same address: plain, possibly unaligned, accesses.
 * Call op_ea() (or set cpu->cur_op) before the first access of an op. */
#define DEFINE_GUEST_ACCESS(bits)                                                   \
	static inline uint##bits##_t ld##bits(uint64_t a)                           \
	{                                                                           \
		uint##bits##_t v;                                                   \
		memcpy(&v, (const void *)(uintptr_t)a, sizeof v);                   \
		return v;                                                           \
	}                                                                           \
	static inline void st##bits(uint64_t a, uint##bits##_t v)                   \
	{                                                                           \
		memcpy((void *)(uintptr_t)a, &v, sizeof v);                         \
	}
DEFINE_GUEST_ACCESS(8)
DEFINE_GUEST_ACCESS(16)
DEFINE_GUEST_ACCESS(32)
DEFINE_GUEST_ACCESS(64)
#undef DEFINE_GUEST_ACCESS

/* Stack helpers for push/pop-like ops. */
static inline void guest_push64(struct cpu *cpu, const struct op *op, uint64_t v)
{
	cpu->cur_op = op;
	st64(cpu->r[R_RSP] - 8, v);
	cpu->r[R_RSP] -= 8;
}
static inline uint64_t guest_pop64(struct cpu *cpu, const struct op *op)
{
	cpu->cur_op = op;
	uint64_t v = ld64(cpu->r[R_RSP]);
	cpu->r[R_RSP] += 8;
	return v;
}

/* Leave the block at guest address `pc`. */
static inline const struct op *op_exit_to(struct cpu *cpu, uint64_t pc)
{
	cpu->rip = pc;
	return NULL;
}

/* Raise a synchronous guest signal from op. `rip` is where the guest resumes if the signal
 * is handled: op->pc for faults (ud2, a divide error), op_next_pc(op) for traps (int3). */
const struct op *cpu_raise(struct cpu *cpu, const struct op *op, int signo, int code,
			   uint64_t addr, uint64_t rip);

#endif
