/* The block cache: guest pc -> decoded block. Blocks are decoded once and kept until the
 * memory holding their code is unmapped, changes protection or is written. */
#ifndef SFDEMU_BLOCK_H
#define SFDEMU_BLOCK_H

#include <stdint.h>
#include "op.h"
#include "process.h"

struct block {
	uint64_t pc;            /* guest address of the first instruction */
	uint64_t end;           /* guest address after the last instruction */
	struct block *hash_next;   /* bucket chain in the pc hash (kept once dropped) */
	struct block *page_next;   /* chain of blocks starting in the same code page */
	struct block *dead_next;   /* dropped: the graveyard's chain */
	uint64_t dead_epoch;    /* dropped: the epoch every running thread must reach first */
	unsigned nops;
	struct op ops[];        /* nops ops, then a terminator */
};

/* The jump-cache miss path: find the block at pc in the hash (no lock), or decode it (under
 * mm_lock and blk_lock). */
struct block *blk_lookup(struct thread *t, uint64_t pc);

static inline unsigned blk_jcache_slot(uint64_t pc)
{
	return (unsigned)(pc ^ (pc >> JCACHE_BITS)) & (JCACHE_SIZE - 1);
}

/* The block at pc, decoding it on first use. Never NULL: an undecodable or non-executable pc
 * gives a block whose op raises the guest signal. No lock on a jump-cache hit. */
static inline struct block *blk_get(struct thread *t, uint64_t pc)
{
	struct block *b = t->jcache[blk_jcache_slot(pc)];
	if (likely(b && b->pc == pc))
		return b;
	return blk_lookup(t, pc);
}
/* Drop every block with code in [start, end). Called between blocks, holding mm_lock (read
 * or write) when other threads may run; other threads drop theirs at their next block
 * boundary, and the memory is freed once none can still be running them. */
void blk_invalidate(uint64_t start, uint64_t end);

/* A thread kicked with KICK_JCACHE, at a block boundary: empty its jump cache, record the
 * epoch it has reached, free what no thread can be running any more. */
void blk_catch_up(struct thread *t);
/* The current drop epoch (a new thread starts caught up with it). */
uint64_t blk_epoch_now(void);

/* Self-modifying code. A page that holds decoded code and that the guest may write is kept
 * read-only on the host. A store into it faults: blk_code_write_fault() (async-signal-safe,
 * lock-free, from the host SIGSEGV handler) gives the page its guest protection back so the
 * store can be retried, and notes the page in the current thread's written list;
 * blk_flush_written() drops the noted pages' blocks at that thread's next block boundary.
 * Returns false when addr is not such a page. */
bool blk_code_write_fault(uint64_t addr);
void blk_flush_written(struct thread *t);
/* Make every protected code page writable again (as if each had been written); for a host
 * syscall that failed with EFAULT because the kernel met such a page. False if none was. */
bool blk_unprotect_all(void);

/* emu/decode.c: decode the block at pc (malloc'd). */
struct block *dec_block(uint64_t pc);
/* emu/decode.c: "(mnemonic operands)" of the instruction at pc, for diagnostics. */
const char *dec_describe(uint64_t pc);
/* emu/decode.c: release the calling host thread's decoder (when its guest thread ends). */
void dec_thread_exit(void);

#endif
