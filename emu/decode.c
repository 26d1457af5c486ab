/* The decoder: guest code bytes -> a block of ops.
 *
 * Capstone decodes each instruction once; its operands are turned into `struct dinsn` and the
 * family lowerers (decode_int.c, decode_intx.c, decode_sse.c, decode_x87.c) pick the handler.
 * A block ends after a control transfer, a syscall, an instruction nobody lowers, at the end
 * of the page it started in, or after BLOCK_MAX_OPS instructions. Code is read only where the
 * guest memory map says it is executable; everything else becomes an op that raises the guest
 * signal when (and only if) it runs.
 *
 * Each host thread has its own Capstone handle (Capstone handles are not thread-safe).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "decode_internal.h"
#include "ops_int.h"
#include "block.h"
#include "chain.h"
#include "host_alloc.h"
#include "thunk.h"
#include "process.h"

#define BLOCK_MAX_OPS 64
#define PAGE_SIZE 4096ull
#define MAX_INSN_LEN 15

struct decoder {
	csh handle;
	cs_insn *insn;
	struct op scratch[BLOCK_MAX_OPS + 2];   /* a thunk op, the ops, the terminator */
};
static _Thread_local struct decoder dec;

/* Capstone's memory is sfdemu's own: it survives a guest that used up its address space. */
static void dec_set_memory(void)
{
	static const cs_opt_mem mem = { .malloc = ha_malloc, .calloc = ha_calloc,
					.realloc = ha_realloc, .free = free, .vsnprintf = vsnprintf };
	cs_option(0, CS_OPT_MEM, (size_t)&mem);
}

static struct decoder *dec_get(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (!dec.insn) {
		pthread_once(&once, dec_set_memory);
		if (cs_open(CS_ARCH_X86, CS_MODE_64, &dec.handle) != CS_ERR_OK) {
			fprintf(stderr, "sfdemu: cannot start the Capstone decoder\n");
			abort();
		}
		cs_option(dec.handle, CS_OPT_DETAIL, CS_OPT_ON);
		dec.insn = cs_malloc(dec.handle);
	}
	return &dec;
}

/* ---- operand extraction ---- */

/* A Capstone GPR: its index 0..15, width, and byte offset into cpu->r. */
static bool gpr_of(x86_reg r, unsigned *index, unsigned *size, unsigned *offset)
{
	static const x86_reg regs[4][16] = {
		{ X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
		  X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
		  X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15 },
		{ X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX, X86_REG_ESP, X86_REG_EBP,
		  X86_REG_ESI, X86_REG_EDI, X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
		  X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D },
		{ X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP, X86_REG_BP,
		  X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W, X86_REG_R10W, X86_REG_R11W,
		  X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W },
		{ X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL, X86_REG_SPL, X86_REG_BPL,
		  X86_REG_SIL, X86_REG_DIL, X86_REG_R8B, X86_REG_R9B, X86_REG_R10B, X86_REG_R11B,
		  X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B },
	};
	static const unsigned sizes[4] = { 8, 4, 2, 1 };
	for (unsigned w = 0; w < 4; w++)
		for (unsigned i = 0; i < 16; i++)
			if (regs[w][i] == r) {
				*index = i;
				*size = sizes[w];
				*offset = i * 8;
				return true;
			}
	static const x86_reg high[4] = { X86_REG_AH, X86_REG_CH, X86_REG_DH, X86_REG_BH };
	for (unsigned i = 0; i < 4; i++)
		if (high[i] == r) {
			*index = i;
			*size = 1;
			*offset = i * 8 + 1;
			return true;
		}
	return false;
}

static void reg_operand(x86_reg r, struct dopnd *o)
{
	unsigned index, size, offset;
	o->capreg = r;
	if (gpr_of(r, &index, &size, &offset)) {
		o->kind = DO_GPR;
		o->gpr = index;
		o->reg = offset;
	} else if (r >= X86_REG_XMM0 && r <= X86_REG_XMM15) {
		o->kind = DO_XMM;
		o->reg = r - X86_REG_XMM0;
	} else if (r >= X86_REG_ST0 && r <= X86_REG_ST7) {
		o->kind = DO_ST;
		o->reg = r - X86_REG_ST0;
	} else {
		o->kind = DO_OTHER;
	}
}

/* Fill op's memory fields from a Capstone memory operand. False for forms we do not run:
 * 32-bit addressing (but for lea, which accesses nothing: its 64-bit sum truncated to 32 bits
 * is the 32-bit address, and the lea handlers truncate), an index we cannot name. */
