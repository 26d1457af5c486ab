/* The block cache: a hash from guest pc to decoded block, and an index of blocks by the code
 * page they start in, so that unmapping or re-protecting memory drops exactly the blocks whose
 * code it covers. A block lies in the page it starts in, except that its last instruction may
 * cross into the next page.
 *
 * Single-threaded for now: blocks are freed at once on invalidation, which is safe because
 * invalidation only happens between blocks (in a syscall). Guest threads will need lookups
 * without a global lock and freeing deferred until no thread can still run a block.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "block.h"

#define HASH_BITS 16
#define PAGE_HASH_BITS 10
#define PAGE_SHIFT 12

struct code_page {
	uint64_t page;           /* page number */
	struct code_page *next;  /* hash chain */
	struct block *blocks;    /* blocks starting in this page, via page_next */
	bool write_protected;    /* guest-writable, kept read-only on the host */
};

/* Pages whose code a store changed, waiting for blk_flush_written(). Written by the host
 * SIGSEGV handler of the same thread; a full list falls back to flushing every written page. */
#define WRITTEN_MAX 16
static uint64_t written[WRITTEN_MAX];
static volatile unsigned written_count;

static struct block *hash[1u << HASH_BITS];
static struct code_page *pages[1u << PAGE_HASH_BITS];
static size_t page_count;
static uint64_t code_lo = UINT64_MAX, code_hi;  /* span of all decoded code */

static unsigned hash_pc(uint64_t pc)
{
	return (unsigned)((pc * 0x9e3779b97f4a7c15ull) >> (64 - HASH_BITS));
}

static unsigned hash_page(uint64_t page)
{
	return (unsigned)((page * 0x9e3779b97f4a7c15ull) >> (64 - PAGE_HASH_BITS));
}

static struct code_page **page_slot(uint64_t page)
{
	struct code_page **p = &pages[hash_page(page)];
	while (*p && (*p)->page != page)
		p = &(*p)->next;
	return p;
}

/* Keep a guest-writable code page read-only on the host, so stores into it are seen. */
static void write_protect(struct code_page *cp)
{
	if (cp->write_protected)
		return;
	uint64_t addr = cp->page << PAGE_SHIFT;
	const struct mm_region *r = mm_find(&the_process.mm, addr);
	if (!r || !(r->prot & PROT_WRITE))
		return;
	if (mprotect((void *)(uintptr_t)addr, 1ull << PAGE_SHIFT, r->prot & ~PROT_WRITE) == 0)
		cp->write_protected = true;
}

bool blk_code_write_fault(uint64_t addr)
{
	uint64_t page = addr >> PAGE_SHIFT;
	struct code_page *cp = *page_slot(page);
	if (!cp || !cp->write_protected)
		return false;
	const struct mm_region *r = mm_find(&the_process.mm, page << PAGE_SHIFT);
	if (!r || mprotect((void *)(uintptr_t)(page << PAGE_SHIFT), 1ull << PAGE_SHIFT, r->prot))
		return false;
	cp->write_protected = false;
	unsigned n = written_count;
	if (n < WRITTEN_MAX)
		written[n] = page;
	written_count = n + 1;
	return true;
}

bool blk_unprotect_all(void)
{
	bool any = false;
	for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
		for (struct code_page *cp = pages[i]; cp; cp = cp->next)
			if (cp->write_protected)
				any |= blk_code_write_fault(cp->page << PAGE_SHIFT);
	if (any && current && current->cpu.exit_reason == EXIT_NONE)
		current->cpu.exit_reason = EXIT_CODE_WRITE;
	return any;
}

void blk_flush_written(void)
{
	unsigned n = written_count;
	if (n > WRITTEN_MAX) {
		/* Too many to have noted: drop every page that is no longer protected. */
		for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
			for (struct code_page *cp = pages[i], *next; cp; cp = next) {
				next = cp->next;
				if (!cp->write_protected)
					blk_invalidate(cp->page << PAGE_SHIFT, (cp->page + 1) << PAGE_SHIFT);
			}
	} else {
		for (unsigned i = 0; i < n; i++)
			blk_invalidate(written[i] << PAGE_SHIFT, (written[i] + 1) << PAGE_SHIFT);
	}
	written_count = 0;
}

static void insert(struct block *b)
{
	struct block **bucket = &hash[hash_pc(b->pc)];
	b->hash_next = *bucket;
	*bucket = b;

	uint64_t page = b->pc >> PAGE_SHIFT;
	struct code_page **slot = page_slot(page);
	if (!*slot) {
		struct code_page *cp = calloc(1, sizeof *cp);
		if (!cp)
			abort();
		cp->page = page;
		*slot = cp;
		page_count++;
	}
	b->page_next = (*slot)->blocks;
	(*slot)->blocks = b;
	write_protect(*slot);
	if (b->pc < code_lo)
		code_lo = b->pc;
	if (b->end > code_hi)
		code_hi = b->end;
}

struct block *blk_lookup(struct thread *t, uint64_t pc)
{
	struct block *b = hash[hash_pc(pc)];
	while (b && b->pc != pc)
		b = b->hash_next;
	if (!b) {
		/* Decoding reads guest code only where the memory map allows, so it cannot
		 * fault; it is sfdemu's own work, not the guest's. */
		bool in_guest = t->in_guest;
		t->in_guest = false;
		b = dec_block(pc);
		insert(b);
		t->in_guest = in_guest;
	}
	t->jcache[blk_jcache_slot(pc)] = b;
	return b;
}

static void unlink_hash(struct block *b)
{
	struct block **p = &hash[hash_pc(b->pc)];
	while (*p != b)
		p = &(*p)->hash_next;
	*p = b->hash_next;
}

/* Drop the blocks of one code page that overlap [start, end); true if any was dropped. */
static bool invalidate_page(struct code_page **slot, uint64_t start, uint64_t end)
{
	struct code_page *cp = *slot;
	bool dropped = false;
	for (struct block **p = &cp->blocks; *p;) {
		struct block *b = *p;
		if (b->pc < end && b->end > start) {
			*p = b->page_next;
			unlink_hash(b);
			free(b);
			dropped = true;
		} else {
			p = &b->page_next;
		}
	}
	if (!cp->blocks) {
		*slot = cp->next;
		free(cp);
		page_count--;
	}
	return dropped;
}

void blk_invalidate(uint64_t start, uint64_t end)
{
	if (end <= code_lo || start >= code_hi)
		return;
	bool dropped = false;
	/* A block starting in the page before `start` may reach into it. */
	uint64_t first = (start >> PAGE_SHIFT) ? (start >> PAGE_SHIFT) - 1 : 0;
	uint64_t last = (end - 1) >> PAGE_SHIFT;
	if (last - first < page_count) {
		for (uint64_t page = first; page <= last; page++) {
			struct code_page **slot = page_slot(page);
			if (*slot)
				dropped |= invalidate_page(slot, start, end);
		}
	} else {
		for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
			for (struct code_page **slot = &pages[i]; *slot;) {
				struct code_page *cp = *slot;
				bool inside = cp->page >= first && cp->page <= last;
				if (inside)
					dropped |= invalidate_page(slot, start, end);
				if (*slot == cp)
					slot = &cp->next;
			}
	}
	if (dropped && current)
		memset(current->jcache, 0, sizeof current->jcache);
}
