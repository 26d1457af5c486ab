/* The block cache: guest pc -> decoded block. Blocks are decoded once and kept until the
 * memory holding their code is unmapped or changes protection. */
#ifndef SFDEMU_BLOCK_H
#define SFDEMU_BLOCK_H

#include <stdint.h>
#include "op.h"

struct block {
	uint64_t pc;            /* guest address of the first instruction */
	uint64_t end;           /* guest address after the last instruction */
	struct block *hash_next;
	unsigned nops;
	struct op ops[];        /* nops ops, then a terminator */
};

/* The block at pc, decoding it on first use. Never NULL: an undecodable or non-executable pc
 * gives a block whose op raises the guest signal. */
struct block *blk_get(struct cpu *cpu, uint64_t pc);
/* Drop every block with code in [start, end). */
void blk_invalidate(uint64_t start, uint64_t end);

/* emu/decode.c: decode the block at pc (malloc'd). */
struct block *dec_block(uint64_t pc);

#endif
