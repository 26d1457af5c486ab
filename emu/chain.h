/* Block chaining: a branch handler goes on with the block at its target directly, instead of
 * returning to the run loop, when that block is in the thread's jump cache and nothing asks
 * for the run loop's attention.
 *
 * What keeps this as safe as the run loop:
 * - cpu->exit_reason is checked before every chained block, as the run loop checks it before
 *   every block: a pending signal, another thread's kick (dropped blocks: the jump cache must
 *   be emptied), a store into decoded code, all stop the chain at the next block boundary.
 * - Only the jump cache is consulted. A miss goes back to the run loop, which decodes (under
 *   the block cache's locks, outside guest mode) and fills the cache. The jump cache holds
 *   blocks this thread may still run (emu/block.c frees a dropped block only once every thread
 *   has emptied its cache), so a hit is always a block that is there to run.
 * - Handlers go on by tail calls (OP_NEXT), so a chain of blocks does not grow the host stack.
 *   A handler that cannot end in a tail call returns op + 1 to the run loop instead; and in
 *   case one does not, chaining stops once the stack has grown CHAIN_STACK_MAX bytes below the
 *   run loop, which unwinds it.
 * - run_until() (tests) clears its stop address's jump-cache slot, so a chain never runs
 *   past the stop address.
 */
#ifndef SFDEMU_CHAIN_H
#define SFDEMU_CHAIN_H

#include <stddef.h>
#include "block.h"

#define CHAIN_STACK_MAX (256 * 1024)

/* The lowest host stack address chaining may reach in this thread (set by the run loop). */
extern _Thread_local uintptr_t chain_stack_floor;

static inline uintptr_t chain_sp(void)
{
	uintptr_t sp;
	__asm__("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

/* The run loop, before running blocks. */
static inline void chain_enter(void)
{
	chain_stack_floor = chain_sp() - CHAIN_STACK_MAX;
}

static inline struct thread *chain_thread(struct cpu *cpu)
{
	return (struct thread *)((char *)cpu - offsetof(struct thread, cpu));
}

/* Leave the block for guest address pc: run the block there now if it may be, else return
 * to the run loop (cpu->rip = pc, NULL). */
static inline __attribute__((always_inline)) const struct op *op_goto(struct cpu *cpu,
									  uint64_t pc)
{
	struct block *b = chain_thread(cpu)->jcache[blk_jcache_slot(pc)];
	if (likely(b && b->pc == pc && !cpu->exit_reason && chain_sp() > chain_stack_floor))
		return b->ops[0].fn(cpu, b->ops);
	cpu->rip = pc;
	return NULL;
}

#endif
