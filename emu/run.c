/* The run loop. A thread runs blocks until an op asks for attention through
 * cpu->exit_reason (a syscall, a guest fault, a signal to deliver): the one check per block.
 * Host faults inside guest accesses come back here through thread->fault_jmp (emu/fault.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "run.h"
#include "block.h"
#include "../syscalls/syscall.h"
#include "../syscalls/signal.h"

_Thread_local struct thread *current;
struct process the_process;

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

static inline void run_blocks(struct thread *t)
{
	struct cpu *cpu = &t->cpu;
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
	if (!sigsetjmp(t->fault_jmp, 0)) {
		t->in_guest = true;
		run_blocks(t);
	}
	t->in_guest = false;
	enum cpu_exit why = t->cpu.exit_reason;
	t->cpu.exit_reason = EXIT_NONE;
	return why;
}

static _Noreturn void fatal_fault(struct thread *t)
{
	const struct cpu_fault *f = &t->cpu.fault;
	if (the_process.opt.debug || the_process.opt.strace)
		fprintf(stderr, "sfdemu: guest signal %d (%s, code %d) at pc 0x%llx, address 0x%llx\n",
			f->signo, strsignal(f->signo), f->code, (unsigned long long)t->cpu.rip,
			(unsigned long long)f->addr);
	sig_die(f->signo);
}

_Noreturn void run_thread(struct thread *t)
{
	current = t;
	for (;;) {
		switch (run_guarded(t)) {
		case EXIT_SYSCALL:
			sys_dispatch(t);
			break;
		case EXIT_FAULT:
			/* The guest signal core will deliver to a guest handler here. */
			fatal_fault(t);
		case EXIT_CODE_WRITE:
			blk_flush_written();
			break;
		default:
			break;
		}
	}
}

enum cpu_exit run_until(struct thread *t, uint64_t stop_pc)
{
	current = t;
	struct cpu *cpu = &t->cpu;
	for (;;) {
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
		enum cpu_exit why = cpu->exit_reason;
		cpu->exit_reason = EXIT_NONE;
		if (why != EXIT_CODE_WRITE)
			return why;
		blk_flush_written();
	}
}
