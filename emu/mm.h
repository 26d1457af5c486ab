/* The guest memory map: every guest mapping with its protection, and the guest's brk.
 * Guest addresses are host addresses; this map is what tells guest memory from sfdemu's own. */
#ifndef SFDEMU_MM_H
#define SFDEMU_MM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

struct mm_region {
	uint64_t start, end;   /* [start, end), page aligned */
	int prot;              /* PROT_* */
	int flags;             /* MAP_* as the guest asked */
};

struct mm {
	struct mm_region *regions; /* sorted by start, non-overlapping */
	size_t count, cap;
	uint64_t brk_start, brk_cur;   /* guest brk: the heap is [brk_start, brk_cur) */
	/* The main program's data as the kernel's mm->start_data/end_data (RLIMIT_DATA's brk
	 * rule): the highest PT_LOAD's p_vaddr, the highest p_vaddr + p_filesz. */
	uint64_t start_data, end_data;
};

/* Record [start, start+len) as a guest mapping, replacing what was there. */
void mm_add(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags);
/* Forget [start, start+len); invalidates decoded blocks in it. */
void mm_remove(struct mm *mm, uint64_t start, uint64_t len);
/* Change the protection of [start, start+len); invalidates decoded blocks in it. */
void mm_protect(struct mm *mm, uint64_t start, uint64_t len, int prot);
/* The region containing addr, or NULL. */
const struct mm_region *mm_find(const struct mm *mm, uint64_t addr);
/* How many bytes from addr on are mapped with at least `prot` (capped at max). */
uint64_t mm_accessible(const struct mm *mm, uint64_t addr, uint64_t max, int prot);

#endif
