/* cmpxchg, cmpxchg8b, cmpxchg16b and xadd, each with its lock form as one host atomic.
 *
 * cmpxchg compares the accumulator with the destination (flags as cmp acc, dest); on a match
 * the source is stored, otherwise the accumulator takes the destination's value. With a
 * register destination the CPU writes only the register that changes (a 32-bit write
 * zero-extends it); a memory destination is written back even on a mismatch, as the CPU does,
 * so a read-only page faults either way.
 */
#include <signal.h>
#include "ops_intx.h"

#define R(i) ((unsigned)(i) * 8)

#define ACC_GET(bits) gpr_get##bits(cpu, R(R_RAX))
#define ACC_SET(bits, v) gpr_set##bits(cpu, R(R_RAX), v)

#define DEF_CMPXCHG(bits)                                                                    \
	static const struct op *op_cmpxchg_r##bits(struct cpu *cpu, const struct op *op)     \
	{                                                                                    \
		uint##bits##_t acc = ACC_GET(bits), x = gpr_get##bits(cpu, op->rd);          \
		uint##bits##_t s = gpr_get##bits(cpu, op->rs);                               \
		flags_lazy(cpu, FLK_SUB, bits, (uint64_t)acc - x, acc, x);                   \
		if (acc == x)                                                                \
			gpr_set##bits(cpu, op->rd, s);                                       \
		else                                                                         \
			ACC_SET(bits, x);                                                    \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_cmpxchg_m##bits(struct cpu *cpu, const struct op *op)     \
	{                                                                                    \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint##bits##_t acc = ACC_GET(bits), x = ld##bits(a);                         \
		flags_lazy(cpu, FLK_SUB, bits, (uint64_t)acc - x, acc, x);                   \
		if (acc == x) {                                                              \
			st##bits(a, gpr_get##bits(cpu, op->rs));                             \
		} else {                                                                     \
			st##bits(a, x);                                                      \
			ACC_SET(bits, x);                                                    \
		}                                                                            \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_cmpxchg_lm##bits(struct cpu *cpu, const struct op *op)    \
	{                                                                                    \
		uint##bits##_t *p = (uint##bits##_t *)op_ea(cpu, op);                        \
		uint##bits##_t acc = ACC_GET(bits), x = acc;                                 \
		bool ok = __atomic_compare_exchange_n(p, &x, gpr_get##bits(cpu, op->rs), false, \
						      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);   \
		flags_lazy(cpu, FLK_SUB, bits, (uint64_t)acc - x, acc, x);                   \
		if (!ok)                                                                     \
			ACC_SET(bits, x);                                                    \
		return OP_NEXT(cpu, op);                                                      \
	}
DEF_CMPXCHG(8)
DEF_CMPXCHG(16)
DEF_CMPXCHG(32)
DEF_CMPXCHG(64)

/* xadd: the destination gets the sum, the source register the old destination. */
#define DEF_XADD(bits)                                                                       \
	static const struct op *op_xadd_r##bits(struct cpu *cpu, const struct op *op)        \
	{                                                                                    \
		uint##bits##_t x = gpr_get##bits(cpu, op->rd), s = gpr_get##bits(cpu, op->rs); \
		uint##bits##_t sum = (uint##bits##_t)(x + s);                                \
		gpr_set##bits(cpu, op->rs, x);                                               \
		gpr_set##bits(cpu, op->rd, sum);                                             \
		flags_lazy(cpu, FLK_ADD, bits, sum, x, s);                                   \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_xadd_m##bits(struct cpu *cpu, const struct op *op)        \
	{                                                                                    \
		uint64_t a = op_ea(cpu, op);                                                 \
		uint##bits##_t x = ld##bits(a), s = gpr_get##bits(cpu, op->rs);              \
		uint##bits##_t sum = (uint##bits##_t)(x + s);                                \
		st##bits(a, sum);                                                            \
		gpr_set##bits(cpu, op->rs, x);                                               \
		flags_lazy(cpu, FLK_ADD, bits, sum, x, s);                                   \
		return OP_NEXT(cpu, op);                                                      \
	}                                                                                    \
	static const struct op *op_xadd_lm##bits(struct cpu *cpu, const struct op *op)       \
	{                                                                                    \
		uint##bits##_t *p = (uint##bits##_t *)op_ea(cpu, op);                        \
		uint##bits##_t s = gpr_get##bits(cpu, op->rs);                               \
		uint##bits##_t x = __atomic_fetch_add(p, s, __ATOMIC_SEQ_CST);               \
		gpr_set##bits(cpu, op->rs, x);                                               \
		flags_lazy(cpu, FLK_ADD, bits, (uint##bits##_t)(x + s), x, s);               \
		return OP_NEXT(cpu, op);                                                      \
	}
DEF_XADD(8)
DEF_XADD(16)
DEF_XADD(32)
DEF_XADD(64)

const op_fn intx_cmpxchg[XL_N][SZ_N] = {
	{ op_cmpxchg_r8, op_cmpxchg_r16, op_cmpxchg_r32, op_cmpxchg_r64 },
	{ op_cmpxchg_m8, op_cmpxchg_m16, op_cmpxchg_m32, op_cmpxchg_m64 },
	{ op_cmpxchg_lm8, op_cmpxchg_lm16, op_cmpxchg_lm32, op_cmpxchg_lm64 },
};
const op_fn intx_xadd[XL_N][SZ_N] = {
	{ op_xadd_r8, op_xadd_r16, op_xadd_r32, op_xadd_r64 },
	{ op_xadd_m8, op_xadd_m16, op_xadd_m32, op_xadd_m64 },
	{ op_xadd_lm8, op_xadd_lm16, op_xadd_lm32, op_xadd_lm64 },
};

/* ---- cmpxchg8b: edx:eax against m64, ecx:ebx stored on a match; only ZF changes ---- */

static inline const struct op *cx8_done(struct cpu *cpu, const struct op *op, bool ok, uint64_t x)
{
	if (!ok) {
		gpr_set32(cpu, R(R_RAX), (uint32_t)x);
		gpr_set32(cpu, R(R_RDX), (uint32_t)(x >> 32));
	}
	intx_flags_update(cpu, FL_ZF, ok ? FL_ZF : 0);
	return OP_NEXT(cpu, op);
}

static const struct op *op_cmpxchg8b(struct cpu *cpu, const struct op *op)
{
	uint64_t a = op_ea(cpu, op), x = ld64(a);
	uint64_t cmp = (uint64_t)gpr_get32(cpu, R(R_RDX)) << 32 | gpr_get32(cpu, R(R_RAX));
	bool ok = x == cmp;
	st64(a, ok ? (uint64_t)gpr_get32(cpu, R(R_RCX)) << 32 | gpr_get32(cpu, R(R_RBX)) : x);
	return cx8_done(cpu, op, ok, x);
}

static const struct op *op_lock_cmpxchg8b(struct cpu *cpu, const struct op *op)
{
	uint64_t *p = (uint64_t *)op_ea(cpu, op);
	uint64_t x = (uint64_t)gpr_get32(cpu, R(R_RDX)) << 32 | gpr_get32(cpu, R(R_RAX));
	uint64_t nv = (uint64_t)gpr_get32(cpu, R(R_RCX)) << 32 | gpr_get32(cpu, R(R_RBX));
	bool ok = __atomic_compare_exchange_n(p, &x, nv, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return cx8_done(cpu, op, ok, x);
}

const op_fn intx_cmpxchg8b[2] = { op_cmpxchg8b, op_lock_cmpxchg8b };

/* ---- cmpxchg16b: rdx:rax against an aligned m128, rcx:rbx stored on a match. The host
 * instruction does it (atomically, lock or not); a misaligned operand is #GP: SIGSEGV,
 * SI_KERNEL, address 0, as Linux reports it. ---- */

static const struct op *op_cmpxchg16b(struct cpu *cpu, const struct op *op)
{
	uint64_t a = op_ea(cpu, op);
	if (unlikely(a & 15))
		return cpu_raise(cpu, op, SIGSEGV, SI_KERNEL, 0, op->pc);
	uint64_t lo = cpu->r[R_RAX], hi = cpu->r[R_RDX];
	bool ok;
	__asm__ volatile("lock cmpxchg16b %1"
			 : "=@ccz"(ok), "+m"(*(unsigned __int128 *)(uintptr_t)a), "+a"(lo), "+d"(hi)
			 : "b"(cpu->r[R_RBX]), "c"(cpu->r[R_RCX])
			 : "memory");
	if (!ok) {
		cpu->r[R_RAX] = lo;
		cpu->r[R_RDX] = hi;
	}
	intx_flags_update(cpu, FL_ZF, ok ? FL_ZF : 0);
	return OP_NEXT(cpu, op);
}

const op_fn intx_cmpxchg16b[2] = { op_cmpxchg16b, op_cmpxchg16b };
