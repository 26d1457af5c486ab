/* Process and thread state. `struct process` owns what the threads share (memory map, block
 * cache, signal dispositions, the guest's brk); `struct thread` owns its CPU, its blocked mask
 * and its fault recovery point. The only global is `current`, the calling host thread's guest
 * thread. */
#ifndef SFDEMU_PROCESS_H
#define SFDEMU_PROCESS_H

#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include "cpu.h"
#include "mm.h"
#include "../syscalls/linux_abi.h"

struct block;

/* The per-thread jump cache: a direct-mapped guest pc -> block table in front of the block hash. */
#define JCACHE_BITS 12
#define JCACHE_SIZE (1u << JCACHE_BITS)

struct options {
	bool strace;     /* --strace: one line per guest syscall on stderr */
	bool debug;      /* SFDEMU_DEBUG=1: emulator diagnostics on stderr */
	const char *root;/* -L: where to find the interpreter (next issue) */
};

struct process {
	struct mm mm;
	struct linux_sigaction sigactions[LINUX_NSIG + 1]; /* [1..64] */
	char exe_path[4096];   /* what /proc/self/exe names: the guest's absolute path */
	struct options opt;
};

struct thread {
	struct cpu cpu;
	struct process *proc;
	uint64_t sigmask;            /* blocked guest signals, bit (sig - 1) */
	uint64_t clear_child_tid;
	uint64_t sigpending;         /* guest signals pending for this thread, bit (sig - 1) */
	struct linux_stack sigaltstack; /* as sigaltstack(2) set it */
	uint64_t robust_list;        /* set_robust_list head (the kernel only stores it) */
	bool in_guest;               /* running ops: a host SIGSEGV/SIGBUS/SIGFPE is the guest's */
	sigjmp_buf fault_jmp;        /* where a guest fault leaves the block */
	struct block *jcache[JCACHE_SIZE];
};

extern _Thread_local struct thread *current;
extern struct process the_process;

/* Set up a thread's CPU as the kernel leaves it at exec (registers zero, MXCSR 0x1f80, FCW 0x37f). */
void thread_init(struct thread *t, struct process *p);

#endif
