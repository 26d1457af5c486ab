/* A small API for driving the interpreter from unit tests: one guest thread in this process,
 * guest memory mapped and recorded in the memory map, registers set and read, code run up to a
 * stop address. Guest addresses are host addresses, so a test writes code and data directly. */
#ifndef SFDEMU_TESTS_EMU_HARNESS_H
#define SFDEMU_TESTS_EMU_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "../../emu/cpu.h"
#include "../../emu/run.h"

/* Set up fault handling and the test thread (idempotent). */
void eh_init(void);
struct thread *eh_thread(void);
struct cpu *eh_cpu(void);

/* Zero every register, rflags 0x202, MXCSR 0x1f80, x87 reset, rsp at the top of a guest stack
 * (16-byte aligned), no pending exit. */
void eh_reset(void);
uint64_t eh_stack_top(void);

/* Map guest memory (anonymous, zeroed) and record it in the memory map. addr NULL: anywhere;
 * otherwise exactly there (MAP_FIXED). Returns the address; aborts on failure. */
void *eh_map(void *addr, size_t len, int prot);
/* Unmap and forget (the memory map drops decoded blocks in it). */
void eh_unmap(void *addr, size_t len);
/* Copy bytes into guest memory (no block invalidation: a test that needs it says so). */
void eh_write(void *at, const void *bytes, size_t n);

/* Run from pc until rip == stop (at a block boundary), a syscall or a fault. */
enum cpu_exit eh_run(uint64_t pc, uint64_t stop);

uint64_t eh_reg(int r);
void eh_set_reg(int r, uint64_t v);
/* RFLAGS as the guest sees it, and set it (arithmetic flags, DF). */
uint64_t eh_flags(void);
void eh_set_flags(uint64_t rflags);

#endif
