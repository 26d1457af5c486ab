/* Guest threads. Each guest thread runs on a host thread of its own (a pthread, so sfdemu's
 * own thread-local state works), and the host tid is the guest tid. The process keeps every
 * thread in a list (threads_lock, the last lock in process.h's order) so that the block cache
 * can ask all of them to drop blocks, and so that the last thread to exit ends the process.
 *
 * A thread's exit (exit(2), not exit_group) does what the kernel's exit_mm does for user
 * space: release the robust futexes it holds (kernel/futex: exit_robust_list), then write 0
 * to clear_child_tid and wake it (pthread_join waits on that word). The host thread then
 * returns from its start routine, so the host library reclaims its stack.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "thread.h"
#include "block.h"
#include "host_alloc.h"
#include "run.h"
#include "sse.h"
#include "../syscalls/signal.h"

#define HOST_STACK_SIZE (2u << 20)

static void lock(void) { pthread_mutex_lock(&the_process.threads_lock); }
static void unlock(void) { pthread_mutex_unlock(&the_process.threads_lock); }

static long futex(void *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

void thread_register(struct thread *t)
{
	__atomic_store_n(&t->blk_epoch, blk_epoch_now(), __ATOMIC_SEQ_CST);
	lock();
	t->next = the_process.threads;
	the_process.threads = t;
	if (!t->vfork_child)
		the_process.nthreads++;
	unlock();
}

static void unlink_locked(struct thread *t)
{
	for (struct thread **p = &the_process.threads; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			if (!t->vfork_child)
				the_process.nthreads--;
			return;
		}
}

void thread_unregister(struct thread *t)
{
	lock();
	unlink_locked(t);
	unlock();
}

void thread_set_leader(struct thread *t)
{
	t->tid = (int)syscall(SYS_gettid);
	the_process.leader_tid = t->tid;
	thread_register(t);
}

struct thread *thread_clone(struct thread *parent)
{
	struct thread *t = ha_calloc(1, sizeof *t);
	sse_get_mxcsr(&parent->cpu);
	t->cpu = parent->cpu;
	t->cpu.thread = t;
	t->cpu.exit_reason = EXIT_NONE;
	t->cpu.cur_op = NULL;
	t->cpu.x87.host_stale = 1;  /* the new host thread's FPU flags are not the guest's */
	t->proc = parent->proc;
	t->sigmask = parent->sigmask;
	return t;
}

/* ---- host threads ---- */

struct spawn {
	struct thread *t;
	void (*init)(struct thread *t, void *arg);
	void *arg;
	int tid;          /* set (and woken) once the new thread has run init */
};

static void *thread_main(void *p)
{
	struct spawn *sp = p;
	struct thread *t = sp->t;
	current = t;
	fault_thread_init();
	t->tid = (int)syscall(SYS_gettid);
	sse_set_mxcsr(&t->cpu, t->cpu.mxcsr);
	if (sp->init)
		sp->init(t, sp->arg);
	/* sp lives on the parent's stack: not touched after this. */
	__atomic_store_n(&sp->tid, t->tid, __ATOMIC_RELEASE);
	futex(&sp->tid, FUTEX_WAKE_PRIVATE, 1);
	if (!sigsetjmp(t->exit_jmp, 0))
		run_thread(t);
	/* thread_exit() came back here: the thread is unlisted and its signals blocked. */
	current = NULL;
	fault_thread_exit();
	dec_thread_exit();
	sig_thread_free(t);
	free(t);
	return NULL;
}

struct create {
	pthread_attr_t attr;
	struct spawn *sp;
	int err;
};

static bool attempt_create(void *arg)
{
	struct create *c = arg;
	pthread_t h;
	c->err = pthread_create(&h, &c->attr, thread_main, c->sp);
	return c->err == 0;
}

long thread_spawn(struct thread *t, void (*init)(struct thread *t, void *arg), void *arg)
{
	struct spawn sp = { .t = t, .init = init, .arg = arg };
	struct create c = { .sp = &sp };
	t->on_host_thread = true;
	pthread_attr_init(&c.attr);
	pthread_attr_setdetachstate(&c.attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&c.attr, HOST_STACK_SIZE);
	/* The host stack is sfdemu's own memory, not the guest's (emu/host_alloc.h). */
	bool ok = ha_own_map(attempt_create, &c, HOST_STACK_SIZE);
	pthread_attr_destroy(&c.attr);
	if (!ok) {
		thread_unregister(t);
		free(t);
		return -EAGAIN;
	}
	int tid;
	while ((tid = __atomic_load_n(&sp.tid, __ATOMIC_ACQUIRE)) == 0)
		futex(&sp.tid, FUTEX_WAIT_PRIVATE, 0);
	return tid;
}

/* ---- exit ---- */

/* Guest memory access for the exit path: the word must be mapped writable. */
static uint32_t *guest_word(uint64_t addr)
{
	if (addr & 3)
		return NULL;
	proc_mm_rdlock();
	bool ok = mm_accessible(&the_process.mm, addr, 4, PROT_READ | PROT_WRITE) == 4;
	proc_mm_rdunlock();
	return ok ? (uint32_t *)(uintptr_t)addr : NULL;
}

