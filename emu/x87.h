/* The guest x87 FPU state (struct x87_state in cpu.h) as the rest of sfdemu sees it: reset,
 * the fxsave image that signal frames and fxsave/fxrstor use, the status and tag words.
 *
 * The stack is cpu->x87.phys[8] in physical order: st(i) is phys[(top + i) & 7]. fsw holds
 * the status word without TOP; tag_valid has a bit per physical register (the fxsave
 * "abridged" tag word). fcw is kept as fnstcw returns it (bit 6 set, bits 7 and 13-15 clear).
 */
#ifndef SFDEMU_X87_H
#define SFDEMU_X87_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"

/* Status word bits. */
enum {
	FSW_IE = 0x0001, FSW_DE = 0x0002, FSW_ZE = 0x0004, FSW_OE = 0x0008, FSW_UE = 0x0010,
	FSW_PE = 0x0020, FSW_SF = 0x0040, FSW_ES = 0x0080, FSW_C0 = 0x0100, FSW_C1 = 0x0200,
	FSW_C2 = 0x0400, FSW_TOP = 0x3800, FSW_C3 = 0x4000, FSW_B = 0x8000,
	FSW_EXC = 0x003f,                              /* the six exception flags */
	FSW_CC = FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3,
};

#define FCW_DEFAULT 0x037f
/* The bits of the control word that exist: fldcw 0xffff reads back as 0x1f7f. */
static inline uint16_t x87_fcw_norm(uint16_t v)
{
	return (uint16_t)((v & 0x1f3f) | 0x40);
}

/* The state fninit leaves (and Linux gives a new program or a signal handler). */
void x87_reset(struct cpu *cpu);

/* The status word as fnstsw stores it: fsw with TOP. */
static inline uint16_t x87_fsw(const struct cpu *cpu)
{
	return (uint16_t)((cpu->x87.fsw & ~FSW_TOP) | ((cpu->x87.top & 7) << 11));
}

/* The full two-bits-per-register tag word of fnstenv/fnsave (valid, zero, special, empty),
 * and its inverse for fldenv/frstor (anything but "empty" is a register in use). */
uint16_t x87_ftw_full(const struct cpu *cpu);
uint8_t x87_ftw_abridge(uint16_t ftw);

/* The 512-byte fxsave image of the x87, MXCSR and XMM state. rex_w selects the 64-bit form
 * (fxsave64: 64-bit FIP and FDP) over the one with 32-bit offsets and selectors. Bytes
 * 416..511 are left as they are, as the CPU does. */
void x87_fxsave(struct cpu *cpu, void *image, bool rex_w);
/* Load an fxsave image. False (and nothing loaded) when its MXCSR has bits the CPU does not
 * support: the CPU raises #GP, a guest SIGSEGV. */
bool x87_fxrstor(struct cpu *cpu, const void *image, bool rex_w);

#endif