static bool mem_operand(const cs_x86 *x86, const x86_op_mem *m, uint64_t next_pc, struct op *op,
			bool lea)
{
	unsigned index, size, offset;
	unsigned asize = lea && x86->addr_size == 4 ? 4 : 8;
	if (x86->addr_size != asize)
		return false;
	op->disp = m->disp;
	op->base = R_ZERO;
	op->index = R_ZERO;
	op->scale = 0;
	if (m->base == X86_REG_RIP || m->base == X86_REG_EIP) {
		op->disp += (int64_t)next_pc;
	} else if (m->base != X86_REG_INVALID) {
		if (!gpr_of(m->base, &index, &size, &offset) || size != asize)
			return false;
		op->base = index;
	}
	if (m->index != X86_REG_INVALID && m->index != X86_REG_RIZ && m->index != X86_REG_EIZ) {
		if (!gpr_of(m->index, &index, &size, &offset) || size != asize)
			return false;
		op->index = index;
		op->scale = m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0;
	}
	op->seg = m->segment == X86_REG_FS ? SEG_FS : m->segment == X86_REG_GS ? SEG_GS : SEG_NONE;
	return true;
}

static bool extract(const cs_insn *insn, struct dinsn *d, struct op *op)
{
	const cs_x86 *x86 = &insn->detail->x86;
	*d = (struct dinsn){
		.insn = insn, .x86 = x86, .id = insn->id, .pc = insn->address, .len = insn->size,
		.nops = x86->op_count > 4 ? 4 : x86->op_count, .mem = -1,
		.lock = x86->prefix[0] == X86_PREFIX_LOCK, .rep = x86->prefix[0] == X86_PREFIX_REP,
		.repne = x86->prefix[0] == X86_PREFIX_REPNE, .opsize = x86->prefix[2] == X86_PREFIX_OPSIZE,
	};
	op->base = op->index = R_ZERO;
	for (unsigned i = 0; i < d->nops; i++) {
		const cs_x86_op *co = &x86->operands[i];
		struct dopnd *o = &d->o[i];
		o->size = co->size;
		switch (co->type) {
		case X86_OP_REG:
			reg_operand(co->reg, o);
			break;
		case X86_OP_IMM:
			o->kind = DO_IMM;
			o->imm = co->imm;
			break;
		case X86_OP_MEM:
			/* Only the string instructions have two memory operands; their
			 * handlers address through rsi and rdi, so the first fills op. */
			o->kind = DO_MEM;
			if (d->mem >= 0)
				break;
			if (!mem_operand(x86, &co->mem, d->pc + d->len, op,
					 insn->id == X86_INS_LEA))
				return false;
			d->mem = i;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* ---- ops the decoder itself emits ---- */

/* Fell off the end of a block without a branch: continue at the next instruction. */
static const struct op *op_block_end(struct cpu *cpu, const struct op *op)
{
	return op_goto(cpu, op->pc);
}

/* Code that is not mapped executable: SIGSEGV at op->pc (si_addr = the address). */
static const struct op *op_fetch_fault(struct cpu *cpu, const struct op *op)
{
	return cpu_raise(cpu, op, SIGSEGV, (int)op->imm, op->pc, op->pc);
}

static void report_unsupported(const struct op *op)
{
	const struct process *p = &the_process;
	if (!p->opt.strace && !p->opt.debug)
		return;
	char bytes[3 * MAX_INSN_LEN + 1] = "";
	uint64_t n = mm_accessible(&p->mm, op->pc, op->len ? op->len : MAX_INSN_LEN, PROT_READ);
	for (uint64_t i = 0; i < n; i++)
		snprintf(bytes + (i ? 3 * i - 1 : 0), 4, "%s%02x", i ? " " : "",
			 ((const uint8_t *)(uintptr_t)op->pc)[i]);
	fprintf(stderr, "sfdemu: unsupported instruction at 0x%llx: %s%s%s -> SIGILL\n",
		(unsigned long long)op->pc, bytes, op->len ? " " : "",
		op->len ? dec_describe(op->pc) : "(undecodable)");
}

/* An instruction sfdemu does not implement, or bytes that do not decode: SIGILL when run. */
static const struct op *op_unsupported(struct cpu *cpu, const struct op *op)
{
	report_unsupported(op);
	return cpu_raise(cpu, op, SIGILL, ILL_ILLOPN, op->pc, op->pc);
}

static bool lower(const struct dinsn *d, struct op *op)
{
	static const lower_fn families[] = { lower_int, lower_intx, lower_sse, lower_x87 };
	for (unsigned i = 0; i < sizeof families / sizeof families[0]; i++)
		if (families[i](d, op))
			return true;
	return false;
}

static bool ends_block(const cs_insn *insn)
{
	const cs_detail *det = insn->detail;
	for (unsigned i = 0; i < det->groups_count; i++) {
		switch (det->groups[i]) {
		case X86_GRP_JUMP: case X86_GRP_CALL: case X86_GRP_RET:
		case X86_GRP_INT: case X86_GRP_IRET:
			return true;
		}
	}
	return insn->id == X86_INS_SYSCALL || insn->id == X86_INS_UD2 || insn->id == X86_INS_HLT;
}

/* A block holding ops[0..nops] (the last one the terminator), copied from `ops`. */
static struct block *block_new(uint64_t pc, const struct op *ops, unsigned nops)
{
	struct block *b = ha_malloc(sizeof *b + (nops + 1) * sizeof(struct op));
	memset(b, 0, sizeof *b);
	b->pc = pc;
	b->nops = nops;
	memcpy(b->ops, ops, (nops + 1) * sizeof(struct op));
	return b;
}

/* A one-op block raising SIGSEGV for a pc whose code cannot be fetched. */
static struct block *fetch_fault_block(uint64_t pc, uint64_t fault_pc)
{
	const struct mm_region *r = mm_find(&the_process.mm, fault_pc);
	struct op ops[2] = { { .fn = op_fetch_fault, .pc = fault_pc,
			       .imm = r ? SEGV_ACCERR : SEGV_MAPERR } };
	struct block *b = block_new(pc, ops, 1);
	b->end = pc + 1;
	return b;
}

/* A hint NOP at `at` that Capstone cannot decode, or decodes as an instruction of a disabled
 * extension: a nop op, and decoding goes on after it. (The block's bytes, avail of them, start
 * at pc.) */
static bool lower_hint_nop(struct op *op, uint64_t at, uint64_t pc, uint64_t avail,
			   const uint8_t **code, size_t *size, uint64_t *addr)
{
	unsigned len = dec_hint_nop_len((const uint8_t *)(uintptr_t)at, avail - (at - pc));
	if (!len)
		return false;
	*op = (struct op){ .fn = op_nop, .pc = at, .len = (uint8_t)len };
	*addr = at + len;
	*code = (const uint8_t *)(uintptr_t)*addr;
	*size = avail - (*addr - pc);
	return true;
}

struct block *dec_block(uint64_t pc)
{
	struct decoder *dc = dec_get();
	uint64_t page_end = (pc & ~(PAGE_SIZE - 1)) + PAGE_SIZE;
	uint64_t avail = mm_accessible(&the_process.mm, pc, page_end - pc + MAX_INSN_LEN - 1,
				       PROT_EXEC);
	if (avail == 0)
		return fetch_fault_block(pc, pc);

	/* Decoded here, then copied into a block of the size it turned out to have: most blocks
	 * are a few instructions, and a block's ops are denser in the cache for it. */
	struct op *ops = dc->scratch;
	const uint8_t *code = (const uint8_t *)(uintptr_t)pc;
	size_t size = avail;
	uint64_t addr = pc;
	unsigned n = 0, max = BLOCK_MAX_OPS;
	bool ended = false;
	/* A libc function run as host code (emu/thunk.c): its op goes first, the function's own
	 * code after it for the calls it declines. */
	op_fn thunk = thunk_at(pc);
	if (thunk) {
		ops[n++] = (struct op){ .fn = thunk, .pc = pc };
		max++;
	}
	while (n < max && addr < page_end) {
		struct op *op = &ops[n++];
		uint64_t at = addr;
		if (!cs_disasm_iter(dc->handle, &code, &size, &addr, dc->insn)) {
			if (lower_hint_nop(op, at, pc, avail, &code, &size, &addr))
				continue;
			if (size < MAX_INSN_LEN && at + size < page_end + MAX_INSN_LEN - 1) {
				/* Cut short by unmapped or non-executable memory. */
				*op = (struct op){ .fn = op_fetch_fault, .pc = at + size,
						   .imm = mm_find(&the_process.mm, at + size) ?
						   SEGV_ACCERR : SEGV_MAPERR };
			} else {
				*op = (struct op){ .fn = op_unsupported, .pc = at };
			}
			ended = true;
			break;
		}
		struct dinsn d;
		*op = (struct op){ .pc = at, .len = (uint8_t)dc->insn->size };
		if (!extract(dc->insn, &d, op) || !lower(&d, op)) {
			if (lower_hint_nop(op, at, pc, avail, &code, &size, &addr))
				continue;
			*op = (struct op){ .fn = op_unsupported, .pc = at, .len = op->len };
			ended = true;
			break;
		}
		if (ends_block(dc->insn)) {
			ended = true;
			break;
		}
	}
	if (ended)
		ops[n] = (struct op){ 0 };
	else
		ops[n] = (struct op){ .fn = op_block_end, .pc = addr };
	dec_flow(ops, n);
	dec_fuse(ops, n);
	struct block *b = block_new(pc, ops, n);
	b->end = addr > pc ? addr : pc + 1;
	return b;
}

const char *dec_describe(uint64_t pc)
{
	static _Thread_local char text[256];
	struct decoder *dc = dec_get();
	const uint8_t *code = (const uint8_t *)(uintptr_t)pc;
	size_t size = mm_accessible(&the_process.mm, pc, MAX_INSN_LEN, PROT_READ);
	uint64_t addr = pc;
	if (!cs_disasm_iter(dc->handle, &code, &size, &addr, dc->insn))
		return "(undecodable)";
	snprintf(text, sizeof text, "(%s %s)", dc->insn->mnemonic, dc->insn->op_str);
	return text;
}

void dec_thread_exit(void)
{
	if (dec.insn) {
		cs_free(dec.insn, 1);
		cs_close(&dec.handle);
		dec.insn = NULL;
	}
}
