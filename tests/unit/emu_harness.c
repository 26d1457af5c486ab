/* The unit tests' window on the interpreter: one guest thread, run on the calling host thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "emu_harness.h"
#include "../../emu/flags.h"
#include "../../emu/process.h"
#include "../../emu/sse.h"

#define EH_STACK_SIZE (256 * 1024)

static struct thread eh_t;
static bool eh_ready;
static uint8_t *eh_stack;

void eh_init(void)
{
	if (eh_ready)
		return;
	eh_ready = true;
	the_process.opt.debug = getenv("SFDEMU_DEBUG") != NULL;
	fault_init();
	memset(&eh_t, 0, sizeof eh_t);
	eh_t.proc = &the_process;
	eh_t.cpu.thread = &eh_t;
	current = &eh_t;   /* fault_init() gave this host thread its signal stack */
	eh_stack = eh_map(NULL, EH_STACK_SIZE, PROT_READ | PROT_WRITE);
	eh_reset();
}

struct thread *eh_thread(void) { return &eh_t; }
struct cpu *eh_cpu(void) { return &eh_t.cpu; }
uint64_t eh_stack_top(void) { return (uint64_t)(uintptr_t)(eh_stack + EH_STACK_SIZE - 256); }

void eh_reset(void)
{
	struct cpu *c = &eh_t.cpu;
	memset(c->r, 0, sizeof c->r);
	memset(c->xmm, 0, sizeof c->xmm);
	c->r[R_RSP] = eh_stack_top();
	c->segbase[SEG_NONE] = 0;
	sse_set_mxcsr(c, MXCSR_DEFAULT); /* the host MXCSR is the guest's (emu/sse.h) */
	memset(&c->x87, 0, sizeof c->x87);
	c->x87.fcw = 0x37f;
	c->exit_reason = EXIT_NONE;
	c->cur_op = NULL;
	memset(&c->fault, 0, sizeof c->fault);
	flags_set(c, 0x202);
}

void *eh_map(void *addr, size_t len, int prot)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0);
	void *p = mmap(addr, len, prot, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("eh_map: mmap");
		abort();
	}
	mm_add(&the_process.mm, (uint64_t)(uintptr_t)p, len, prot, flags);
	return p;
}

void eh_unmap(void *addr, size_t len)
{
	munmap(addr, len);
	mm_remove(&the_process.mm, (uint64_t)(uintptr_t)addr, len);
}

void eh_write(void *at, const void *bytes, size_t n) { memcpy(at, bytes, n); }

enum cpu_exit eh_run(uint64_t pc, uint64_t stop)
{
	struct cpu *c = &eh_t.cpu;
	c->rip = pc;
	c->exit_reason = EXIT_NONE;
	memset(&c->fault, 0, sizeof c->fault);
	return run_until(&eh_t, stop);
}

uint64_t eh_reg(int r) { return eh_t.cpu.r[r]; }
void eh_set_reg(int r, uint64_t v) { eh_t.cpu.r[r] = v; }
uint64_t eh_flags(void) { return flags_get(&eh_t.cpu); }
void eh_set_flags(uint64_t rflags) { flags_set(&eh_t.cpu, rflags); }
