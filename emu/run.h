/* The run loop: fetch a block, run its ops, act on what made it stop. */
#ifndef SFDEMU_RUN_H
#define SFDEMU_RUN_H

#include <stdint.h>
#include "process.h"

/* Run the thread's guest code until it exits (never returns). */
_Noreturn void run_thread(struct thread *t);

/* For tests: run blocks until rip == stop_pc or the CPU exits for a syscall or a fault,
 * without acting on either. Returns the exit reason (EXIT_NONE when stop_pc was reached). */
enum cpu_exit run_until(struct thread *t, uint64_t stop_pc);

/* Install the host SIGSEGV/SIGBUS/SIGFPE handlers that turn faults in guest accesses into
 * guest faults (emu/fault.c). Call fault_init once per process; fault_thread_init once in
 * every other host thread that runs guest code, and fault_thread_exit when it stops. */
void fault_init(void);
void fault_thread_init(void);
void fault_thread_exit(void);

#endif
