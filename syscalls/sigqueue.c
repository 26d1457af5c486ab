/* Pending-signal queues (sigqueue.h). Entries come from a free list refilled with mmap, so
 * that a host signal handler may queue (malloc is not async-signal-safe). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "sigqueue.h"

static struct sigq_entry *free_list;
static uint64_t in_use, free_count;

uint64_t sigq_in_use(void) { return in_use; }
void sigq_reset_count(void) { in_use = 0; }
uint64_t sigq_free_count(void) { return free_count; }

void sigq_add_chunk(void *mem, uint64_t size)
{
	struct sigq_entry *e = mem;
	for (uint64_t i = 0; i < size / sizeof *e; i++) {
		e[i].next = free_list;
		free_list = &e[i];
		free_count++;
	}
}

static struct sigq_entry *entry_alloc(void)
{
	if (!free_list) {
		void *p = mmap(NULL, SIGQ_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		sigq_add_chunk(p, SIGQ_CHUNK);
	}
	free_count--;
	struct sigq_entry *e = free_list;
	free_list = e->next;
	e->next = NULL;
	in_use++;
	return e;
}

static void entry_free(struct sigq_entry *e)
{
	e->next = free_list;
	free_list = e;
	free_count++;
	in_use--;
}

static void set_bits(struct sigq *q, uint64_t bits)
{
	__atomic_store_n(&q->bits, bits, __ATOMIC_SEQ_CST);
}

/* __sigqueue_alloc(): the count including this one must stay within the limit. */
static bool slot_free(const struct sigq_limit *lim)
{
	uint64_t used = in_use + lim->taken_elsewhere;
	return used < lim->limit;
}

int sigq_send(struct sigq *q, int sig, const struct linux_siginfo *info,
	      const struct sigq_limit *lim)
{
	uint64_t bit = SIGQ_BIT(sig);
	if (sig < SIGQ_RTMIN && (q->bits & bit))
		return 0;
	bool override = lim->force || (sig < SIGQ_RTMIN && info->si_code >= 0);
	struct sigq_entry *e = override || slot_free(lim) ? entry_alloc() : NULL;
	if (e) {
		e->info = *info;
		e->info.si_signo = sig;
		if (q->tail)
			q->tail->next = e;
		else
			q->head = e;
		q->tail = e;
	} else if (sig >= SIGQ_RTMIN && info->si_code != 0 /* SI_USER */) {
		return -EAGAIN;
	}
	set_bits(q, q->bits | bit);
	return 1;
}

int sigq_next(uint64_t pending)
{
	if (!pending)
		return 0;
	if (pending & SIGQ_SYNCHRONOUS)
		pending &= SIGQ_SYNCHRONOUS;
	return __builtin_ctzll(pending) + 1;
}

static void unlink_entry(struct sigq *q, struct sigq_entry *prev, struct sigq_entry *e)
{
	if (prev)
		prev->next = e->next;
	else
		q->head = e->next;
	if (q->tail == e)
		q->tail = prev;
}

int sigq_dequeue(struct sigq *q, uint64_t allow, struct linux_siginfo *out)
{
	int sig = sigq_next(q->bits & allow);
	if (!sig)
		return 0;
	struct sigq_entry *first = NULL, *first_prev = NULL, *prev = NULL;
	bool more = false;
	for (struct sigq_entry *e = q->head; e; prev = e, e = e->next) {
		if (e->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = e;
		first_prev = prev;
	}
	if (!more)
		set_bits(q, q->bits & ~SIGQ_BIT(sig));
	if (first) {
		unlink_entry(q, first_prev, first);
		*out = first->info;
		entry_free(first);
	} else {
		memset(out, 0, sizeof *out);
		out->si_signo = sig;
		out->si_code = 0;   /* SI_USER, pid and uid 0 */
	}
	return sig;
}

void sigq_flush(struct sigq *q, uint64_t sigs)
{
	if (!(q->bits & sigs))
		return;
	struct sigq_entry *prev = NULL, *e = q->head;
	while (e) {
		struct sigq_entry *next = e->next;
		if (e->info.si_signo >= 1 && e->info.si_signo <= LINUX_NSIG &&
		    (sigs & SIGQ_BIT(e->info.si_signo))) {
			unlink_entry(q, prev, e);
			entry_free(e);
		} else {
			prev = e;
		}
		e = next;
	}
	set_bits(q, q->bits & ~sigs);
}

void sigq_each(const struct sigq *q, void (*fn)(const struct linux_siginfo *, void *), void *arg)
{
	for (const struct sigq_entry *e = q->head; e; e = e->next)
		fn(&e->info, arg);
}
