/* The block cache: a hash from guest pc to decoded block, and an index of blocks by the code
 * page they start in, so that unmapping or re-protecting memory drops exactly the blocks whose
 * code it covers. A block lies in the page it starts in, except that its last instruction may
 * cross into the next page.
 *
 * Threads. The tables are the process's, changed under blk_lock (taken after mm_lock). A
 * thread finds its blocks through its own jump cache, then the hash, without a lock; only
 * decoding a new block takes the locks. Dropping a
 * block unlinks it from the tables at once, but other threads may still hold it in their jump
 * caches or be running it: it goes to a graveyard stamped with a new epoch, every other
 * thread is kicked (it empties its jump cache and records the epoch at its next block
 * boundary, emu/thread.c), and it is freed once every thread that runs blocks has caught up
 * with that epoch. A thread outside the run loop (in a syscall) holds no block: it catches up
 * before it runs one again.
 *
 * Self-modifying code. A page that holds decoded code and that the guest may write is kept
 * read-only on the host. A store into it faults: blk_code_write_fault() (in the host SIGSEGV
 * handler, lock-free) gives the page its guest protection back and notes it in the faulting
 * thread's written list; that thread drops the page's blocks at its next block boundary.
 * code_page records are never freed, so the handler can walk their hash chains while other
 * threads add to them (chains only grow, by publishing a new head).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "block.h"
#include "host_alloc.h"
#include "thread.h"

#define HASH_BITS 16
#define PAGE_HASH_BITS 10
#define PAGE_SHIFT 12

struct code_page {
	uint64_t page;           /* page number */
	struct code_page *next;  /* hash chain; set once, before the record is published */
	struct block *blocks;    /* blocks starting in this page, via page_next (blk_lock) */
	int guest_prot;          /* while kept read-only: the guest's protection, else 0 */
	int write_protected;     /* read-only on the host until a store (atomic) */
};

static struct block *hash[1u << HASH_BITS];
static struct code_page *pages[1u << PAGE_HASH_BITS];
static size_t page_count;
static uint64_t code_lo = UINT64_MAX, code_hi;  /* span of all decoded code */

static void invalidate_locked(uint64_t start, uint64_t end);

static struct block *graveyard;   /* dropped blocks not freed yet, via dead_next */
static uint64_t epoch;            /* bumped by every drop (atomic) */
static int written_overflow;      /* a store noted by a thread with nowhere to note it */
static unsigned long freed_count; /* blocks freed so far (blk_lock) */
static _Thread_local bool decoding;   /* this thread holds blk_lock in blk_lookup */

#define LOAD(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

static unsigned hash_pc(uint64_t pc)
{
	return (unsigned)((pc * 0x9e3779b97f4a7c15ull) >> (64 - HASH_BITS));
}

static unsigned hash_page(uint64_t page)
{
	return (unsigned)((page * 0x9e3779b97f4a7c15ull) >> (64 - PAGE_HASH_BITS));
}

/* Lock-free: records are never unlinked or freed. */
static struct code_page *page_find(uint64_t page)
{
	struct code_page *cp = LOAD(&pages[hash_page(page)]);
	while (cp && cp->page != page)
		cp = cp->next;
	return cp;
}

/* blk_lock held. */
static struct code_page *page_get(uint64_t page)
{
	struct code_page *cp = page_find(page);
	if (cp)
		return cp;
	cp = ha_calloc(1, sizeof *cp);
	cp->page = page;
	cp->next = pages[hash_page(page)];
	STORE(&pages[hash_page(page)], cp);
	page_count++;
	return cp;
}

/* Keep a guest-writable code page read-only on the host, so stores into it are seen.
 * mm_lock and blk_lock held. The fields are set before the page becomes read-only, so a
 * fault on it always finds them. */
static void write_protect(struct code_page *cp)
{
	if (LOAD(&cp->write_protected))
		return;
	uint64_t addr = cp->page << PAGE_SHIFT;
	const struct mm_region *r = mm_find(&the_process.mm, addr);
	if (!r || !(r->prot & PROT_WRITE))
		return;
	STORE(&cp->guest_prot, r->prot);
	__atomic_store_n(&cp->write_protected, 1, __ATOMIC_SEQ_CST);
	if (mprotect((void *)(uintptr_t)addr, 1ull << PAGE_SHIFT, r->prot & ~PROT_WRITE) != 0)
		STORE(&cp->write_protected, 0);
}

