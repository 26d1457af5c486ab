/* String instructions: movs, stos, lods, cmps, scas at every width, with rep, repe, repne.
 *
 * The source is segment base (op->seg) + rsi, the destination rdi; DF picks the direction.
 * A rep op keeps rsi, rdi and rcx current in cpu->r as it goes, so a fault part-way leaves
 * the guest where the CPU would (at the element that faulted) and the instruction restarts
 * from there. The same holds when a pending signal (cpu->exit_reason) cuts a long rep short:
 * the op leaves the block at its own pc and runs again afterwards.
 *
 * rep movs and rep stos with DF = 0 go a page-bounded chunk at a time: the chunk's first
 * element is copied on its own (its source and destination pages fault there if they fault
 * at all), then the rest of the chunk in bulk, keeping the forward element-by-element result
 * when the destination overlaps the source ahead of it.
 */
#include <string.h>
#include "ops_intx.h"

#define AI static inline __attribute__((always_inline)) const struct op *
#define PAGE 4096ull
#define R(i) ((unsigned)(i) * 8)

static inline uint64_t ld_n(uint64_t a, unsigned s)
{
	switch (s) {
	case 1: return ld8(a);
	case 2: return ld16(a);
	case 4: return ld32(a);
	default: return ld64(a);
	}
}

static inline void st_n(uint64_t a, uint64_t v, unsigned s)
{
	switch (s) {
	case 1: st8(a, (uint8_t)v); break;
	case 2: st16(a, (uint16_t)v); break;
	case 4: st32(a, (uint32_t)v); break;
	default: st64(a, v); break;
	}
}

static inline uint64_t rax_n(struct cpu *cpu, unsigned s)
{
	return s == 8 ? cpu->r[R_RAX] : cpu->r[R_RAX] & ((1ull << (s * 8)) - 1);
}

static inline void set_rax_n(struct cpu *cpu, uint64_t v, unsigned s)
{
	switch (s) {
	case 1: gpr_set8(cpu, R(R_RAX), (uint8_t)v); break;
	case 2: gpr_set16(cpu, R(R_RAX), (uint16_t)v); break;
	case 4: gpr_set32(cpu, R(R_RAX), (uint32_t)v); break;
	default: cpu->r[R_RAX] = v; break;
	}
}

static inline int64_t step(struct cpu *cpu, unsigned s)
{
	return (cpu->rflags & FL_DF) ? -(int64_t)s : (int64_t)s;
}

static inline uint64_t src_addr(struct cpu *cpu, const struct op *op)
{
	return cpu->segbase[op->seg] + cpu->r[R_RSI];
}

static inline void cmp_flags(struct cpu *cpu, uint64_t a, uint64_t b, unsigned s)
{
	flags_lazy(cpu, FLK_SUB, s * 8, a - b, a, b);
}

/* Elements (at least 1 when an element straddles a page end) from dst and src up to the end
 * of the page each is in, at most rcx. */
static inline uint64_t chunk_elems(uint64_t dst, uint64_t src, uint64_t rcx, unsigned s)
{
	uint64_t room = PAGE - (dst & (PAGE - 1)), sroom = PAGE - (src & (PAGE - 1));
	uint64_t n = (room < sroom ? room : sroom) / s;
	if (n > rcx)
		n = rcx;
	return n ? n : 1;
}

/* nbytes of s-byte elements copied forward one element at a time, in bulk. */
static void copy_fwd(uint64_t dst, uint64_t src, uint64_t nbytes, unsigned s)
{
	uint64_t d = dst - src;
	void *p = (void *)(uintptr_t)dst;
	const void *q = (const void *)(uintptr_t)src;
	if (dst <= src || d >= nbytes) {
		memmove(p, q, nbytes);
	} else if (d < s) {    /* each element overlaps the next one's source */
		for (uint64_t k = 0; k < nbytes; k += s)
			memmove((char *)p + k, (const char *)q + k, s);
	} else if (d == 1) {   /* s == 1: every byte becomes the first source byte */
		memset(p, *(const uint8_t *)q, nbytes);
	} else {               /* blocks of up to d bytes read only bytes already final */
		uint64_t b = d & ~(uint64_t)(s - 1);
		for (uint64_t k = 0; k < nbytes; k += b)
			memcpy((char *)p + k, (const char *)q + k, nbytes - k < b ? nbytes - k : b);
	}
}

/* count s-byte copies of v at dst. */
static void fill(uint64_t dst, uint64_t v, uint64_t count, unsigned s)
{
	uint64_t bytes = v & 0xff;
	bytes *= 0x0101010101010101ull;
	if (s == 8 ? v == bytes : v == (bytes & ((1ull << (s * 8)) - 1))) {
		memset((void *)(uintptr_t)dst, (int)(v & 0xff), count * s);
		return;
	}
	for (uint64_t i = 0; i < count; i++)
		st_n(dst + i * s, v, s);
}

/* ---- single-element forms (the rep forms loop over them) ---- */

