/* Process and thread state. `struct process` owns what the threads share (memory map, block
 * cache, signal dispositions, the guest's brk, the thread list); `struct thread` owns its CPU,
 * its blocked mask and its fault recovery point. The only global is `current`, the calling
 * host thread's guest thread.
 *
 * Locks of the process, in the order they nest (take a later one while holding an earlier
 * one, never the reverse):
 *   mm_lock       the memory map: written by the mmap family, read wherever sfdemu checks or
 *                 copies guest memory and while decoding; never held across a blocking call.
 *   blk_lock      the block cache's tables (emu/block.c).
 *   threads_lock  the thread list and its counts (emu/thread.c).
 * Host signal handlers take none of them. */
#ifndef SFDEMU_PROCESS_H
#define SFDEMU_PROCESS_H

#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include "cpu.h"
#include "mm.h"
#include "../syscalls/linux_abi.h"
#include "../syscalls/sigqueue.h"

struct block;

/* The per-thread jump cache: a direct-mapped guest pc -> block table in front of the block hash. */
#define JCACHE_BITS 12
#define JCACHE_SIZE (1u << JCACHE_BITS)

/* Code pages a thread's stores made writable again, waiting for blk_flush_written(). */
#define WRITTEN_MAX 16

struct options {
	bool strace;     /* --strace: one line per guest syscall on stderr */
	bool debug;      /* SFDEMU_DEBUG=1: emulator diagnostics on stderr */
	const char *root;/* -L: absolute paths are looked up under this directory first */
	bool no_thunks;  /* --no-thunks: libc functions always run as guest code (emu/thunk.c) */
};

struct process {
	struct mm mm;
	struct linux_sigaction sigactions[LINUX_NSIG + 1]; /* [1..64] */
	char exe_path[4096];   /* what /proc/self/exe names: the guest's absolute path */
	struct options opt;

	pthread_rwlock_t mm_lock;
	pthread_mutex_t blk_lock;
	pthread_mutex_t threads_lock;
	struct thread *threads;      /* every running guest thread, linked by thread->next */
	int nthreads;                /* how many of them are this process's (not vfork children) */
	int leader_tid;              /* the thread group leader (the first thread) */
	bool leader_exited;          /* it called exit: the process's status is leader_status */
	int leader_status;

	struct sigq shared_pending;  /* process-wide pending signals (syscalls/signal.c) */
};

/* Work another thread asks of a thread at its next block boundary (thread->kick bits). */
enum {
	KICK_JCACHE = 1u << 0,   /* blocks were dropped: empty the jump cache */
};

struct thread {
	struct cpu cpu;
	struct process *proc;
	uint64_t sigmask;            /* blocked guest signals, bit (sig - 1) */
	uint64_t clear_child_tid;
	struct sigq pending;         /* signals pending for this thread (syscalls/signal.c) */
	uint64_t waiting_set;        /* rt_sigtimedwait: the signals it waits for, else 0 */
	uint32_t wakeups;            /* host signals sent to wake it there, not yet taken */
	bool sigq_locked;            /* it holds the pending sets' lock (syscalls/sigsend.c) */
	uint64_t sigq_deferred;      /* host signals that came meanwhile, bit (sig - 1), */
	struct linux_siginfo sigq_deferred_info[LINUX_NSIG]; /* each with its siginfo */
	uint64_t saved_sigmask;      /* sigsuspend: the mask to restore once a handler ran */
	bool restore_sigmask;
	long interrupted_nr;         /* 1 + the syscall a host signal interrupted (EINTR),
				      * restarted for an SA_RESTART handler; 0 if none */
	struct linux_stack sigaltstack; /* as sigaltstack(2) set it */
	uint64_t robust_list;        /* set_robust_list head (the kernel only stores it) */
	bool in_guest;               /* running ops: a host SIGSEGV/SIGBUS/SIGFPE is the guest's */
	sigjmp_buf fault_jmp;        /* where a guest fault leaves the block */

	/* Threads (emu/thread.c). */
	int tid;                     /* the host thread's tid, which is the guest's */
	struct thread *next;         /* in the process's thread list */
	bool vfork_child;            /* a vfork child borrowing its parent's memory */
	bool on_host_thread;         /* started by thread_spawn: exit returns to exit_jmp */
	sigjmp_buf exit_jmp;
	void *altstack;              /* sfdemu's signal stack for this host thread */

	/* Set by other threads (atomics): the kick bits, and the block-cache epoch this thread
	 * has caught up with while it runs blocks (emu/block.c frees a dropped block only when
	 * every thread running blocks has passed the epoch that dropped it). */
	uint32_t kick;
	uint32_t in_blocks;
	uint64_t blk_epoch;

	/* Self-modifying code: pages this thread's stores made writable (emu/block.c); written
	 * by this thread's host SIGSEGV handler. */
	uint64_t written[WRITTEN_MAX];
	volatile unsigned written_count;

	struct block *jcache[JCACHE_SIZE];
};

extern _Thread_local struct thread *current;
extern struct process the_process;

/* Set up a thread's CPU as the kernel leaves it at exec (registers zero, MXCSR 0x1f80, FCW 0x37f). */
void thread_init(struct thread *t, struct process *p);

/* The memory map lock (see above). A thread that holds it for writing may take it for
 * reading again (the mmap family checks guest ranges too). */
extern _Thread_local bool proc_mm_writing;
static inline void proc_mm_rdlock(void)
{
	if (!proc_mm_writing)
		pthread_rwlock_rdlock(&the_process.mm_lock);
}
static inline void proc_mm_rdunlock(void)
{
	if (!proc_mm_writing)
		pthread_rwlock_unlock(&the_process.mm_lock);
}
static inline void proc_mm_wrlock(void)
{
	pthread_rwlock_wrlock(&the_process.mm_lock);
	proc_mm_writing = true;
}
static inline void proc_mm_wrunlock(void)
{
	proc_mm_writing = false;
	pthread_rwlock_unlock(&the_process.mm_lock);
}

#endif