static void note_written(uint64_t page)
{
	struct thread *t = current;
	if (!t) {
		STORE(&written_overflow, 1);
		return;
	}
	unsigned n = t->written_count;
	if (n < WRITTEN_MAX)
		t->written[n] = page;
	t->written_count = n + 1;
}

bool blk_code_write_fault(uint64_t addr)
{
	uint64_t page = addr >> PAGE_SHIFT;
	struct code_page *cp = page_find(page);
	int prot = cp ? LOAD(&cp->guest_prot) : 0;
	if (!(prot & PROT_WRITE))
		return false;
	/* Another thread may have made it writable already: the store is retried either way. */
	if (mprotect((void *)(uintptr_t)(page << PAGE_SHIFT), 1ull << PAGE_SHIFT, prot))
		return false;
	if (__atomic_exchange_n(&cp->write_protected, 0, __ATOMIC_SEQ_CST))
		note_written(page);
	return true;
}

bool blk_unprotect_all(void)
{
	bool any = false;
	pthread_mutex_lock(&the_process.blk_lock);
	for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
		for (struct code_page *cp = pages[i]; cp; cp = cp->next)
			if (LOAD(&cp->write_protected))
				any |= blk_code_write_fault(cp->page << PAGE_SHIFT);
	pthread_mutex_unlock(&the_process.blk_lock);
	return any;
}

void blk_flush_written(struct thread *t)
{
	unsigned n = t->written_count;
	bool all = n > WRITTEN_MAX || __atomic_exchange_n(&written_overflow, 0, __ATOMIC_ACQ_REL);
	if (n == 0 && !all)
		return;
	proc_mm_rdlock();
	if (all) {
		/* Too many to have noted: drop every page of writable code that is no longer
		 * protected. */
		pthread_mutex_lock(&the_process.blk_lock);
		for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
			for (struct code_page *cp = pages[i]; cp; cp = cp->next) {
				if (cp->blocks && LOAD(&cp->guest_prot) && !LOAD(&cp->write_protected))
					invalidate_locked(cp->page << PAGE_SHIFT,
							  (cp->page + 1) << PAGE_SHIFT);
			}
		pthread_mutex_unlock(&the_process.blk_lock);
	} else {
		for (unsigned i = 0; i < n; i++)
			blk_invalidate(t->written[i] << PAGE_SHIFT, (t->written[i] + 1) << PAGE_SHIFT);
	}
	t->written_count = 0;
	proc_mm_rdunlock();
}

/* blk_lock held. The block is complete before it is published. */
static void insert(struct block *b)
{
	struct block **bucket = &hash[hash_pc(b->pc)];
	b->hash_next = *bucket;
	STORE(bucket, b);

	struct code_page *cp = page_get(b->pc >> PAGE_SHIFT);
	b->page_next = cp->blocks;
	cp->blocks = b;
	write_protect(cp);
	if (b->pc < code_lo)
		code_lo = b->pc;
	if (b->end > code_hi)
		code_hi = b->end;
}

/* The block at pc in the tables, without a lock. Chains change under blk_lock by publishing
 * a new head or by pointing a predecessor past a block; a dropped block keeps its hash_next
 * and is freed only once this thread (which runs blocks) has caught up with the drop, so a
 * walk never meets freed memory. A block dropped during the walk is not returned. */
static struct block *find_lockfree(uint64_t pc)
{
	struct block *b = LOAD(&hash[hash_pc(pc)]);
	while (b && b->pc != pc)
		b = LOAD(&b->hash_next);
	return b && !LOAD(&b->dead_epoch) ? b : NULL;
}

struct block *blk_lookup(struct thread *t, uint64_t pc)
{
	struct block *b = find_lockfree(pc);
	if (b) {
		t->jcache[blk_jcache_slot(pc)] = b;
		return b;
	}
	/* Decoding reads guest code only where the memory map allows, so it cannot fault; it
	 * is sfdemu's own work, not the guest's. */
	bool in_guest = t->in_guest;
	t->in_guest = false;
	proc_mm_rdlock();
	pthread_mutex_lock(&the_process.blk_lock);
	b = hash[hash_pc(pc)];
	while (b && b->pc != pc)
		b = b->hash_next;
	if (!b) {
		decoding = true;
		b = dec_block(pc);
		insert(b);
		decoding = false;
	}
	pthread_mutex_unlock(&the_process.blk_lock);
	proc_mm_rdunlock();
	t->in_guest = in_guest;
	t->jcache[blk_jcache_slot(pc)] = b;
	return b;
}

