/* x87 control: the status and control words, the environment and full-state images (fnstenv
 * fldenv fnsave frstor, fxsave fxrstor), fninit fnclex fwait, and the SIGFPE that a pending
 * unmasked exception raises at the next waiting instruction.
 *
 * Images are in the layouts the CPU uses in 64-bit mode: the 28-byte (and, with a 66 prefix,
 * 14-byte) environment with 32-bit (16-bit) offsets, the 108-byte (94-byte) fnsave area, and
 * the 512-byte fxsave area.
 */
#include <signal.h>
#include "ops_x87.h"
#include "sse.h"

static inline void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

void x87_reset(struct cpu *cpu)
{
	memset(&cpu->x87, 0, sizeof cpu->x87);
	cpu->x87.fcw = FCW_DEFAULT;
	cpu->x87.host_stale = 1;
}

/* fninit: the registers keep their contents (fxsave still shows them), all are empty. */
static void x87_init(struct cpu *cpu)
{
	cpu->x87.fcw = FCW_DEFAULT;
	cpu->x87.fsw = 0;
	cpu->x87.top = 0;
	cpu->x87.tag_valid = 0;
	cpu->x87.fop = 0;
	cpu->x87.fip = 0;
	cpu->x87.fdp = 0;
	cpu->x87.fcs = 0;
	cpu->x87.fds = 0;
	cpu->x87.host_stale = 1;
}

const struct op *x87_fpe(struct cpu *cpu, const struct op *op)
{
	uint16_t err = cpu->x87.fsw & ~cpu->x87.fcw & FSW_EXC;
	int code = err & FSW_IE ? FPE_FLTINV : err & FSW_ZE ? FPE_FLTDIV :
		   err & FSW_OE ? FPE_FLTOVF : err & (FSW_DE | FSW_UE) ? FPE_FLTUND : FPE_FLTRES;
	return cpu_raise(cpu, op, SIGFPE, code, op->pc, op->pc);
}

/* ---- tag words ---- */

static unsigned tag_of(long double v)
{
	union x87_bits u = { .v = v };
	unsigned exp = u.b.se & 0x7fff;
	if (exp == 0x7fff)
		return 2;
	if (exp == 0)
		return u.b.mant ? 2 : 1;
	return u.b.mant >> 63 ? 0 : 2;   /* an unnormal is special */
}

uint16_t x87_ftw_full(const struct cpu *cpu)
{
	uint16_t ftw = 0;
	for (unsigned i = 0; i < 8; i++) {
		unsigned t = cpu->x87.tag_valid >> i & 1 ? tag_of(cpu->x87.phys[i]) : 3;
		ftw |= (uint16_t)(t << (2 * i));
	}
	return ftw;
}

uint8_t x87_ftw_abridge(uint16_t ftw)
{
	uint8_t valid = 0;
	for (unsigned i = 0; i < 8; i++)
		if ((ftw >> (2 * i) & 3) != 3)
			valid |= (uint8_t)(1u << i);
	return valid;
}

/* ---- status and control words ---- */

X87_OP(op_fnstsw_ax)
{
	gpr_set16(cpu, R_RAX * 8, x87_fsw(cpu));
	return OP_NEXT(cpu, op);
}

X87_OP(op_fnstsw_m16)
{
	st16(op_ea(cpu, op), x87_fsw(cpu));
	return OP_NEXT(cpu, op);
}

X87_OP(op_fnstcw)
{
	st16(op_ea(cpu, op), cpu->x87.fcw);
	return OP_NEXT(cpu, op);
}

/* fldcw: unmasking a flag already set makes the next waiting instruction raise SIGFPE. */
X87_OP(op_fldcw)
{
	X87_WAIT(cpu, op);
	cpu->x87.fcw = x87_fcw_norm(ld16(op_ea(cpu, op)));
	x87_update_es(cpu);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fnclex)
{
	cpu->x87.fsw &= (uint16_t)~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
	cpu->x87.host_stale = 1;
	return OP_NEXT(cpu, op);
}

X87_OP(op_fninit)
{
	x87_init(cpu);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fwait)
{
	X87_WAIT(cpu, op);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fnop_control)
{
	return OP_NEXT(cpu, op);
}

/* ---- fnstenv, fldenv, fnsave, frstor ---- */

/* The environment image: 28 bytes (32-bit format) or 14 (16-bit, small). Returns its size. */
static unsigned env_store(struct cpu *cpu, uint8_t *p, bool small)
{
	uint16_t w[7] = { cpu->x87.fcw, x87_fsw(cpu), x87_ftw_full(cpu), 0, cpu->x87.fcs, 0,
			  cpu->x87.fds };
	if (small) {
		w[3] = (uint16_t)cpu->x87.fip;
		w[5] = (uint16_t)cpu->x87.fdp;
		memcpy(p, w, 14);
		return 14;
	}
	for (unsigned i = 0; i < 3; i++)
		put32(p + 4 * i, 0xffff0000u | w[i]);
	put32(p + 12, (uint32_t)cpu->x87.fip);
	put32(p + 16, cpu->x87.fcs | (uint32_t)(cpu->x87.fop & 0x7ff) << 16);
	put32(p + 20, (uint32_t)cpu->x87.fdp);
	put32(p + 24, 0xffff0000u | cpu->x87.fds);
	return 28;
}

