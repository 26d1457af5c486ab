/* The guest memory map: a sorted array of non-overlapping regions [start, end), page aligned.
 * Adjacent regions with the same protection and flags are merged, as the kernel merges VMAs.
 * Every change that removes or changes the protection of a range drops the decoded blocks in it
 * (blk_invalidate), so code is decoded again from what the memory now holds.
 * Not locked: the caller serialises changes (one guest thread until threads come). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "mm.h"
#include "block.h"
#include "host_alloc.h"

#define MM_PAGE 4096ull
#define MM_TOP  (~(MM_PAGE - 1))   /* highest page-aligned address */

/* Page-align [start, start+len): start down, end up, without wrapping past the top. */
static bool mm_range(uint64_t start, uint64_t len, uint64_t *s, uint64_t *e)
{
	*s = start & ~(MM_PAGE - 1);
	uint64_t end = start + len;
	if (end < start || end > MM_TOP)
		end = MM_TOP;
	else
		end = (end + MM_PAGE - 1) & ~(MM_PAGE - 1);
	*e = end;
	return *s < *e;
}

/* Index of the first region whose end is above addr (count if none). */
static size_t mm_first_after(const struct mm *mm, uint64_t addr)
{
	size_t lo = 0, hi = mm->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mm->regions[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void mm_reserve(struct mm *mm, size_t n)
{
	if (mm->count + n <= mm->cap)
		return;
	size_t cap = mm->cap ? mm->cap * 2 : 64;
	while (cap < mm->count + n)
		cap *= 2;
	mm->regions = ha_realloc(mm->regions, cap * sizeof(*mm->regions));
	mm->cap = cap;
}

static void mm_insert_at(struct mm *mm, size_t i, struct mm_region r)
{
	mm_reserve(mm, 1);
	memmove(&mm->regions[i + 1], &mm->regions[i], (mm->count - i) * sizeof(r));
	mm->regions[i] = r;
	mm->count++;
}

static void mm_delete_at(struct mm *mm, size_t i)
{
	memmove(&mm->regions[i], &mm->regions[i + 1], (mm->count - i - 1) * sizeof(mm->regions[0]));
	mm->count--;
}

/* If a region strictly contains addr, split it in two at addr. */
static void mm_split_at(struct mm *mm, uint64_t addr)
{
	size_t i = mm_first_after(mm, addr);
	if (i == mm->count || mm->regions[i].start >= addr)
		return;
	struct mm_region tail = mm->regions[i];
	tail.start = addr;
	mm->regions[i].end = addr;
	mm_insert_at(mm, i + 1, tail);
}

/* Merge region i with its right neighbour while they touch and match. */
static void mm_merge_right(struct mm *mm, size_t i)
{
	while (i + 1 < mm->count) {
		struct mm_region *a = &mm->regions[i], *b = &mm->regions[i + 1];
		if (a->end != b->start || a->prot != b->prot || a->flags != b->flags)
			return;
		a->end = b->end;
		mm_delete_at(mm, i + 1);
	}
}

/* Merge around [s, e): from the region before s through the one after e. */
static void mm_merge_range(struct mm *mm, uint64_t s, uint64_t e)
{
	size_t i = mm_first_after(mm, s);
	if (i > 0)
		i--;
	while (i < mm->count && mm->regions[i].start <= e) {
		mm_merge_right(mm, i);
		i++;
	}
}

/* Take [s, e) out of the map. Returns whether anything was there. */
static bool mm_punch(struct mm *mm, uint64_t s, uint64_t e)
{
	size_t i = mm_first_after(mm, s);
	if (i == mm->count || mm->regions[i].start >= e)
		return false;
	mm_split_at(mm, s);
	mm_split_at(mm, e);
	i = mm_first_after(mm, s);
	size_t j = i;
	while (j < mm->count && mm->regions[j].start < e)
		j++;
	memmove(&mm->regions[i], &mm->regions[j], (mm->count - j) * sizeof(mm->regions[0]));
	mm->count -= j - i;
	return true;
}

void mm_add(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags)
{
	uint64_t s, e;
	if (!mm_range(start, len, &s, &e))
		return;
	if (mm_punch(mm, s, e))
		blk_invalidate(s, e);
	struct mm_region r = { .start = s, .end = e, .prot = prot, .flags = flags };
	mm_insert_at(mm, mm_first_after(mm, s), r);
	mm_merge_range(mm, s, e);
}

void mm_remove(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t s, e;
	if (!mm_range(start, len, &s, &e))
		return;
	if (mm_punch(mm, s, e))
		blk_invalidate(s, e);
}

void mm_protect(struct mm *mm, uint64_t start, uint64_t len, int prot)
{
	uint64_t s, e;
	if (!mm_range(start, len, &s, &e))
		return;
	size_t i = mm_first_after(mm, s);
	if (i == mm->count || mm->regions[i].start >= e)
		return;
	mm_split_at(mm, s);
	mm_split_at(mm, e);
	for (i = mm_first_after(mm, s); i < mm->count && mm->regions[i].start < e; i++)
		mm->regions[i].prot = prot;
	mm_merge_range(mm, s, e);
	blk_invalidate(s, e);
}

const struct mm_region *mm_find(const struct mm *mm, uint64_t addr)
{
	size_t i = mm_first_after(mm, addr);
	if (i == mm->count || mm->regions[i].start > addr)
		return NULL;
	return &mm->regions[i];
}

uint64_t mm_accessible(const struct mm *mm, uint64_t addr, uint64_t max, int prot)
{
	size_t i = mm_first_after(mm, addr);
	uint64_t at = addr;
	while (i < mm->count) {
		const struct mm_region *r = &mm->regions[i];
		if (r->start > at || (r->prot & prot) != prot)
			break;
		at = r->end;
		if (at - addr >= max)
			return max;
		i++;
	}
	return at - addr;
}
