/* The guest CPU state of one thread: registers, lazy flags, SSE and x87 state, and the
 * run loop's exit channel. Only emu/ and syscalls/ (through struct thread) touch it. */
#ifndef SFDEMU_CPU_H
#define SFDEMU_CPU_H

#include <stdint.h>
#include <stdbool.h>

/* General-purpose registers in x86 encoding order. */
enum { R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
       R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15, R_ZERO };

/* Segment bases an operand can use: none, fs, gs. */
enum { SEG_NONE, SEG_FS, SEG_GS };

/* RFLAGS bits. */
enum {
	FL_CF = 1u << 0, FL_PF = 1u << 2, FL_AF = 1u << 4, FL_ZF = 1u << 6,
	FL_SF = 1u << 7, FL_TF = 1u << 8, FL_IF = 1u << 9, FL_DF = 1u << 10,
	FL_OF = 1u << 11, FL_AC = 1u << 18, FL_ID = 1u << 21,
	FL_ARITH = FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF,
};

/* Why the run loop left a block with work to do (cpu->exit_reason). */
enum cpu_exit {
	EXIT_NONE = 0,
	EXIT_SYSCALL,  /* `syscall` executed; rip is the next instruction */
	EXIT_FAULT,    /* a synchronous guest signal: cpu->fault says which */
	EXIT_SIGNAL,   /* an asynchronous guest signal may be deliverable */
	EXIT_CODE_WRITE, /* a store hit a page holding decoded code: drop its blocks */
	EXIT_KICK,     /* another thread asked for attention (thread->kick, emu/thread.c) */
};

union xmm_reg {
	uint8_t b[16];
	uint16_t w[8];
	uint32_t d[4];
	uint64_t q[2];
	int8_t sb[16];
	int16_t sw[8];
	int32_t sd[4];
	int64_t sq[2];
	float f[4];
	double f64[2];
} __attribute__((aligned(16)));

/* x87: st(i) is phys[(top + i) & 7]; values are host long doubles (the same 80-bit format). */
struct x87_state {
	long double phys[8];
	uint16_t fcw;      /* control word, 0x37f after finit */
	uint16_t fsw;      /* status word without TOP (TOP lives in `top`) */
	uint8_t top;
	uint8_t tag_valid; /* bit per physical register: 1 = holds a value */
	uint16_t fop;
	uint64_t fip, fdp;
	uint16_t fcs, fds;  /* the selectors fnstenv stores with FIP and FDP */
	uint8_t host_stale; /* the host FPU may hold exception flags the guest has not (ops_x87.h) */
};

/* A synchronous guest signal raised by an instruction or a guest memory fault. */
struct cpu_fault {
	int signo;
	int code;      /* si_code: SEGV_MAPERR, FPE_INTDIV, ILL_ILLOPN, ... */
	uint64_t addr; /* si_addr */
};

struct op;
struct thread;

struct cpu {
	uint64_t r[17];          /* rax..r15; r[R_ZERO] is always 0 (absent base or index) */
	uint64_t rip;            /* valid between blocks and at run-loop exits */
	uint64_t segbase[3];     /* [SEG_NONE] = 0, [SEG_FS], [SEG_GS] */

	/* Lazy flags (emu/flags.h): the last flag-setting operation and its operands. */
	uint64_t fl_res, fl_a, fl_b;
	uint32_t fl_kind;
	uint64_t fl_saved;       /* flags eager bits (CF for inc/dec, all when fl_kind is eager) */
	uint64_t rflags;         /* DF and the other non-arithmetic bits */

	union xmm_reg xmm[16];
	uint32_t mxcsr;
	struct x87_state x87;

	/* Run-loop exit channel: one load per block. */
	volatile uint32_t exit_reason;
	const struct op *cur_op;  /* the op touching guest memory now, for precise faults */
	struct cpu_fault fault;

	struct thread *thread;
};

#endif
