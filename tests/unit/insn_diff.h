/* The instruction-level differential test: run one instruction (or a short sequence) natively
 * from a generated code buffer and in the interpreter, on the same input state, and compare
 * registers, the flags the manual defines, MXCSR and the memory the instruction may touch.
 *
 * A form is the instruction's bytes plus what its inputs are (which registers, which memory
 * operand, of what kind), so the case generator can feed edge values to exactly those. The
 * native side and the interpreter share one code slot: guest addresses are host addresses.
 * The slot holds the bytes, `jmp +0` (so the interpreter's block ends at the stop address)
 * and `ret` (back to the native trampoline).
 *
 * Faults: a divide error the CPU would raise is predicted by the form's fix-up (DF_FPE) and
 * only the interpreter runs; an SSE exception a case unmasks is raised natively under a
 * temporary SIGFPE handler, and the interpreter must stop at the same instruction with the
 * same si_code, registers and MXCSR.
 *
 * INSN_DIFF_SCALE=n multiplies the case counts (default 3); INSN_DIFF_LIST=1 prints every
 * form's bytes.
 */
#ifndef SFDEMU_TESTS_INSN_DIFF_H
#define SFDEMU_TESTS_INSN_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include "../../emu/cpu.h"

/* The register state given to and taken from the native code and the interpreter. */
struct dstate {
	uint64_t r[16];          /* r[R_RSP] is ignored: rsp stays the host's / the guest stack */
	uint64_t rflags;
	uint32_t mxcsr, pad;
	union xmm_reg xmm[16];
};

/* What a case compares (set by default from the form, narrowed by its fix-up). */
struct dmask {
	uint32_t flags;          /* RFLAGS bits compared */
	uint64_t gpr[16];        /* bits of each GPR compared */
	bool mem;                /* compare the data buffer */
};

/* Input kinds: how the generator picks an operand's value. */
enum din_kind {
	DI_NONE,
	DI_GPR,    /* reg = index, size bytes, hi = ah/ch/dh/bh */
	DI_MEM,    /* the memory operand at the form's mem_off, size bytes */
	DI_XMM,    /* reg = xmm number; lane type in lane */
	DI_XMEM,   /* 16 (or size) bytes of vector memory at mem_off, lanes of type lane */
};

/* Lane types for vector inputs. */
enum { LN_I8 = 1, LN_I16, LN_I32, LN_I64, LN_F32, LN_F64 };

struct din {
	uint8_t kind, reg, size, hi, lane;
};

/* Data buffer layout: DBUF_SIZE bytes, memory operands normally at DBUF_MID. */
#define DBUF_SIZE 1024
#define DBUF_MID 512

struct dform;
/* Adjust the generated input of case `n` and narrow what is compared. Returns DF_RUN, DF_FPE
 * (the CPU would raise #DE: run only the interpreter and expect SIGFPE FPE_INTDIV) or DF_SKIP. */
enum { DF_RUN, DF_FPE, DF_SKIP };
typedef int (*dfix_fn)(const struct dform *f, struct dstate *s, uint8_t *mem, struct dmask *m,
		       unsigned n);

struct dform {
	char name[56];           /* the form: "add r/m32, r32" */
	char var[64];            /* the encoding variant: registers, immediate */
	uint64_t at;             /* where the code is placed (known at creation) */
	uint8_t code[40];
	unsigned len;
	struct din in[4];
	int mem_base;            /* GPR holding mem_base_val (set by enc_emit), or -1 */
	int mem_index;           /* GPR used as index, holding mem_index_val, or -1 */
	int64_t mem_index_val;   /* chosen before enc_emit */
	uint64_t mem_base_val;   /* dbuf + mem_off - disp - (index << scale) */
	int32_t mem_off;         /* offset of the memory operand in the data buffer */
	uint32_t flags_def;      /* arithmetic flags defined after it */
	bool fp;                 /* randomise MXCSR rounding, FTZ, DAZ and sticky flags */
	bool df;                 /* randomise DF */
	uint32_t show;           /* more GPRs to print with a failing case (bit per register) */
	unsigned ncases;
	dfix_fn fix;
	int64_t arg, arg2;       /* for fix */
};

