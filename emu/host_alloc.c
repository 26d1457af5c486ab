/* sfdemu's own memory while the guest runs (host_alloc.h says what it does).
 *
 * limit_lock serialises every change of RLIMIT_AS: the raise and the setting back around one
 * attempt here, and the guest's own calls that map memory or get or set limits
 * (syscalls/mm.c). Nothing else is taken while it is held but what the attempt itself takes
 * (malloc's locks; a new host thread's creation, whose guest calls wait for it).
 *
 * Freed blocks come back to the malloc arena (there is one: ha_init), where the next attempt
 * finds them before asking the kernel for more.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/resource.h>
#include "host_alloc.h"

/* Weak: the loader's fuzz target links the memory map without the block cache. */
extern bool blk_drop_all(void) __attribute__((weak));

static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ha_stats stats;
static unsigned long as_extra;   /* the host's soft RLIMIT_AS above the guest's (limit_lock) */
static bool binding;             /* the soft RLIMIT_AS is below the hard one */

#define LOAD(p) __atomic_load_n(p, __ATOMIC_RELAXED)

static void check_binding(void)
{
	struct rlimit rl;
	__atomic_store_n(&binding, getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur < rl.rlim_max,
			 __ATOMIC_RELAXED);
}

/* The main thread's stack grows on demand, and growing needs address space too: it is grown
 * by up to 2 MiB (half of RLIMIT_STACK at most) at start, so that none of sfdemu's calls meets
 * a used-up limit there. Only the lowest page is touched: the kernel extends the stack mapping
 * down to it. */
static __attribute__((noinline)) void grow_main_stack(void)
{
	struct rlimit rl;
	size_t size = 2u << 20;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur / 2 < size)
		size = rl.rlim_cur / 2;
	/* In steps, each touched at its lowest byte: a single big step looks to a tool like
	 * valgrind like a switch to another stack. */
	for (size_t done = 0, step = 256u << 10; done < size; done += step) {
		volatile char *low = __builtin_alloca(step);
		low[0] = 0;
	}
}

/* At start, on the main thread. One malloc arena for every thread: a thread's own arena
 * reserves 64 MiB of address space, and a thread that cannot have one maps each of its
 * allocations apart; sfdemu allocates little once the guest runs, and decodes under one
 * lock anyway. */
__attribute__((constructor)) static void ha_init(void)
{
	mallopt(M_ARENA_MAX, 1);
	grow_main_stack();
	check_binding();
}

void ha_guest_lock(void) { pthread_mutex_lock(&limit_lock); }
void ha_guest_unlock(void) { pthread_mutex_unlock(&limit_lock); }
void ha_fork_prepare(void) { pthread_mutex_lock(&limit_lock); }
void ha_fork_parent(void) { pthread_mutex_unlock(&limit_lock); }
void ha_fork_child(void) { pthread_mutex_init(&limit_lock, NULL); }

unsigned long ha_as_extra(void) { return as_extra; }

void ha_guest_set_limit(void)
{
	as_extra = 0;
	check_binding();
}

/* The soft limit the guest set, for the new program; the amount taken off, to put back if the
 * exec fails. (Not held across the exec: a vfork child shares this lock with its parent.) */
unsigned long ha_exec_begin(void)
{
	struct rlimit rl;
	unsigned long off = 0;
	pthread_mutex_lock(&limit_lock);
	if (as_extra && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur >= as_extra) {
		rl.rlim_cur -= as_extra;
		if (setrlimit(RLIMIT_AS, &rl) == 0)
			off = as_extra;
	}
	pthread_mutex_unlock(&limit_lock);
	return off;
}

void ha_exec_failed(unsigned long off)
{
	struct rlimit rl;
	pthread_mutex_lock(&limit_lock);
	if (off && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_max - rl.rlim_cur >= off) {
		rl.rlim_cur += off;
		setrlimit(RLIMIT_AS, &rl);
	}
	pthread_mutex_unlock(&limit_lock);
}

void ha_get_stats(struct ha_stats *s)
{
	s->raised = LOAD(&stats.raised);
	s->dropped = LOAD(&stats.dropped);
	pthread_mutex_lock(&limit_lock);
	s->extra = as_extra;
	pthread_mutex_unlock(&limit_lock);
}

static void note(unsigned long *counter, const char *how)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
	const char *d = getenv("SFDEMU_DEBUG");
	if (d && *d && strcmp(d, "0") != 0)
		fprintf(stderr, "sfdemu: address space used up: memory of its own obtained %s\n", how);
}

/* The process's address space (VmSize) in bytes; 0 if it cannot be read (no descriptor left).
 * No allocation: it runs when there is no memory. */
static unsigned long vm_size(void)
{
	char buf[64];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtoul(buf, NULL, 10) * (unsigned long)sysconf(_SC_PAGESIZE);
}

/* With the lock held: the soft limit set to rl's plus `grew`, what sfdemu has just mapped (up
 * to the hard limit), so that the guest's room stays. False if it could not be set. */
