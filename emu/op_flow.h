/* What the decoder's passes over a block (emu/decode_flow.c) know about a handler: which
 * arithmetic flags it reads, which it may write and which it always writes, whether it may
 * leave its block before the block's end, a variant of it that records no flags at all (for
 * when nothing reads the flags it writes), and a variant for a memory operand that is
 * [base + disp] (no index, no segment: op_ea_bd, a few instructions less per access).
 *
 * Each op family lists the handlers it knows this about (ops_alu.c, ops_mov.c, ops_branch.c,
 * ops_shift.c, ops_muldiv.c); a handler in no list is taken to read every flag and to leave
 * its block early, which is always safe. Flags are FL_* bits of emu/cpu.h (FL_ARITH).
 */
#ifndef SFDEMU_OP_FLOW_H
#define SFDEMU_OP_FLOW_H

#include "op.h"

struct op_flow {
	op_fn fn;
	op_fn nf;           /* fn without recording flags (the same result otherwise), or NULL */
	op_fn bd;           /* fn for a memory operand without index and segment (op_ea_bd) */
	uint16_t reads;     /* flags fn reads */
	uint16_t writes;    /* flags fn may change */
	uint16_t kills;     /* flags fn always sets, whatever its operands */
	bool exits;         /* may leave the block early: a guest fault, a trap, a cut-short rep */
};

#define OP_FLOW(fn_, nf_, reads_, writes_, kills_, exits_) \
	{ .fn = fn_, .nf = nf_, .reads = reads_, .writes = writes_, .kills = kills_, .exits = exits_ },
/* The same with the [base + disp] variant. */
#define OP_FLOW_BD(fn_, nf_, bd_, reads_, writes_, kills_, exits_)                                \
	{ .fn = fn_, .nf = nf_, .bd = bd_, .reads = reads_, .writes = writes_, .kills = kills_,     \
	  .exits = exits_ },
/* A handler that neither touches the flags nor leaves its block early. */
#define OP_FLOW_PLAIN(fn_) OP_FLOW(fn_, NULL, 0, 0, 0, false)
/* One that touches no flags but may fault; and one with a [base + disp] variant. */
#define OP_FLOW_MEM(fn_) OP_FLOW(fn_, NULL, 0, 0, 0, true)
#define OP_FLOW_MEM_BD(fn_) OP_FLOW_BD(fn_, NULL, fn_##_bd, 0, 0, 0, true) OP_FLOW_MEM(fn_##_bd)

/* The families' lists, each ended by an entry with fn NULL. */
extern const struct op_flow ops_alu_flow[];
extern const struct op_flow ops_mov_flow[];
extern const struct op_flow ops_branch_flow[];
extern const struct op_flow ops_shift_flow[];
extern const struct op_flow ops_muldiv_flow[];

/* The flags condition code cc reads (o: OF, b: CF, e: ZF, be: CF|ZF, s: SF, p: PF, l: SF|OF,
 * le: ZF|SF|OF, each with its negation); a constant expression for a constant cc. */
#define OP_FLOW_CC_READS(cc)                                                                 \
	((cc) >> 1 == 0 ? FL_OF : (cc) >> 1 == 1 ? FL_CF : (cc) >> 1 == 2 ? FL_ZF :            \
	 (cc) >> 1 == 3 ? FL_CF | FL_ZF : (cc) >> 1 == 4 ? FL_SF : (cc) >> 1 == 5 ? FL_PF :    \
	 (cc) >> 1 == 6 ? FL_SF | FL_OF : FL_ZF | FL_SF | FL_OF)

#endif
