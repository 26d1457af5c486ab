/* Shared by the decoder files (emu/decode*.c), the only ones that see Capstone.
 *
 * emu/decode.c walks a block with Capstone, turns each instruction's operands into `struct
 * dinsn`, fills op->pc, op->len and the memory operand fields (base, index, scale, seg, disp),
 * then asks each family's lowerer in turn. A lowerer picks the handler for the exact form and
 * size (op->fn) and fills rd, rs, imm and aux; it returns false when the instruction is not
 * its own or the form is not supported. An instruction nobody lowers becomes a SIGILL op that
 * raises the signal only if it runs.
 */
#ifndef SFDEMU_DECODE_INTERNAL_H
#define SFDEMU_DECODE_INTERNAL_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include "op.h"

enum dopnd_kind { DO_NONE, DO_GPR, DO_XMM, DO_ST, DO_IMM, DO_MEM, DO_OTHER };

struct dopnd {
	enum dopnd_kind kind;
	unsigned size;   /* bytes: the operand's width (for DO_MEM, the access width) */
	unsigned reg;    /* DO_GPR: byte offset into cpu->r (see op.h); DO_XMM/DO_ST: number */
	unsigned gpr;    /* DO_GPR: register index 0..15 (ah..bh give rax..rbx) */
	int64_t imm;     /* DO_IMM: Capstone's value (sign-extended to the operand size) */
	x86_reg capreg;  /* DO_GPR/DO_XMM/DO_ST/DO_OTHER: Capstone's register id */
};

struct dinsn {
	const cs_insn *insn;
	const cs_x86 *x86;
	unsigned id;          /* X86_INS_* */
	uint64_t pc;
	unsigned len;
	unsigned nops;
	struct dopnd o[4];
	int mem;              /* index of the memory operand in o[], or -1 */
	bool lock, rep, repne;/* prefixes: f0, f3, f2 */
	bool opsize;          /* 66 prefix */
};

typedef bool (*lower_fn)(const struct dinsn *d, struct op *op);

/* The family lowerers, tried in this order by emu/decode.c. */
bool lower_int(const struct dinsn *d, struct op *op);   /* emu/decode_int.c */
bool lower_sse(const struct dinsn *d, struct op *op);   /* emu/decode_sse.c */
bool lower_x87(const struct dinsn *d, struct op *op);   /* emu/decode_x87.c */
bool lower_intx(const struct dinsn *d, struct op *op);  /* emu/decode_intx.c */

/* emu/decode_flow.c: give the ops of a decoded block (n of them, before the terminator) whose
 * flags nothing reads the handler variants that record none. */
void dec_flow(struct op *ops, unsigned n);
/* emu/decode_flow.c: run a cmp or test and the jcc ending the block after it as one op. */
void dec_fuse(struct op *ops, unsigned n);
/* emu/decode_nop.c: the length of the hint NOP (0f 18..1f /r, prefixes included) at code, or 0
 * if it is none; avail bytes are readable. */
unsigned dec_hint_nop_len(const uint8_t *code, size_t avail);

#endif
