/* The run loop. A thread runs blocks until an op asks for attention through
 * cpu->exit_reason (a syscall, a guest fault, a signal to deliver, another thread's kick):
 * the one check per block. Pending signals are delivered there, between blocks, and at
 * syscall exit. Host faults inside guest accesses come back here through thread->fault_jmp
 * (emu/fault.c).
 *
 * Around each stretch of blocks a thread says it is running them (thread->in_blocks) and,
 * on the way in, acts on what other threads asked of it and on the code pages its own stores
 * changed: the block cache relies on this to know when a dropped block can be freed
 * (emu/block.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "run.h"
#include "block.h"
#include "chain.h"
#include "thread.h"
#include "../syscalls/syscall.h"
#include "../syscalls/signal.h"

_Thread_local struct thread *current;
_Thread_local bool proc_mm_writing;
struct process the_process = {
	.mm_lock = PTHREAD_RWLOCK_INITIALIZER,
	.blk_lock = PTHREAD_MUTEX_INITIALIZER,
	.threads_lock = PTHREAD_MUTEX_INITIALIZER,
};

void thread_init(struct thread *t, struct process *p)
{
	memset(t, 0, sizeof *t);
	t->proc = p;
	t->cpu.thread = t;
	t->cpu.rflags = 0x202;
	t->cpu.mxcsr = 0x1f80;
	t->cpu.x87.fcw = 0x37f;
}

const struct op *cpu_raise(struct cpu *cpu, const struct op *op, int signo, int code,
			   uint64_t addr, uint64_t rip)
{
	cpu->fault = (struct cpu_fault){ .signo = signo, .code = code, .addr = addr };
	cpu->exit_reason = EXIT_FAULT;
	cpu->rip = rip;
	return NULL;
}

/* Between blocks, before running more: drop the blocks of code this thread wrote, then say
 * it runs blocks, then catch up with what others asked (in this order: see block.c). */
static inline void enter_blocks(struct thread *t)
{
	if (unlikely(t->written_count))
		blk_flush_written(t);
	__atomic_store_n(&t->in_blocks, 1, __ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&t->kick, __ATOMIC_SEQ_CST)))
		thread_catch_up(t);
}

static inline void leave_blocks(struct thread *t)
{
	__atomic_store_n(&t->in_blocks, 0, __ATOMIC_RELEASE);
}

static inline void run_blocks(struct thread *t)
{
	struct cpu *cpu = &t->cpu;
	chain_enter();
	while (likely(!cpu->exit_reason)) {
		const struct op *op = blk_get(t, cpu->rip)->ops;
		do
			op = op->fn(cpu, op);
		while (op);
	}
}

/* Run until an exit; host faults in guest accesses land back here as EXIT_FAULT. */
static enum cpu_exit run_guarded(struct thread *t)
{
	enter_blocks(t);
	if (!sigsetjmp(t->fault_jmp, 0)) {
		t->in_guest = true;
		run_blocks(t);
	}
	t->in_guest = false;
	leave_blocks(t);
	enum cpu_exit why = t->cpu.exit_reason;
	t->cpu.exit_reason = EXIT_NONE;
	return why;
}

/* A guest fault: to the guest's handler, or the end of the process. */
static void guest_fault(struct thread *t)
{
	const struct cpu_fault *f = &t->cpu.fault;
	if (the_process.opt.debug || the_process.opt.strace)
		fprintf(stderr, "sfdemu: guest signal %d (%s, code %d) at pc 0x%llx, address 0x%llx\n",
			f->signo, strsignal(f->signo), f->code, (unsigned long long)t->cpu.rip,
			(unsigned long long)f->addr);
	sig_deliver_fault(t);
}

_Noreturn void run_thread(struct thread *t)
{
	current = t;
	for (;;) {
		switch (run_guarded(t)) {
		case EXIT_SYSCALL:
			sys_dispatch(t);   /* delivers what is pending at its exit */
			continue;
		case EXIT_FAULT:
			guest_fault(t);
			break;
		default:
			/* EXIT_SIGNAL; EXIT_CODE_WRITE and EXIT_KICK are enter_blocks' work. */
			break;
		}
		if (sig_pending_unblocked(t))
			sig_deliver_pending(t);
	}
}

enum cpu_exit run_until(struct thread *t, uint64_t stop_pc)
{
	current = t;
	struct cpu *cpu = &t->cpu;
	for (;;) {
		enter_blocks(t);
		/* Branches go on with the next block by themselves when it is in the jump cache
		 * (emu/chain.h): never with the one at stop_pc. */
		t->jcache[blk_jcache_slot(stop_pc)] = NULL;
		chain_enter();
		if (!sigsetjmp(t->fault_jmp, 0)) {
			t->in_guest = true;
			while (cpu->rip != stop_pc && !cpu->exit_reason) {
				const struct op *op = blk_get(t, cpu->rip)->ops;
				do
					op = op->fn(cpu, op);
				while (op);
			}
		}
		t->in_guest = false;
		leave_blocks(t);
		enum cpu_exit why = cpu->exit_reason;
		cpu->exit_reason = EXIT_NONE;
		if (why != EXIT_CODE_WRITE && why != EXIT_KICK)
			return why;
	}
}
