/* Materialising the lazy flags of emu/flags.h.
 *
 * Flags the manual leaves undefined are computed as the AMD EPYC this project is checked on
 * does: shifts with a nonzero count set AF, shl's OF is MSB(result) ^ CF for every count,
 * shr's OF is 0 for counts above 1, logic ops clear AF. The exception is mul/imul (FLK_MUL):
 * that CPU leaves SF, ZF, AF and PF unchanged, which would need the previous flags
 * materialised on every multiply; they are computed from the low half (AF clear) instead. */
#include "flags.h"

static inline uint64_t flags_szp(uint64_t res)
{
	uint64_t f = 0;
	if (res == 0)
		f |= FL_ZF;
	if ((int64_t)res < 0)
		f |= FL_SF;
	if (!__builtin_parity((unsigned)(res & 0xff)))
		f |= FL_PF;
	return f;
}

uint64_t flags_arith(struct cpu *cpu)
{
	unsigned kind = cpu->fl_kind >> 2, n = 8u << (cpu->fl_kind & 3);
	uint64_t r = cpu->fl_res, a = cpu->fl_a, b = cpu->fl_b;
	uint64_t cf, of, af = (a ^ b ^ r) & FL_AF;
	unsigned c = (unsigned)b & 63;

	switch (kind) {
	case FLK_EAGER:
		return cpu->fl_saved & FL_ARITH;
	case FLK_ADD:
		cf = r < a;
		of = ((a ^ r) & (b ^ r)) >> 63;
		break;
	case FLK_ADC:
		cf = (cpu->fl_saved & 1) ? r <= a : r < a;
		of = ((a ^ r) & (b ^ r)) >> 63;
		break;
	case FLK_SUB:
		cf = a < b;
		of = ((a ^ b) & (a ^ r)) >> 63;
		break;
	case FLK_SBB:
		cf = (cpu->fl_saved & 1) ? a <= b : a < b;
		of = ((a ^ b) & (a ^ r)) >> 63;
		break;
	case FLK_INC:
		cf = cpu->fl_saved & 1;
		of = ((a ^ r) & (b ^ r)) >> 63;
		break;
	case FLK_DEC:
		cf = cpu->fl_saved & 1;
		of = ((a ^ b) & (a ^ r)) >> 63;
		break;
	case FLK_SHL:
		cf = flags_shl_cf(a, c, n);
		of = (r >> 63) ^ cf;
		af = FL_AF;
		break;
	case FLK_SHR:
		cf = flags_shr_cf(a, c, n);
		of = c == 1 ? a >> 63 : 0;
		af = FL_AF;
		break;
	case FLK_SAR:
		cf = ((int64_t)a >> (c - 1)) & 1;
		of = 0;
		af = FL_AF;
		break;
	case FLK_MUL:
		cf = of = a != 0;
		af = 0;
		break;
	case FLK_LOGIC:
	default:
		cf = of = af = 0;
		break;
	}
	return flags_szp(r) | af | (cf ? FL_CF : 0) | (of ? FL_OF : 0);
}

uint64_t flags_get(struct cpu *cpu)
{
	return (cpu->rflags & FL_GUEST_SETTABLE & ~(uint64_t)FL_ARITH) | flags_arith(cpu) | FL_FIXED;
}

void flags_set(struct cpu *cpu, uint64_t rflags)
{
	cpu->rflags = rflags & FL_GUEST_SETTABLE & ~(uint64_t)FL_ARITH;
	flags_set_arith(cpu, rflags);
}

void flags_update(struct cpu *cpu, uint64_t mask, uint64_t bits)
{
	uint64_t f = flags_arith(cpu);
	flags_set_arith(cpu, (f & ~mask) | (bits & mask));
}

bool flags_cond_slow(struct cpu *cpu, unsigned cc)
{
	uint64_t f = flags_arith(cpu);
	bool cf = f & FL_CF, zf = f & FL_ZF, sf = f & FL_SF, of = f & FL_OF, pf = f & FL_PF;
	bool v;

	switch (cc >> 1) {
	case 0: v = of; break;
	case 1: v = cf; break;
	case 2: v = zf; break;
	case 3: v = cf || zf; break;
	case 4: v = sf; break;
	case 5: v = pf; break;
	case 6: v = sf != of; break;
	default: v = zf || sf != of; break;
	}
	return v ^ (cc & 1);
}
