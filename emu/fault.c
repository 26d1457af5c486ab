/* Host SIGSEGV, SIGBUS and SIGFPE. While a thread runs ops (thread->in_guest), such a signal
 * comes from a guest memory access or a guest floating-point exception: record it as the
 * guest's fault at the op that was touching memory and leave the block through fault_jmp.
 * Anywhere else it is a bug in sfdemu: say so and die of it. A store into a page of decoded
 * code (see blk_code_write_fault) is neither: it is retried once the page is writable again.
 *
 * The handlers run on an alternate stack (one per host thread) with SA_NODEFER, so
 * siglongjmp (which does not restore the signal mask, to keep sigsetjmp cheap) leaves
 * nothing blocked.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run.h"
#include "op.h"
#include "block.h"
#include "host_alloc.h"
#include "sse.h"

#define ALT_STACK_SIZE (64 * 1024)

static void on_host_fault(int sig, siginfo_t *si, void *ucontext)
{
	struct thread *t = current;
	if (sig == SIGSEGV && si->si_code == SEGV_ACCERR &&
	    blk_code_write_fault((uint64_t)(uintptr_t)si->si_addr)) {
		/* A store into decoded code, by the guest or by sfdemu on its behalf: the page
		 * is writable again, the store is retried on return, and the run loop drops the
		 * page's blocks at the next block boundary. */
		if (t && t->cpu.exit_reason == EXIT_NONE)
			t->cpu.exit_reason = EXIT_CODE_WRITE;
		return;
	}
	if (t && t->in_guest) {
		struct cpu *cpu = &t->cpu;
		const struct op *op = cpu->cur_op;
		cpu->fault = (struct cpu_fault){ .signo = sig, .code = si->si_code,
						 .addr = (uint64_t)(uintptr_t)si->si_addr };
		if (sig == SIGFPE && op)
			cpu->fault.addr = op->pc;
		if (op)
			cpu->rip = op->pc;
		cpu->exit_reason = EXIT_FAULT;
		/* The kernel ran this handler with a fresh MXCSR and siglongjmp does not restore
		 * it: put back the guest's (emu/sse.h), flags of the trapping op included. */
		const ucontext_t *uc = ucontext;
		if (uc && uc->uc_mcontext.fpregs)
			sse_set_mxcsr(cpu, uc->uc_mcontext.fpregs->mxcsr);
		siglongjmp(t->fault_jmp, 1);
	}
	char msg[160];
	int n = snprintf(msg, sizeof msg, "sfdemu: internal error: %s at address %p\n",
			 strsignal(sig), si->si_addr);
	if (write(2, msg, (size_t)n) < 0) {
		/* nothing more to say */
	}
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static _Thread_local void *alt_stack;

void fault_thread_init(void)
{
	stack_t ss = { .ss_size = ALT_STACK_SIZE, .ss_flags = 0 };
	ss.ss_sp = ha_malloc(ALT_STACK_SIZE);
	if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0) {
		perror("sfdemu: sigaltstack");
		exit(1);
	}
	alt_stack = ss.ss_sp;
}

void fault_thread_exit(void)
{
	stack_t ss = { .ss_flags = SS_DISABLE };
	if (alt_stack && sigaltstack(&ss, NULL) == 0) {
		free(alt_stack);
		alt_stack = NULL;
	}
}

void fault_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_host_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	fault_thread_init();
}