static void unlink_hash(struct block *b)
{
	struct block **p = &hash[hash_pc(b->pc)];
	while (*p != b)
		p = &(*p)->hash_next;
	STORE(p, b->hash_next);
}

/* Drop the blocks of one code page that overlap [start, end) into the graveyard, stamped
 * `e`; true if any was dropped. A page left without blocks gets its guest protection back
 * if it was kept read-only (as the memory map says now: the caller may have changed it). */
static bool invalidate_page(struct code_page *cp, uint64_t start, uint64_t end, uint64_t e)
{
	bool dropped = false;
	for (struct block **p = &cp->blocks; *p;) {
		struct block *b = *p;
		if (b->pc < end && b->end > start) {
			*p = b->page_next;
			STORE(&b->dead_epoch, e);
			unlink_hash(b);
			b->dead_next = graveyard;
			graveyard = b;
			dropped = true;
		} else {
			p = &b->page_next;
		}
	}
	if (!cp->blocks && LOAD(&cp->guest_prot)) {
		uint64_t addr = cp->page << PAGE_SHIFT;
		bool was_protected = __atomic_exchange_n(&cp->write_protected, 0, __ATOMIC_SEQ_CST);
		STORE(&cp->guest_prot, 0);
		const struct mm_region *r = mm_find(&the_process.mm, addr);
		if (was_protected && r)
			mprotect((void *)(uintptr_t)addr, 1ull << PAGE_SHIFT, r->prot);
	}
	return dropped;
}

/* Free the dropped blocks every thread has moved past. blk_lock held. */
static void reclaim(void)
{
	if (!graveyard)
		return;
	uint64_t safe = thread_min_blk_epoch(current);
	for (struct block **p = &graveyard; *p;) {
		struct block *b = *p;
		if (b->dead_epoch <= safe) {
			*p = b->dead_next;
			free(b);
			freed_count++;
		} else {
			p = &b->dead_next;
		}
	}
}

void blk_catch_up(struct thread *t)
{
	memset(t->jcache, 0, sizeof t->jcache);
	__atomic_store_n(&t->blk_epoch, blk_epoch_now(), __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&the_process.blk_lock);
	reclaim();
	pthread_mutex_unlock(&the_process.blk_lock);
}

bool blk_drop_all(void)
{
	if (!decoding)
		pthread_mutex_lock(&the_process.blk_lock);
	unsigned long before = freed_count;
	invalidate_locked(0, UINT64_MAX);
	reclaim();
	bool freed = freed_count != before;
	if (!decoding)
		pthread_mutex_unlock(&the_process.blk_lock);
	return freed;
}

uint64_t blk_epoch_now(void)
{
	return __atomic_load_n(&epoch, __ATOMIC_SEQ_CST);
}

void blk_invalidate(uint64_t start, uint64_t end)
{
	pthread_mutex_lock(&the_process.blk_lock);
	invalidate_locked(start, end);
	pthread_mutex_unlock(&the_process.blk_lock);
}

static void invalidate_locked(uint64_t start, uint64_t end)
{
	if (end <= code_lo || start >= code_hi)
		return;
	bool dropped = false;
	uint64_t e = epoch + 1;
	/* A block starting in the page before `start` may reach into it. */
	uint64_t first = (start >> PAGE_SHIFT) ? (start >> PAGE_SHIFT) - 1 : 0;
	uint64_t last = (end - 1) >> PAGE_SHIFT;
	if (last - first < page_count) {
		for (uint64_t page = first; page <= last; page++) {
			struct code_page *cp = page_find(page);
			if (cp && cp->blocks)
				dropped |= invalidate_page(cp, start, end, e);
		}
	} else {
		for (unsigned i = 0; i < (1u << PAGE_HASH_BITS); i++)
			for (struct code_page *cp = pages[i]; cp; cp = cp->next)
				if (cp->page >= first && cp->page <= last && cp->blocks)
					dropped |= invalidate_page(cp, start, end, e);
	}
	if (dropped) {
		__atomic_store_n(&epoch, e, __ATOMIC_SEQ_CST);
		/* The caller is between blocks: its own cache is emptied now. */
		if (current) {
			memset(current->jcache, 0, sizeof current->jcache);
			__atomic_store_n(&current->blk_epoch, e, __ATOMIC_SEQ_CST);
		}
		thread_kick_all(KICK_JCACHE, current);
		reclaim();
	}
}
