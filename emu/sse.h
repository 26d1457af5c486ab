/* The guest's MXCSR, for everything outside the SSE ops that saves or loads it (fxsave/fxrstor,
 * signal frames, thread creation, the tests).
 *
 * While guest code runs, the host MXCSR *is* the guest's: SSE ops compute on the host's SSE unit,
 * so rounding, DAZ/FTZ, NaN results and the sticky exception flags are the CPU's own, and an
 * exception the guest unmasked traps in the op that causes it (a host SIGFPE at cpu->cur_op).
 * cpu->mxcsr is a copy: its control bits are always current when every load goes through
 * sse_set_mxcsr(), its flag bits only after sse_get_mxcsr().
 *
 * Consequences for emulator code running on a guest thread: it must not do float or double
 * arithmetic in C (gcc compiles it to SSE, which would set the guest's flags or trap); x87 long
 * double code is unaffected. Linux starts a thread with the parent's MXCSR, a signal handler and
 * a new program with MXCSR_DEFAULT, and drops reserved bits on sigreturn (mask them off with
 * sse_mxcsr_mask()).
 */
#ifndef SFDEMU_SSE_H
#define SFDEMU_SSE_H

#include <stdbool.h>
#include <stdint.h>
#include <xmmintrin.h>
#include "cpu.h"

#define MXCSR_DEFAULT 0x1f80u
/* AMD's misaligned-SSE mode: legacy SSE memory operands need no 16-byte alignment. */
#define MXCSR_MM (1u << 17)

/* The bits of MXCSR the host (and so the guest) may set: fxsave's MXCSR_MASK. */
uint32_t sse_mxcsr_mask(void);

/* Whether ldmxcsr/fxrstor accept v; when not, the CPU raises #GP (SIGSEGV, SI_KERNEL, addr 0). */
static inline bool sse_mxcsr_valid(uint32_t v)
{
	return (v & ~sse_mxcsr_mask()) == 0;
}

/* The guest's MXCSR as stmxcsr would store it (also refreshes cpu->mxcsr). */
static inline uint32_t sse_get_mxcsr(struct cpu *cpu)
{
	uint32_t v = _mm_getcsr();
	cpu->mxcsr = v;
	return v;
}

/* Load the guest's MXCSR; v must be valid (sse_mxcsr_valid). */
static inline void sse_set_mxcsr(struct cpu *cpu, uint32_t v)
{
	cpu->mxcsr = v;
	_mm_setcsr(v);
}

#endif
