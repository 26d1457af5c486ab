/* Fuzz target for the decoder and the interpreter: each input is a few option bits and then
 * raw x86-64 code, decoded and run through the unit tests' harness (tests/unit/emu_harness.h)
 * in a sandbox of guest pages:
 *
 *   page 0     guard (PROT_NONE)          page 4-5   data, read-write (registers point here)
 *   page 1-2   code, read-write-execute   page 6     data, read-only
 *   page 3     guard                      page 7     guard
 *
 * The code is written at the start of page 1, or (option bit 0) so that it ends exactly at
 * the end of page 1 with page 2 made PROT_NONE: instructions then cross into a guard page.
 * The rest of the code pages is hlt. Option bits 1-3 pick one of eight register sets. Pages
 * 8-23 are the guest's stack. The run
 * stops at the end of the input, at a syscall (not carried out), at a guest fault, or after
 * about 10 ms of CPU time (a virtual timer asks the run loop to stop, as a pending signal
 * would), so infinite guest loops end.
 *
 * Guest addresses are host addresses and a guest store is not checked against the memory
 * map, so a guest address that happens to be host memory is written, as in any sfdemu run.
 * The sandbox therefore sits at FZ_BASE, far from every host mapping (ASan's shadow ends at
 * 0x10007fff7fff, its allocator is at 0x600000000000, libraries and stacks are near
 * 0x7f0000000000), chosen so that sums and scaled indexes of sandbox addresses (2x, 3x, 4x,
 * 5x, 9x) are unmapped or non-canonical too: random code then faults where it would on
 * Linux instead of writing over the fuzzer.
 *
 * The guest may fault in any way; sfdemu must not. A host fault outside guest code, an ASan
 * or UBSan report, or a broken invariant after the run (an exit reason or guest signal that
 * cannot happen, the host's direction flag left set) aborts and is reported as a crash. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include "../unit/emu_harness.h"
#include "../../emu/block.h"
#include "../../emu/process.h"
#include "../../emu/sse.h"
#include "fuzz.h"

#define FZ_BASE 0x280000000000ull
#define FZ_PAGE 4096
#define FZ_PAGES 24
#define FZ_STACK_TOP (FZ_PAGES * FZ_PAGE - 256)
#define FZ_CODE_MAX (2 * FZ_PAGE)
#define FZ_TICKS_MAX 2           /* 2 x 5 ms of CPU time per input */

static uint8_t *fz_base;         /* the sandbox: FZ_PAGES pages */
static volatile sig_atomic_t fz_ticks, fz_running;

static uint8_t *fz_page(int i) { return fz_base + (size_t)i * FZ_PAGE; }

static void fz_protect(int first, int n, int prot)
{
	if (mprotect(fz_page(first), (size_t)n * FZ_PAGE, prot) != 0) {
		perror("fuzz_interp: mprotect");
		abort();
	}
	mm_protect(&the_process.mm, (uint64_t)(uintptr_t)fz_page(first), (uint64_t)n * FZ_PAGE, prot);
}

/* The run loop checks exit_reason at every block boundary: a long run ends there. */
static void fz_on_vtalrm(int sig)
{
	(void)sig;
	if (fz_running && ++fz_ticks >= FZ_TICKS_MAX && eh_cpu()->exit_reason == EXIT_NONE)
		eh_cpu()->exit_reason = EXIT_SIGNAL;
}

/* ASan checks the ranges that memcpy, memmove and memset touch before they run, and says
 * "unknown-crash" for a range outside the application's address space. Guest accesses of
 * more than 8 bytes (fxsave, frstor, SSE, string ops) are such calls at the guest's
 * address, and a guest that reaches for a kernel or non-canonical address must get its
 * SIGSEGV from the access itself. So those range checks are off (inline checks of sfdemu's
 * own loads and stores stay). tests/run-hardening sets the same for test-asan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "replace_intrin=0"; }

/* Host faults. libFuzzer installs its handlers after LLVMFuzzerInitialize and chains to
 * sfdemu's without SA_NODEFER, which would leave SIGSEGV blocked after a guest fault; and
 * sfdemu's own handler dies of a fault in sfdemu without a word to libFuzzer. So this one is
 * installed in front on the first input: guest faults (and stores into protected code pages)
 * go to sfdemu's handler, which leaves the block with siglongjmp; a fault anywhere else is a
 * crash of sfdemu, reported with abort() so that libFuzzer saves the input. */
static struct sigaction fz_sfdemu_handler[NSIG];
static const int fz_fault_signals[] = { SIGSEGV, SIGBUS, SIGFPE };

static void fz_on_fault(int sig, siginfo_t *si, void *uc)
{
	struct thread *t = eh_thread();
	if (t->in_guest) {
		fz_sfdemu_handler[sig].sa_sigaction(sig, si, uc);
		return;
	}
	if (sig == SIGSEGV && si->si_code == SEGV_ACCERR &&
	    blk_code_write_fault((uint64_t)(uintptr_t)si->si_addr)) {
		if (t->cpu.exit_reason == EXIT_NONE)
			t->cpu.exit_reason = EXIT_CODE_WRITE;
		return;
	}
	const ucontext_t *u = uc;
	fprintf(stderr, "fuzz_interp: host %s in sfdemu (not in a guest access) at pc 0x%llx, "
		"address %p\n", strsignal(sig), (unsigned long long)u->uc_mcontext.gregs[REG_RIP],
		si->si_addr);
	abort();
}