static bool keep_out(const struct rlimit *rl, unsigned long grew)
{
	struct rlimit back = *rl;
	back.rlim_cur = rl->rlim_max - rl->rlim_cur > grew ? rl->rlim_cur + grew : rl->rlim_max;
	if (setrlimit(RLIMIT_AS, &back) != 0)
		return false;
	as_extra += back.rlim_cur - rl->rlim_cur;
	return true;
}

/* One attempt with the soft limit at the hard one, then the soft limit as it was plus what
 * the attempt mapped (`estimate` bytes if that cannot be measured). False if the attempt
 * failed or the limit could not be raised. */
static bool attempt_raised(bool (*attempt)(void *), void *arg, size_t estimate)
{
	struct rlimit rl;
	bool ok = false;
	pthread_mutex_lock(&limit_lock);
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		struct rlimit raised = { rl.rlim_max, rl.rlim_max };
		unsigned long before = vm_size();
		if (setrlimit(RLIMIT_AS, &raised) == 0) {
			ok = attempt(arg);
			unsigned long after = ok && before ? vm_size() : 0;
			unsigned long grew = !ok ? 0 : after ? (after > before ? after - before : 0)
						     : estimate;
			if (!keep_out(&rl, grew))
				setrlimit(RLIMIT_AS, &rl);
		}
	}
	pthread_mutex_unlock(&limit_lock);
	return ok;
}

/* An attempt at sfdemu's own memory: kept out of the guest's room while the limit binds. */
static bool attempt_own(bool (*attempt)(void *), void *arg, size_t estimate)
{
	if (LOAD(&binding) && attempt_raised(attempt, arg, estimate))
		return true;
	return attempt(arg);
}

/* A small allocation while the limit binds. Most come from memory malloc has already, and
 * the others from its heap growing by brk (one arena: ha_init): the soft limit goes up by
 * that growth, under the lock, so that no guest call sees the room it took. Without the cost
 * of attempt_raised(), which each decoded block would pay. */
static bool attempt_small(bool (*attempt)(void *), void *arg)
{
	pthread_mutex_lock(&limit_lock);
	char *before = sbrk(0);
	bool ok = attempt(arg);
	char *after = sbrk(0);
	struct rlimit rl;
	if (after > before && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
		keep_out(&rl, (unsigned long)(after - before));
	pthread_mutex_unlock(&limit_lock);
	return ok;
}

bool ha_own_map(bool (*attempt)(void *), void *arg, size_t estimate)
{
	return attempt_own(attempt, arg, estimate);
}

/* Steps 1 and 2 after a failed attempt; step 3 if they fail too. */
static void retry_or_die(bool (*attempt)(void *), void *arg, size_t size)
{
	if (attempt_raised(attempt, arg, size)) {
		note(&stats.raised, "with RLIMIT_AS raised for a moment");
		return;
	}
	if (blk_drop_all && blk_drop_all() && (attempt(arg) || attempt_raised(attempt, arg, size))) {
		note(&stats.dropped, "by dropping the decoded blocks");
		return;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fprintf(stderr, "sfdemu: out of memory (%zu bytes for itself): the address-space "
			"limit (RLIMIT_AS, %llu KiB) is used up\n", size,
			(unsigned long long)rl.rlim_cur >> 10);
	else
		fprintf(stderr, "sfdemu: out of memory (%zu bytes for itself)\n", size);
	_exit(1);
}

/* Below malloc's least mmap threshold: served from the heap. */
#define SMALL_MAX (128u << 10)

struct alloc_req {
	void *old;          /* realloc's block, else NULL */
	size_t n, size;     /* calloc's count (1 otherwise) and size, never 0 */
	bool zero;
	void *got;
};

static bool attempt_alloc(void *arg)
{
	struct alloc_req *r = arg;
	if (r->old)
		r->got = realloc(r->old, r->size);
	else if (r->zero)
		r->got = calloc(r->n, r->size);
	else
		r->got = malloc(r->size);
	return r->got != NULL;
}

static void *alloc(struct alloc_req r)
{
	size_t total = r.n * r.size;
	if (total / r.n != r.size) {
		fprintf(stderr, "sfdemu: out of memory (an allocation of %zu x %zu bytes)\n",
			r.n, r.size);
		_exit(1);
	}
	bool ok = !LOAD(&binding) ? attempt_alloc(&r)
		  : total < SMALL_MAX ? attempt_small(attempt_alloc, &r)
				      : attempt_own(attempt_alloc, &r, total);
	if (!ok)
		retry_or_die(attempt_alloc, &r, total);
	return r.got;
}

/* Zero sizes are taken as 1, so that NULL always means failure. */
void *ha_malloc(size_t size)
{
	return alloc((struct alloc_req){ .n = 1, .size = size ? size : 1 });
}

void *ha_calloc(size_t n, size_t size)
{
	if (!n || !size)
		n = size = 1;
	return alloc((struct alloc_req){ .n = n, .size = size, .zero = true });
}

void *ha_realloc(void *old, size_t size)
{
	return alloc((struct alloc_req){ .old = old, .n = 1, .size = size ? size : 1 });
}
