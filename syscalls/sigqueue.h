/* Pending signals as Linux keeps them (kernel/signal.c, struct sigpending): a set of pending
 * signals plus a FIFO of full siginfos. A thread has one (its private signals), the process
 * another (process-wide signals). Standard signals coalesce: one pending instance, the first
 * siginfo kept. Real-time signals (32..64) queue every instance in order.
 *
 * Every queued siginfo takes a slot counted against RLIMIT_SIGPENDING, as __sigqueue_alloc
 * counts them; the caller names the limit (and the slots taken outside these queues) when it
 * sends. Not thread-safe: signal.c serialises every call (host signals blocked, its lock held),
 * which also makes the allocator safe to call from a host signal handler (it only uses mmap).
 */
#ifndef SFDEMU_SIGQUEUE_H
#define SFDEMU_SIGQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include "linux_abi.h"

#define SIGQ_BIT(s) (1ull << ((s) - 1))
#define SIGQ_RTMIN 32
/* The signals dequeued before any other (kernel SYNCHRONOUS_MASK). */
#define SIGQ_SYNCHRONOUS (SIGQ_BIT(11) | SIGQ_BIT(7) | SIGQ_BIT(4) | SIGQ_BIT(5) | \
			  SIGQ_BIT(8) | SIGQ_BIT(31))   /* SEGV BUS ILL TRAP FPE SYS */

struct sigq_entry {
	struct sigq_entry *next;
	struct linux_siginfo info;
};

struct sigq {
	uint64_t bits;               /* pending signals, bit (sig - 1); read without the lock */
	struct sigq_entry *head, *tail;
};

/* How a signal is sent: the limit of queued siginfos (RLIMIT_SIGPENDING's soft limit) and
 * how many slots are taken already outside sfdemu's queues; force: queue the siginfo whatever
 * the limit (a signal the host kernel had queued already). */
struct sigq_limit {
	uint64_t limit;
	uint64_t taken_elsewhere;
	bool force;
};

/* __send_signal_locked() from legacy_queue on: a standard signal already pending is dropped
 * (0); otherwise the siginfo is queued if a slot can be had (non-RT signals with si_code >= 0
 * may exceed the limit). Without a slot, an RT signal whose si_code is not SI_USER fails
 * (-EAGAIN); any other is made pending without its siginfo. 1: the signal is now pending. */
int sigq_send(struct sigq *q, int sig, const struct linux_siginfo *info,
	      const struct sigq_limit *lim);

/* The next signal of q in allow (synchronous signals first, then the lowest number) taken
 * as collect_signal() takes it: the first queued siginfo of that signal (the signal stays
 * pending while another instance is queued), or, with none queued, SI_USER with pid and uid
 * 0. The signal's number, or 0 if none of allow is pending. */
int sigq_dequeue(struct sigq *q, uint64_t allow, struct linux_siginfo *out);

/* The lowest signal sigq_dequeue would take from the set pending, or 0. */
int sigq_next(uint64_t pending);

/* Drop the signals in sigs from q (their slots freed). */
void sigq_flush(struct sigq *q, uint64_t sigs);

/* The siginfos queued in q, in order (for execve's state): calls fn for each. */
void sigq_each(const struct sigq *q, void (*fn)(const struct linux_siginfo *, void *), void *arg);

/* Entries come from chunks of SIGQ_CHUNK bytes: mapped by the caller (sigq_add_chunk) when
 * sigq_free_count() is 0, else mapped here when needed. */
#define SIGQ_CHUNK (64 * 1024)
uint64_t sigq_free_count(void);
void sigq_add_chunk(void *mem, uint64_t size);

/* Slots taken by every queue of the process. */
uint64_t sigq_in_use(void);
/* A fork child: its queues start empty; the parent's slots are not its own. */
void sigq_reset_count(void);

#endif