static void fz_take_fault_signals(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fz_on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	for (size_t i = 0; i < sizeof fz_fault_signals / sizeof fz_fault_signals[0]; i++)
		sigaction(fz_fault_signals[i], &sa, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	eh_init();
	for (size_t i = 0; i < sizeof fz_fault_signals / sizeof fz_fault_signals[0]; i++)
		sigaction(fz_fault_signals[i], NULL, &fz_sfdemu_handler[fz_fault_signals[i]]);
	fz_base = mmap((void *)FZ_BASE, FZ_PAGES * FZ_PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (fz_base != (void *)FZ_BASE) {
		fprintf(stderr, "fuzz_interp: cannot map the sandbox at 0x%llx\n", FZ_BASE);
		abort();
	}
	mm_add(&the_process.mm, FZ_BASE, FZ_PAGES * FZ_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fz_on_vtalrm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGVTALRM, &sa, NULL);
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } };
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	return 0;
}

/* Eight register sets: pointers into the data pages, edge values, small counts. */
static void fz_set_regs(unsigned set)
{
	uint64_t d = (uint64_t)(uintptr_t)fz_page(4), ro = (uint64_t)(uintptr_t)fz_page(6);
	static const uint64_t edges[] = { 0, 1, 0x7f, 0x80, 0xffff, 0x80000000, 0xffffffff,
		0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 3, 64,
		0xffff800000000000, 0x1000, 0x12345678 };
	for (int r = 0; r < 16; r++) {
		if (r == R_RSP)
			continue;
		uint64_t v;
		switch (set) {
		case 0: v = 0; break;
		case 1: v = d + 0x800 + (uint64_t)r * 8; break;
		case 2: v = edges[r]; break;
		case 3: v = r & 1 ? d + 0x1000 : ro + (uint64_t)r * 16; break;
		case 4: v = (uint64_t)r * 0x101; break;
		case 5: v = edges[15 - r]; break;
		case 6: v = d + 0x1ff8; break;            /* 8 bytes before the read-only page */
		default: v = r < 8 ? d + 0xff0 : edges[r]; break;
		}
		eh_set_reg(r, v);
	}
	eh_cpu()->segbase[SEG_FS] = d + 0x400;
	eh_cpu()->segbase[SEG_GS] = set & 1 ? ro : 0;
	for (int i = 0; i < 16; i++)
		for (int k = 0; k < 2; k++)
			eh_cpu()->xmm[i].q[k] = edges[(i + k + set) & 15];
}

static void fz_fail(const char *what, enum cpu_exit why)
{
	const struct cpu *c = eh_cpu();
	fprintf(stderr, "fuzz_interp: %s (exit %d, signal %d code %d addr 0x%llx, rip 0x%llx)\n",
		what, why, c->fault.signo, c->fault.code, (unsigned long long)c->fault.addr,
		(unsigned long long)c->rip);
	abort();
}

static bool fz_host_df(void)
{
	uint64_t fl;
	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	return fl & 0x400;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_take_fault_signals();
	if (size < 1)
		return 0;
	unsigned opts = data[0];
	data++;
	size--;
	if (size > FZ_CODE_MAX)
		size = FZ_CODE_MAX;
	bool at_page_end = (opts & 1) && size <= FZ_PAGE;

	/* Fresh sandbox: no blocks from the last input (the guest may have jumped anywhere),
	 * pages back to their protections (dropping a block does not give its page back the
	 * write permission the block cache took away), known contents. */
	blk_invalidate(0, UINT64_MAX);
	fz_protect(1, 2, PROT_READ | PROT_WRITE | PROT_EXEC);
	fz_protect(4, 3, PROT_READ | PROT_WRITE);
	fz_protect(8, FZ_PAGES - 8, PROT_READ | PROT_WRITE);
	memset(fz_page(8), 0, (FZ_PAGES - 8) * FZ_PAGE);
	memset(fz_page(1), 0xf4, FZ_CODE_MAX);
	for (int i = 0; i < 3; i++)
		memset(fz_page(4 + i), 0x11 * (i + 1), FZ_PAGE);
	uint8_t *code = at_page_end ? fz_page(2) - size : fz_page(1);
	memcpy(code, data, size);
	fz_protect(6, 1, PROT_READ);
	if (at_page_end)
		fz_protect(2, 1, PROT_NONE);

	eh_reset();
	fz_set_regs((opts >> 1) & 7);
	eh_set_reg(R_RSP, FZ_BASE + FZ_STACK_TOP);
	fz_ticks = 0;
	fz_running = 1;
	enum cpu_exit why = eh_run((uint64_t)(uintptr_t)code, (uint64_t)(uintptr_t)(code + size));
	fz_running = 0;

	if (fz_host_df())
		fz_fail("the host direction flag is left set", why);
	switch (why) {
	case EXIT_NONE:
	case EXIT_SYSCALL:
	case EXIT_SIGNAL:
		break;
	case EXIT_FAULT:
		switch (eh_cpu()->fault.signo) {
		case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
			break;
		default:
			fz_fail("a guest fault with an unexpected signal", why);
		}
		break;
	default:
		fz_fail("an unexpected exit from the run loop", why);
	}
	/* The host FPU and MXCSR carry guest state: give this process its own back. */
	sse_set_mxcsr(eh_cpu(), MXCSR_DEFAULT);
	__asm__ volatile("fninit");
	return 0;
}