static inline __attribute__((always_inline)) void str_movs(struct cpu *cpu, const struct op *op,
							   unsigned s)
{
	cpu->cur_op = op;
	st_n(cpu->r[R_RDI], ld_n(src_addr(cpu, op), s), s);
	int64_t d = step(cpu, s);
	cpu->r[R_RSI] += (uint64_t)d;
	cpu->r[R_RDI] += (uint64_t)d;
}

static inline __attribute__((always_inline)) void str_stos(struct cpu *cpu, const struct op *op,
							   unsigned s)
{
	cpu->cur_op = op;
	st_n(cpu->r[R_RDI], rax_n(cpu, s), s);
	cpu->r[R_RDI] += (uint64_t)step(cpu, s);
}

static inline __attribute__((always_inline)) void str_lods(struct cpu *cpu, const struct op *op,
							   unsigned s)
{
	cpu->cur_op = op;
	set_rax_n(cpu, ld_n(src_addr(cpu, op), s), s);
	cpu->r[R_RSI] += (uint64_t)step(cpu, s);
}

static inline __attribute__((always_inline)) void str_cmps(struct cpu *cpu, const struct op *op,
							   unsigned s)
{
	cpu->cur_op = op;
	uint64_t a = ld_n(src_addr(cpu, op), s), b = ld_n(cpu->r[R_RDI], s);
	cmp_flags(cpu, a, b, s);
	int64_t d = step(cpu, s);
	cpu->r[R_RSI] += (uint64_t)d;
	cpu->r[R_RDI] += (uint64_t)d;
}

static inline __attribute__((always_inline)) void str_scas(struct cpu *cpu, const struct op *op,
							   unsigned s)
{
	cpu->cur_op = op;
	cmp_flags(cpu, rax_n(cpu, s), ld_n(cpu->r[R_RDI], s), s);
	cpu->r[R_RDI] += (uint64_t)step(cpu, s);
}

/* ---- rep forms ---- */

/* Whether a long rep should stop here for a pending signal (it restarts at op->pc). */
static inline bool rep_interrupted(struct cpu *cpu)
{
	return unlikely(cpu->exit_reason != EXIT_NONE) && cpu->r[R_RCX] != 0;
}

AI str_rep_movs(struct cpu *cpu, const struct op *op, unsigned s)
{
	cpu->cur_op = op;
	if (unlikely(cpu->rflags & FL_DF)) {
		while (cpu->r[R_RCX]) {
			str_movs(cpu, op, s);
			cpu->r[R_RCX]--;
			if ((cpu->r[R_RCX] & 0xfff) == 0 && rep_interrupted(cpu))
				return op_exit_to(cpu, op->pc);
		}
		return OP_NEXT(cpu, op);
	}
	uint64_t base = cpu->segbase[op->seg];
	while (cpu->r[R_RCX]) {
		uint64_t src = base + cpu->r[R_RSI], dst = cpu->r[R_RDI];
		uint64_t n = chunk_elems(dst, src, cpu->r[R_RCX], s);
		st_n(dst, ld_n(src, s), s);
		if (n > 1)
			copy_fwd(dst + s, src + s, (n - 1) * s, s);
		cpu->r[R_RSI] += n * s;
		cpu->r[R_RDI] += n * s;
		cpu->r[R_RCX] -= n;
		if (rep_interrupted(cpu))
			return op_exit_to(cpu, op->pc);
	}
	return OP_NEXT(cpu, op);
}

AI str_rep_stos(struct cpu *cpu, const struct op *op, unsigned s)
{
	cpu->cur_op = op;
	uint64_t v = rax_n(cpu, s);
	if (unlikely(cpu->rflags & FL_DF)) {
		while (cpu->r[R_RCX]) {
			st_n(cpu->r[R_RDI], v, s);
			cpu->r[R_RDI] -= s;
			cpu->r[R_RCX]--;
			if ((cpu->r[R_RCX] & 0xfff) == 0 && rep_interrupted(cpu))
				return op_exit_to(cpu, op->pc);
		}
		return OP_NEXT(cpu, op);
	}
	while (cpu->r[R_RCX]) {
		uint64_t dst = cpu->r[R_RDI];
		uint64_t n = chunk_elems(dst, dst, cpu->r[R_RCX], s);
		st_n(dst, v, s);
		if (n > 1)
			fill(dst + s, v, n - 1, s);
		cpu->r[R_RDI] += n * s;
		cpu->r[R_RCX] -= n;
		if (rep_interrupted(cpu))
			return op_exit_to(cpu, op->pc);
	}
	return OP_NEXT(cpu, op);
}

AI str_rep_lods(struct cpu *cpu, const struct op *op, unsigned s)
{
	while (cpu->r[R_RCX]) {
		str_lods(cpu, op, s);
		cpu->r[R_RCX]--;
		if ((cpu->r[R_RCX] & 0xfff) == 0 && rep_interrupted(cpu))
			return op_exit_to(cpu, op->pc);
	}
	return OP_NEXT(cpu, op);
}