static unsigned env_load(struct cpu *cpu, const uint8_t *p, bool small)
{
	uint16_t sw = get16(p + (small ? 2 : 4));
	cpu->x87.fcw = x87_fcw_norm(get16(p));
	cpu->x87.fsw = sw & (uint16_t)~FSW_TOP;
	cpu->x87.top = sw >> 11 & 7;
	cpu->x87.tag_valid = x87_ftw_abridge(get16(p + (small ? 4 : 8)));
	if (small) {
		cpu->x87.fip = get16(p + 6);
		cpu->x87.fcs = get16(p + 8);
		cpu->x87.fop = 0;
		cpu->x87.fdp = get16(p + 10);
		cpu->x87.fds = get16(p + 12);
	} else {
		cpu->x87.fip = get32(p + 12);
		cpu->x87.fcs = get16(p + 16);
		cpu->x87.fop = get16(p + 18) & 0x7ff;
		cpu->x87.fdp = get32(p + 20);
		cpu->x87.fds = get16(p + 24);
	}
	x87_update_es(cpu);
	cpu->x87.host_stale = 1;
	return small ? 14 : 28;
}

/* fnstenv also masks every exception, as the CPU does. */
X87_OP(op_fnstenv)
{
	uint8_t img[28];
	unsigned n = env_store(cpu, img, op->aux);
	memcpy((void *)(uintptr_t)op_ea(cpu, op), img, n);
	cpu->x87.fcw |= FSW_EXC;
	x87_update_es(cpu);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fldenv)
{
	X87_WAIT(cpu, op);
	uint8_t img[28];
	memcpy(img, (const void *)(uintptr_t)op_ea(cpu, op), op->aux ? 14 : 28);
	env_load(cpu, img, op->aux);
	return OP_NEXT(cpu, op);
}

/* fnsave: the environment, st(0)..st(7) as 10-byte values, then fninit. */
X87_OP(op_fnsave)
{
	uint8_t img[108];
	unsigned n = env_store(cpu, img, op->aux);
	for (unsigned i = 0; i < 8; i++)
		memcpy(img + n + 10 * i, x87_st(cpu, i), 10);
	memcpy((void *)(uintptr_t)op_ea(cpu, op), img, n + 80);
	x87_init(cpu);
	return OP_NEXT(cpu, op);
}

X87_OP(op_frstor)
{
	X87_WAIT(cpu, op);
	uint8_t img[108];
	unsigned size = op->aux ? 94 : 108;
	memcpy(img, (const void *)(uintptr_t)op_ea(cpu, op), size);
	unsigned n = env_load(cpu, img, op->aux);
	for (unsigned i = 0; i < 8; i++)
		*x87_st(cpu, i) = x87_ld80((uint64_t)(uintptr_t)(img + n + 10 * i));
	return OP_NEXT(cpu, op);
}

/* ---- fxsave, fxrstor ---- */

void x87_fxsave(struct cpu *cpu, void *image, bool rex_w)
{
	uint8_t *p = image;
	put16(p, cpu->x87.fcw);
	put16(p + 2, x87_fsw(cpu));
	p[4] = cpu->x87.tag_valid;
	p[5] = 0;
	put16(p + 6, cpu->x87.fop & 0x7ff);
	if (rex_w) {
		put64(p + 8, cpu->x87.fip);
		put64(p + 16, cpu->x87.fdp);
	} else {
		put32(p + 8, (uint32_t)cpu->x87.fip);
		put32(p + 12, cpu->x87.fcs);
		put32(p + 16, (uint32_t)cpu->x87.fdp);
		put32(p + 20, cpu->x87.fds);
	}
	put32(p + 24, sse_get_mxcsr(cpu));
	put32(p + 28, sse_mxcsr_mask());
	for (unsigned i = 0; i < 8; i++) {
		memcpy(p + 32 + 16 * i, x87_st(cpu, i), 10);
		memset(p + 42 + 16 * i, 0, 6);
	}
	memcpy(p + 160, cpu->xmm, sizeof cpu->xmm);
}

bool x87_fxrstor(struct cpu *cpu, const void *image, bool rex_w)
{
	const uint8_t *p = image;
	uint32_t mxcsr = get32(p + 24);
	if (!sse_mxcsr_valid(mxcsr))
		return false;
	uint16_t sw = get16(p + 2);
	cpu->x87.fcw = x87_fcw_norm(get16(p));
	cpu->x87.fsw = sw & (uint16_t)~FSW_TOP;
	cpu->x87.top = sw >> 11 & 7;
	cpu->x87.tag_valid = p[4];
	cpu->x87.fop = get16(p + 6) & 0x7ff;
	cpu->x87.fip = rex_w ? get64(p + 8) : get32(p + 8);
	cpu->x87.fdp = rex_w ? get64(p + 16) : get32(p + 16);
	cpu->x87.fcs = rex_w ? 0 : get16(p + 12);
	cpu->x87.fds = rex_w ? 0 : get16(p + 20);
	for (unsigned i = 0; i < 8; i++)
		*x87_st(cpu, i) = x87_ld80((uint64_t)(uintptr_t)(p + 32 + 16 * i));
	memcpy(cpu->xmm, p + 160, sizeof cpu->xmm);
	sse_set_mxcsr(cpu, mxcsr);
	x87_update_es(cpu);
	cpu->x87.host_stale = 1;
	return true;
}

/* Both need a 16-byte aligned operand: #GP (SIGSEGV, SI_KERNEL, address 0) otherwise. */
X87_OP(op_fxsave)
{
	uint64_t ea = op_ea(cpu, op);
	if (ea & 15)
		return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
	x87_fxsave(cpu, (void *)(uintptr_t)ea, op->aux);
	return OP_NEXT(cpu, op);
}

X87_OP(op_fxrstor)
{
	uint64_t ea = op_ea(cpu, op);
	if (ea & 15)
		return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
	uint8_t img[416] __attribute__((aligned(16)));
	memcpy(img, (const void *)(uintptr_t)ea, sizeof img);
	if (!x87_fxrstor(cpu, img, op->aux))
		return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
	return op + 1;   /* img is in memory: no tail call (emu/chain.h) */
}