static bool guest_u64(uint64_t addr, uint64_t *out)
{
	proc_mm_rdlock();
	bool ok = mm_accessible(&the_process.mm, addr, 8, PROT_READ) == 8;
	if (ok)
		memcpy(out, (const void *)(uintptr_t)addr, 8);
	proc_mm_rdunlock();
	return ok;
}

/* kernel/futex/core.c handle_futex_death(). */
static void futex_death(uint64_t uaddr, int tid, bool pi, bool pending_op)
{
	uint32_t *w = guest_word(uaddr);
	if (!w)
		return;
	uint32_t uval = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	for (;;) {
		if (pending_op && !pi && !uval) {
			futex(w, FUTEX_WAKE, 1);
			return;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
			return;
		uint32_t mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (__atomic_compare_exchange_n(w, &uval, mval, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex(w, FUTEX_WAKE, 1);
}

/* kernel/futex/core.c exit_robust_list(): struct robust_list_head is { next, futex_offset,
 * list_op_pending }; bit 0 of an entry pointer marks a PI futex. */
static void release_robust_futexes(struct thread *t)
{
	uint64_t head = t->robust_list, entry, pending, off;
	if (!head || !guest_u64(head, &entry) || !guest_u64(head + 8, &off) ||
	    !guest_u64(head + 16, &pending))
		return;
	bool pip = pending & 1;
	pending &= ~1ull;
	for (int limit = 2048; (entry & ~1ull) != head && limit > 0; limit--) {
		uint64_t e = entry & ~1ull, next;
		bool pi = entry & 1;
		if (!guest_u64(e, &next))
			return;
		if (e != pending)
			futex_death(e + off, t->tid, pi, false);
		entry = next;
	}
	if (pending)
		futex_death(pending + off, t->tid, pip, true);
}

int thread_exit(struct thread *t, int status)
{
	lock();
	if (t->vfork_child) {
		unlock();
		return status;
	}
	if (t->tid == the_process.leader_tid) {
		the_process.leader_exited = true;
		the_process.leader_status = status;
	}
	if (the_process.nthreads <= 1) {
		/* The process's status is its leader's, whichever thread exits last. */
		int st = the_process.leader_exited ? the_process.leader_status : status;
		unlock();
		return st;
	}
	unlink_locked(t);
	unlock();

	release_robust_futexes(t);
	uint32_t *ctid = t->clear_child_tid ? guest_word(t->clear_child_tid) : NULL;
	if (ctid) {
		__atomic_store_n(ctid, 0, __ATOMIC_SEQ_CST);
		futex(ctid, FUTEX_WAKE, 1);
	}
	/* Host signals for the process go to the threads that remain. */
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (t->on_host_thread)
		siglongjmp(t->exit_jmp, 1);
	/* The process's first host thread has no start routine to return from. */
	for (;;)
		syscall(SYS_exit, 0);
}

/* ---- kicks ---- */

void thread_kick_all(uint32_t what, struct thread *except)
{
	lock();
	for (struct thread *t = the_process.threads; t; t = t->next) {
		if (t == except)
			continue;
		__atomic_or_fetch(&t->kick, what, __ATOMIC_SEQ_CST);
		uint32_t none = EXIT_NONE;
		__atomic_compare_exchange_n(&t->cpu.exit_reason, &none, EXIT_KICK, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	}
	unlock();
}

void thread_catch_up(struct thread *t)
{
	uint32_t k = __atomic_exchange_n(&t->kick, 0, __ATOMIC_SEQ_CST);
	if (k & KICK_JCACHE)
		blk_catch_up(t);
}

uint64_t thread_min_blk_epoch(const struct thread *except)
{
	uint64_t min = UINT64_MAX;
	lock();
	for (struct thread *t = the_process.threads; t; t = t->next) {
		if (t == except || !__atomic_load_n(&t->in_blocks, __ATOMIC_SEQ_CST))
			continue;
		uint64_t e = __atomic_load_n(&t->blk_epoch, __ATOMIC_SEQ_CST);
		if (e < min)
			min = e;
	}
	unlock();
	return min;
}

/* ---- fork ---- */

void thread_fork_prepare(void)
{
	proc_mm_wrlock();
	pthread_mutex_lock(&the_process.blk_lock);
	lock();
	ha_fork_prepare();
}

void thread_fork_parent(void)
{
	ha_fork_parent();
	unlock();
	pthread_mutex_unlock(&the_process.blk_lock);
	proc_mm_wrunlock();
}

void thread_fork_child(struct thread *self)
{
	/* The other threads are gone; their locks' owners too. */
	pthread_rwlock_init(&the_process.mm_lock, NULL);
	proc_mm_writing = false;
	pthread_mutex_init(&the_process.blk_lock, NULL);
	pthread_mutex_init(&the_process.threads_lock, NULL);
	ha_fork_child();
	for (struct thread *t = the_process.threads, *next; t; t = next) {
		next = t->next;
		if (t != self && (t->on_host_thread || t->vfork_child))
			free(t);
	}
	self->next = NULL;
	self->tid = (int)syscall(SYS_gettid);
	self->vfork_child = false;
	the_process.threads = self;
	the_process.nthreads = 1;
	the_process.leader_tid = self->tid;
	the_process.leader_exited = false;
	sig_fork_child(self);
}
