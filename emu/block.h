/* The block cache: guest pc -> decoded block. Blocks are decoded once and kept until the
 * memory holding their code is unmapped or changes protection. */
#ifndef SFDEMU_BLOCK_H
#define SFDEMU_BLOCK_H

#include <stdint.h>
#include "op.h"
#include "process.h"

struct block {
	uint64_t pc;            /* guest address of the first instruction */
	uint64_t end;           /* guest address after the last instruction */
	struct block *hash_next;   /* bucket chain in the pc hash */
	struct block *page_next;   /* chain of blocks starting in the same code page */
	unsigned nops;
	struct op ops[];        /* nops ops, then a terminator */
};

struct block *blk_lookup(struct thread *t, uint64_t pc);

static inline unsigned blk_jcache_slot(uint64_t pc)
{
	return (unsigned)(pc ^ (pc >> JCACHE_BITS)) & (JCACHE_SIZE - 1);
}

/* The block at pc, decoding it on first use. Never NULL: an undecodable or non-executable pc
 * gives a block whose op raises the guest signal. */
static inline struct block *blk_get(struct thread *t, uint64_t pc)
{
	struct block *b = t->jcache[blk_jcache_slot(pc)];
	if (likely(b && b->pc == pc))
		return b;
	return blk_lookup(t, pc);
}
/* Drop every block with code in [start, end). */
void blk_invalidate(uint64_t start, uint64_t end);

/* Self-modifying code. A page that holds decoded code and that the guest may write is kept
 * read-only on the host. A store into it faults: blk_code_write_fault() (async-signal-safe,
 * from the host SIGSEGV handler) gives the page its guest protection back so the store can be
 * retried, and notes the page; blk_flush_written() drops the noted pages' blocks at the next
 * block boundary. Returns false when addr is not such a page. */
bool blk_code_write_fault(uint64_t addr);
void blk_flush_written(void);
/* Make every protected code page writable again (as if each had been written); for a host
 * syscall that failed with EFAULT because the kernel met such a page. False if none was. */
bool blk_unprotect_all(void);

/* emu/decode.c: decode the block at pc (malloc'd). */
struct block *dec_block(uint64_t pc);
/* emu/decode.c: "(mnemonic operands)" of the instruction at pc, for diagnostics. */
const char *dec_describe(uint64_t pc);

#endif
