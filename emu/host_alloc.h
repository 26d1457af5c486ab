/* sfdemu's own memory while the guest runs. Guest memory is host memory, so the guest's
 * mappings and sfdemu's share the process's address-space limit (RLIMIT_AS): a guest that
 * maps until mmap fails would leave nothing for the blocks sfdemu decodes, its memory map or
 * its threads, and sfdemu's memory would come out of the room the guest has below its limit.
 *
 * While the soft limit is below the hard one, each allocation here is made with the soft
 * limit raised to the hard one (a small one: as it is, its heap growing by brk), and the soft
 * limit is then set higher by what the allocation mapped: the guest keeps its room, and reads
 * the limit it set (ha_as_extra()), as does a program it execs (ha_exec_begin()).
 * (The kernel checks the limit only when a mapping is made, so what is obtained stays.)
 * An allocation that fails all the same is tried again:
 *   1. with the limit raised, as above (the soft limit may have been reached meanwhile);
 *   2. after dropping every decoded block (they are decoded again when next run): with the
 *      soft limit at the hard one, as after `ulimit -v`, only memory sfdemu frees is left;
 *   3. else sfdemu stops with one line naming the reason and exit status 1.
 * The guest never runs a call that maps memory or gets or sets a limit while the limit is
 * raised: those calls hold ha_guest_lock() (syscalls/mm.c). */
#ifndef SFDEMU_HOST_ALLOC_H
#define SFDEMU_HOST_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* As malloc, calloc and realloc, never NULL. */
void *ha_malloc(size_t size);
void *ha_calloc(size_t n, size_t size);
void *ha_realloc(void *p, size_t size);

/* A large mapping of sfdemu's own (a host thread's stack), made as above without the retries:
 * `attempt` returns true once it has what it needs and maps about `estimate` bytes. False if
 * it fails (the caller reports the error, e.g. EAGAIN for a thread): freed blocks give back
 * no address space. */
bool ha_own_map(bool (*attempt)(void *arg), void *arg, size_t estimate);

/* Around the guest's host calls that map memory or get or set resource limits. */
void ha_guest_lock(void);
void ha_guest_unlock(void);
/* With the lock held: how far the host's soft RLIMIT_AS is above the one the guest set (what
 * the guest reads is that much lower); ha_guest_set_limit() after the guest set RLIMIT_AS
 * (it sets it for what is mapped by then, sfdemu's memory included, as when it starts). */
unsigned long ha_as_extra(void);
void ha_guest_set_limit(void);

/* Around the host execve of a new sfdemu: the new program starts under the soft RLIMIT_AS the
 * guest set. ha_exec_begin() returns what ha_exec_failed() puts back. */
unsigned long ha_exec_begin(void);
void ha_exec_failed(unsigned long off);

/* fork(): the lock is taken before, and released (parent) or made anew (child) after. */
void ha_fork_prepare(void);
void ha_fork_parent(void);
void ha_fork_child(void);

/* Step 2, emu/block.c: drop every decoded block and free what no thread can still be running;
 * true if anything was freed. */
bool blk_drop_all(void);

/* What the retries did, for diagnostics and tests. */
struct ha_stats {
	unsigned long raised;     /* allocations that failed, then succeeded with the limit raised */
	unsigned long dropped;    /* ... after dropping the decoded blocks */
	unsigned long extra;      /* ha_as_extra() */
};
void ha_get_stats(struct ha_stats *s);

#endif