/* repne scasb with DF = 0 (the strlen/memchr idiom): memchr a page at a time. */
static const struct op *repne_scasb_fwd(struct cpu *cpu, const struct op *op)
{
	uint8_t al = (uint8_t)cpu->r[R_RAX];
	while (cpu->r[R_RCX]) {
		uint64_t dst = cpu->r[R_RDI];
		uint64_t n = chunk_elems(dst, dst, cpu->r[R_RCX], 1);
		uint8_t first = ld8(dst);   /* faults here, at rdi, if the page does */
		const uint8_t *hit = first == al ? (const uint8_t *)(uintptr_t)dst
			: memchr((const void *)(uintptr_t)dst, al, n);
		if (hit) {
			uint64_t k = (uint64_t)(uintptr_t)hit - dst + 1;
			cpu->r[R_RDI] += k;
			cpu->r[R_RCX] -= k;
			cmp_flags(cpu, al, al, 1);
			return OP_NEXT(cpu, op);
		}
		cmp_flags(cpu, al, ld8(dst + n - 1), 1);
		cpu->r[R_RDI] += n;
		cpu->r[R_RCX] -= n;
		if (rep_interrupted(cpu))
			return op_exit_to(cpu, op->pc);
	}
	return OP_NEXT(cpu, op);
}

/* repe/repne cmps and scas: stop when rcx reaches 0 or ZF says so (repe: ZF = 0). */
AI str_rep_cmp(struct cpu *cpu, const struct op *op, unsigned s, bool cmps, bool repe)
{
	if (!cmps && !repe && s == 1 && !(cpu->rflags & FL_DF))
		return repne_scasb_fwd(cpu, op);
	cpu->cur_op = op;
	int64_t d = step(cpu, s);
	while (cpu->r[R_RCX]) {
		uint64_t a = cmps ? ld_n(src_addr(cpu, op), s) : rax_n(cpu, s);
		uint64_t b = ld_n(cpu->r[R_RDI], s);
		cmp_flags(cpu, a, b, s);
		if (cmps)
			cpu->r[R_RSI] += (uint64_t)d;
		cpu->r[R_RDI] += (uint64_t)d;
		cpu->r[R_RCX]--;
		if (repe ? a != b : a == b)
			break;
		if ((cpu->r[R_RCX] & 0xfff) == 0 && rep_interrupted(cpu))
			return op_exit_to(cpu, op->pc);
	}
	return OP_NEXT(cpu, op);
}

#define DEF_STR(bits, s)                                                                      \
	static const struct op *op_movs##bits(struct cpu *c, const struct op *o)              \
	{ str_movs(c, o, s); return OP_NEXT(c, o); }                                        \
	static const struct op *op_stos##bits(struct cpu *c, const struct op *o)              \
	{ str_stos(c, o, s); return OP_NEXT(c, o); }                                        \
	static const struct op *op_lods##bits(struct cpu *c, const struct op *o)              \
	{ str_lods(c, o, s); return OP_NEXT(c, o); }                                        \
	static const struct op *op_cmps##bits(struct cpu *c, const struct op *o)              \
	{ str_cmps(c, o, s); return OP_NEXT(c, o); }                                        \
	static const struct op *op_scas##bits(struct cpu *c, const struct op *o)              \
	{ str_scas(c, o, s); return OP_NEXT(c, o); }                                        \
	static const struct op *op_rep_movs##bits(struct cpu *c, const struct op *o)          \
	{ return str_rep_movs(c, o, s); }                                                     \
	static const struct op *op_rep_stos##bits(struct cpu *c, const struct op *o)          \
	{ return str_rep_stos(c, o, s); }                                                     \
	static const struct op *op_rep_lods##bits(struct cpu *c, const struct op *o)          \
	{ return str_rep_lods(c, o, s); }                                                     \
	static const struct op *op_repe_cmps##bits(struct cpu *c, const struct op *o)         \
	{ return str_rep_cmp(c, o, s, true, true); }                                          \
	static const struct op *op_repne_cmps##bits(struct cpu *c, const struct op *o)        \
	{ return str_rep_cmp(c, o, s, true, false); }                                         \
	static const struct op *op_repe_scas##bits(struct cpu *c, const struct op *o)         \
	{ return str_rep_cmp(c, o, s, false, true); }                                         \
	static const struct op *op_repne_scas##bits(struct cpu *c, const struct op *o)        \
	{ return str_rep_cmp(c, o, s, false, false); }
DEF_STR(8, 1)
DEF_STR(16, 2)
DEF_STR(32, 4)
DEF_STR(64, 8)

#define STR4(prefix, name) { op_##prefix##name##8, op_##prefix##name##16, op_##prefix##name##32, \
			     op_##prefix##name##64 }
/* f2 and f3 both repeat movs, stos and lods. */
const op_fn intx_string[STR_N][REP_N][SZ_N] = {
	[STR_MOVS] = { STR4(, movs), STR4(rep_, movs), STR4(rep_, movs) },
	[STR_STOS] = { STR4(, stos), STR4(rep_, stos), STR4(rep_, stos) },
	[STR_LODS] = { STR4(, lods), STR4(rep_, lods), STR4(rep_, lods) },
	[STR_CMPS] = { STR4(, cmps), STR4(repe_, cmps), STR4(repne_, cmps) },
	[STR_SCAS] = { STR4(, scas), STR4(repe_, scas), STR4(repne_, scas) },
};