/* Encoder for ModRM forms. */
enum { BR_RM = 1, BR_REG = 2, BR_BOTH = 3 };
enum { EA_REG, EA_MEM, EA_RIP };
struct ea {
	int kind;
	int reg;                 /* EA_REG: register number (byte regs: 16..19 = ah, ch, dh, bh) */
	int base, index, scale;  /* EA_MEM: base -1 = none (disp32 only), index -1 = none */
	int32_t disp;
	int dispsize;            /* EA_MEM: 0, 1 or 4 (0 = as small as allowed) */
};
struct enc {
	const char *pfx;         /* legacy prefixes as bytes, NUL-terminated ("\x66", "\xf3") */
	int w;                   /* REX.W */
	int byteregs;            /* which operands are 8-bit registers (BR_*): 4..7 need a REX,
				    16..19 (ah..bh) forbid one */
	const char *op;          /* opcode bytes */
	int oplen;
	int reg;                 /* ModRM.reg: a register, or DIGIT(n) for /n */
	struct ea rm;
	bool nomodrm;            /* no ModRM byte (string ops, cbw, a8 test al, imm) */
	bool has_opreg;          /* register in the opcode's low 3 bits (b8+r, 90+r, c8+r) */
	int opreg;
	int immsize;
	int64_t imm;
};

#define DIGIT(n) (32 + (n))

/* Append the encoding of one instruction to f->code; an EA_RIP operand addresses the form's
 * memory operand. Returns the instruction's offset in f->code. */
unsigned enc_emit(struct dform *f, const struct enc *e);
/* Append raw bytes. */
void dform_bytes(struct dform *f, const void *bytes, unsigned n);

/* Operand choice for forms. Registers rotate so that forms use all of them; `used` is a bit
 * set of GPRs taken (rsp always is). Byte registers: hi picks one of ah..bh (16..19), legacy
 * keeps to registers encodable without a REX (0..7; for bytes 0..3 and 16..19). */
int dpick(uint32_t *used, int size, bool hi, bool legacy);
struct ea dea_reg(int r);
/* A memory operand for f in addressing mode `mode` (0 [base], 1 [base+disp8], 2 [base+index*
 * scale+disp32], 3 [rip+disp32], 4 [base+index*scale]); desc gets its text. */
struct ea dea_mem(struct dform *f, uint32_t *used, unsigned mode, bool legacy, char *desc,
		  size_t desclen);
const char *dreg_name(int r, int size);
const char *dsz_pfx(int size);   /* "\x66" for 16-bit operands, "" otherwise */

/* The usual ModRM shape: operand-size prefix and REX.W from size, opcode bytes as a C string
 * (the empty string is the one-byte opcode 00). */
struct enc denc_rm(int size, const char *op, int reg, struct ea rm);
/* A register-only form, dst in r/m and src in ModRM.reg (or /digit when src < 0); both are
 * inputs. */
struct dform *dform_rr(const char *name, int size, const char *op, int digit, int d, int s);
/* A form with a memory r/m operand (addressing mode `mode`, registers outside `used`), pfx
 * before the size prefix; reg >= 0 is a register operand, else digit fills ModRM.reg. The
 * memory operand (size bytes) and reg are inputs. */
struct dform *dform_m(const char *name, int size, const char *pfx, const char *op, int digit,
		      int reg, unsigned mode, uint32_t used, int immsize, int64_t imm);

/* Forms of a suite are collected, placed into executable memory, then run. */
struct dform *dform_new(const char *name, const char *var);
void dform_in(struct dform *f, int kind, int reg, int size, int lane);
/* Run every form collected since the last call, with CUnit assertions; returns failures. */
unsigned dform_run_all(const char *group);

/* Value of input k (f->in[k]) in a generated state, and set it (truncated to its size). */
uint64_t din_get(const struct dform *f, const struct dstate *s, const uint8_t *mem, unsigned k);
void din_set(const struct dform *f, struct dstate *s, uint8_t *mem, unsigned k, uint64_t v);

/* Seeded xorshift. */
uint64_t drand(void);
/* An edge or random value of `bits` width (sign bits, min, max, powers of two, ...). */
uint64_t dval(unsigned bits);
uint64_t dedge(unsigned bits, unsigned i, unsigned *count);
float dval_f32(void);
double dval_f64(void);

/* The data buffer of the case being generated (for fix-ups that place pointers). */
uint8_t *dbuf(void);

/* The summary line over every form run so far: `insn-diff: N forms (M encodings), K cases
 * checked against the CPU`. diff_suite_cleanup prints it as a CUnit suite cleanup, so the
 * last insn suite prints the total. */
void diff_summary(void);
int diff_suite_cleanup(void);

#endif
