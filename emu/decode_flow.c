/* Flag liveness over a decoded block: an op whose flags nothing reads gets the variant of its
 * handler that records none (most add, sub, xor, shifts and the like: the next flag writer
 * overwrites their flags before any jcc, setcc, cmovcc or adc reads them).
 *
 * A backward pass from the block's end, where every flag is live (whatever runs next may read
 * it). What each handler reads, writes and always writes comes from the families' lists
 * (emu/op_flow.h); a handler in no list counts as reading every flag.
 *
 * Signals. The guest sees the flags in the ucontext of a signal handler, so they must be
 * exact wherever a block can be left for a signal: at block boundaries (where asynchronous
 * signals are delivered, and every flag is live), and at any op that may leave its block
 * early: a guest memory fault, a trap (divide error, ud2, int3), a rep string op cut short by a
 * pending signal. Such ops count as reading every flag, so the flags are exact there too, and a
 * handler that inspects or edits them, or resumes at the faulting instruction, sees what it
 * would natively. Dropping flags is thus limited to writers whose flags are overwritten before
 * the next op that may leave the block; in hot loops that still covers most of them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "decode_internal.h"
#include "op_flow.h"
#include "ops_int.h"

#define FLOW_HASH_BITS 11

static const struct op_flow *flow_hash[1u << FLOW_HASH_BITS];
static pthread_once_t flow_once = PTHREAD_ONCE_INIT;

static unsigned flow_slot(op_fn fn)
{
	uint64_t k = (uint64_t)(uintptr_t)fn;
	return (unsigned)((k * 0x9e3779b97f4a7c15ull) >> (64 - FLOW_HASH_BITS));
}

static void flow_init(void)
{
	static const struct op_flow *const lists[] = {
		ops_alu_flow, ops_mov_flow, ops_branch_flow, ops_shift_flow, ops_muldiv_flow,
	};
	unsigned used = 0;
	for (unsigned l = 0; l < sizeof lists / sizeof lists[0]; l++) {
		for (const struct op_flow *f = lists[l]; f->fn; f++) {
			unsigned i = flow_slot(f->fn);
			while (flow_hash[i] && flow_hash[i]->fn != f->fn)
				i = (i + 1) & ((1u << FLOW_HASH_BITS) - 1);
			if (flow_hash[i])
				continue;   /* listed twice (a handler shared by two forms) */
			if (++used > (1u << FLOW_HASH_BITS) / 2) {
				fprintf(stderr, "sfdemu: flag liveness table too small\n");
				abort();
			}
			flow_hash[i] = f;
		}
	}
}

static const struct op_flow *flow_find(op_fn fn)
{
	unsigned i = flow_slot(fn);
	for (const struct op_flow *f; (f = flow_hash[i]); i = (i + 1) & ((1u << FLOW_HASH_BITS) - 1))
		if (f->fn == fn)
			return f;
	return NULL;
}

void dec_flow(struct op *ops, unsigned n)
{
	pthread_once(&flow_once, flow_init);
	uint16_t live = FL_ARITH;
	for (unsigned i = n; i-- > 0;) {
		const struct op_flow *f = flow_find(ops[i].fn);
		if (f && f->bd && ops[i].index == R_ZERO && ops[i].seg == SEG_NONE) {
			ops[i].fn = f->bd;
			f = flow_find(f->bd);
		}
		if (!f) {
			live = FL_ARITH;
			continue;
		}
		if (f->nf && !(live & f->writes))
			ops[i].fn = f->nf;
		live = f->exits ? FL_ARITH : (uint16_t)((live & ~f->kills) | f->reads);
	}
}

/* The fused handler for writer `fn` and condition cc, or NULL. */
static op_fn fused_for(op_fn fn, int cc)
{
	static const int cmp[2] = { ALU_CMP, ALU_TEST };
	for (int k = 0; k < 2; k++)
		for (int form = FORM_RR; form <= FORM_MI; form++)
			for (int s = 0; s < SZ_N; s++) {
				op_fn plain = ops_alu[cmp[k]][form][s];
				const struct op_flow *f = plain ? flow_find(plain) : NULL;
				if (fn == plain)
					return ops_fused[k][form][s][cc];
				if (f && fn == f->bd)
					return ops_fused_bd[k][form][s][cc];
			}
	static const int alu[3] = { [FUSE_SUB] = ALU_SUB, [FUSE_AND] = ALU_AND, [FUSE_ADD] = ALU_ADD };
	for (int k = FUSE_SUB; k <= FUSE_ADD; k++)
		for (int s = 0; s < SZ_N; s++) {
			if (fn == ops_alu[alu[k]][FORM_RR][s])
				return ops_fused_alu[k][0][s][cc];
			if (fn == ops_alu[alu[k]][FORM_RI][s])
				return ops_fused_alu[k][1][s][cc];
		}
	for (int s = 0; s < SZ_N; s++) {
		if (fn == ops_unary[UN_INC][UFORM_R][s])
			return ops_fused_alu[FUSE_INC][0][s][cc];
		if (fn == ops_unary[UN_DEC][UFORM_R][s])
			return ops_fused_alu[FUSE_DEC][0][s][cc];
	}
	return NULL;
}

/* A cmp or test (or a register's sub, and, add, inc or dec) whose flags the jcc ending the
 * block reads becomes one op deciding the branch (emu/ops_fused.c). */
void dec_fuse(struct op *ops, unsigned n)
{
	pthread_once(&flow_once, flow_init);
	if (n < 2)
		return;
	int cc = -1;
	for (int i = 0; i < 16; i++)
		if (ops[n - 1].fn == ops_jcc[i])
			cc = i;
	if (cc < 0)
		return;
	op_fn fused = fused_for(ops[n - 2].fn, cc);
	if (fused)
		ops[n - 2].fn = fused;
}
