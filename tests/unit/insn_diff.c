/* The differential test's runner: place each form's code in executable guest memory, generate
 * its cases, run them natively and in the interpreter, compare, report and count. */
#include <CUnit/CUnit.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "emu_harness.h"
#include "insn_diff.h"
#include "../../emu/sse.h"

void diff_native_call(struct dstate *s);
extern void *diff_native_target;

#define REGION_SIZE (16u << 20)
#define SLOT_SIZE 64
#define MAX_PRINTED_CASES 40   /* over the whole run */
#define MAX_PRINTED_PER_FORM 2

static uint8_t *region;        /* page 0: the data buffer; then code slots */
static uint64_t next_slot;
static struct dform **pending;
static unsigned npending, cappending;

static struct {
	unsigned encodings, failed_forms, printed;
	uint64_t cases, traps, fpes;
	char **names;              /* distinct form names */
	unsigned nnames, capnames;
} st;

static void region_init(void)
{
	if (region)
		return;
	eh_init();
	region = eh_map(NULL, REGION_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
	next_slot = (uint64_t)(uintptr_t)region + 4096;
}

uint8_t *dbuf(void)
{
	region_init();
	return region;
}

struct dform *dform_new(const char *name, const char *var)
{
	region_init();
	if (next_slot + SLOT_SIZE > (uint64_t)(uintptr_t)region + REGION_SIZE) {
		fprintf(stderr, "insn-diff: out of code slots\n");
		abort();
	}
	struct dform *f = calloc(1, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->var, sizeof f->var, "%s", var ? var : "");
	f->at = next_slot;
	next_slot += SLOT_SIZE;
	f->mem_base = f->mem_index = -1;
	f->mem_off = DBUF_MID;
	f->mem_index_val = (int64_t)(drand() % 9) - 4;
	if (npending == cappending) {
		cappending = cappending ? cappending * 2 : 256;
		pending = realloc(pending, cappending * sizeof *pending);
	}
	pending[npending++] = f;
	return f;
}

void dform_in(struct dform *f, int kind, int reg, int size, int lane)
{
	for (unsigned i = 0; i < 4; i++) {
		if (f->in[i].kind == DI_NONE) {
			f->in[i] = (struct din){ (uint8_t)kind, (uint8_t)(reg >= 16 ? reg - 16 : reg),
						 (uint8_t)size, reg >= 16, (uint8_t)lane };
			return;
		}
	}
	abort();
}

/* ---- case generation ---- */

static uint32_t rand_mxcsr(void)
{
	uint64_t r = drand();
	uint32_t m = 0x1f80 | (uint32_t)(r & 3) << 13;
	if ((r >> 2 & 3) == 0)
		m |= 0x8000; /* FTZ */
	if ((r >> 4 & 3) == 0)
		m |= 0x40;   /* DAZ */
	if ((r >> 6 & 3) == 0)
		m |= (uint32_t)(r >> 8) & 0x3f;
	return m;
}

static void fill_lanes(uint8_t *p, unsigned size, unsigned lane, const uint8_t *like)
{
	bool copy = like && (drand() & 3) == 0;
	unsigned lw = lane == LN_I8 ? 1 : lane == LN_I16 ? 2 : lane == LN_I32 || lane == LN_F32 ? 4 : 8;
	for (unsigned o = 0; o + lw <= size; o += lw) {
		if (copy && (drand() & 1)) {
			memcpy(p + o, like + o, lw);
			continue;
		}
		if (lane == LN_F32) {
			float v = dval_f32();
			memcpy(p + o, &v, 4);
		} else if (lane == LN_F64) {
			double v = dval_f64();
			memcpy(p + o, &v, 8);
		} else {
			uint64_t v = dval(lw * 8);
			memcpy(p + o, &v, lw);
		}
	}
}

static void gen_case(const struct dform *f, unsigned n, struct dstate *s, uint8_t *mem,
		     struct dmask *m)
{
	for (int i = 0; i < 16; i++)
		s->r[i] = (drand() & 3) ? drand() : dval(64);
	s->r[R_RSP] = 0;
	s->rflags = 0x202 | (drand() & FL_ARITH) | (f->df && (drand() & 1) ? FL_DF : 0);
	s->mxcsr = f->fp ? rand_mxcsr() : 0x1f80;
	if (f->fp && (drand() & 7) == 0)
		s->mxcsr &= ~(((uint32_t)drand() & 0x3f) << 7); /* unmask some exceptions */
	for (int i = 0; i < 16; i++)
		s->xmm[i].q[0] = drand(), s->xmm[i].q[1] = drand();
	for (unsigned i = 0; i < DBUF_SIZE; i += 8) {
		uint64_t v = drand();
		memcpy(mem + i, &v, 8);
	}
	/* The first two scalar inputs walk the grid of edge values before going random. */
	unsigned grid[2] = { 0, 0 }, ng = 0, total = 1;
	for (unsigned i = 0; i < 4 && ng < 2; i++)
		if (f->in[i].kind == DI_GPR || f->in[i].kind == DI_MEM)
			dedge(f->in[i].size * 8, 0, &grid[ng++]), total *= grid[ng - 1];
	unsigned gi = 0;
	const uint8_t *first_vec = NULL;
	for (unsigned i = 0; i < 4; i++) {
		const struct din *d = &f->in[i];
		unsigned bits = d->size * 8;
		uint64_t v = 0;
		if (d->kind == DI_GPR || d->kind == DI_MEM) {
			if (gi < ng && n < total)
				v = dedge(bits, gi == 0 ? n % grid[0] : n / grid[0], NULL);
			else
				v = dval(bits);
			gi++;
		}
		switch (d->kind) {
		case DI_GPR:
			if (d->hi)
				s->r[d->reg] = (s->r[d->reg] & ~0xff00ull) | (v & 0xff) << 8;
			else if (bits == 64)
				s->r[d->reg] = v;
			else
				s->r[d->reg] = (s->r[d->reg] & ~((1ull << bits) - 1)) | v;
			break;
		case DI_MEM:
			memcpy(mem + f->mem_off, &v, d->size);
			break;
		case DI_XMM:
			fill_lanes(s->xmm[d->reg].b, 16, d->lane, first_vec);
			if (!first_vec)
				first_vec = s->xmm[d->reg].b;
			break;
		case DI_XMEM:
			fill_lanes(mem + f->mem_off, d->size, d->lane, first_vec);
			if (!first_vec)
				first_vec = mem + f->mem_off;
			break;
		}
	}
	if (f->mem_base >= 0)
		s->r[f->mem_base] = f->mem_base_val;
	if (f->mem_index >= 0)
		s->r[f->mem_index] = (uint64_t)f->mem_index_val;
	m->flags = f->flags_def | FL_DF;
	for (int i = 0; i < 16; i++)
		m->gpr[i] = ~0ull;
	m->gpr[R_RSP] = 0;
	m->mem = true;
}

/* ---- running both sides ---- */

static enum cpu_exit run_interp(const struct dform *f, const struct dstate *in, struct dstate *out)
{
	struct cpu *c = eh_cpu();
	for (int i = 0; i < 16; i++)
		c->r[i] = in->r[i];
	c->r[R_RSP] = eh_stack_top();
	memcpy(c->xmm, in->xmm, sizeof c->xmm);
	sse_set_mxcsr(c, in->mxcsr); /* the host MXCSR is the guest's while ops run (emu/sse.h) */
	eh_set_flags(in->rflags);
	enum cpu_exit x = eh_run(f->at, f->at + f->len + 2);
	memcpy(out->r, c->r, sizeof out->r);
	out->r[R_RSP] = c->r[R_RSP] == eh_stack_top() ? 0 : c->r[R_RSP];
	out->rflags = eh_flags();
	out->mxcsr = sse_get_mxcsr(c);
	sse_set_mxcsr(c, MXCSR_DEFAULT);
	memcpy(out->xmm, c->xmm, sizeof out->xmm);
	return x;
}

static const char *const gpr_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void flag_str(char *b, uint64_t fl)
{
	static const struct { uint32_t bit; char c; } fls[] = {
		{ FL_OF, 'O' }, { FL_DF, 'D' }, { FL_SF, 'S' }, { FL_ZF, 'Z' },
		{ FL_AF, 'A' }, { FL_PF, 'P' }, { FL_CF, 'C' },
	};
	for (unsigned i = 0; i < 7; i++)
		*b++ = (fl & fls[i].bit) ? fls[i].c : '.';
	*b = 0;
}

#define APPEND(...) (o += (size_t)snprintf(buf + o, o < len ? len - o : 0, __VA_ARGS__))

static size_t print_inputs(char *buf, size_t len, const struct dform *f, const struct dstate *s,
			   const uint8_t *mem)
{
	size_t o = 0;
	char fl[8];
	flag_str(fl, s->rflags);
	APPEND("    in: flags %s mxcsr %04x", fl, s->mxcsr);
	for (unsigned i = 0; i < 4; i++) {
		const struct din *d = &f->in[i];
		if (d->kind == DI_GPR)
			APPEND(" %s=%016llx", gpr_names[d->reg], (unsigned long long)s->r[d->reg]);
		else if (d->kind == DI_XMM)
			APPEND(" xmm%d=%016llx:%016llx", d->reg, (unsigned long long)s->xmm[d->reg].q[1],
			       (unsigned long long)s->xmm[d->reg].q[0]);
		else if (d->kind == DI_MEM || d->kind == DI_XMEM) {
			APPEND(" mem=");
			for (int b = d->size - 1; b >= 0; b--)
				APPEND("%02x", mem[f->mem_off + b]);
		}
	}
	for (int r = 0; r < 16; r++)
		if (f->show >> r & 1)
			APPEND(" %s=%016llx", gpr_names[r], (unsigned long long)s->r[r]);
	APPEND("\n");
	return o;
}

/* Describe the differences between the CPU's result and the interpreter's; empty if none. */
static size_t diff_states(char *buf, size_t len, const struct dstate *a, const struct dstate *b,
			  const struct dmask *m, const uint8_t *ma, const uint8_t *mb)
{
	size_t o = 0;
	for (int i = 0; i < 16; i++)
		if ((a->r[i] ^ b->r[i]) & m->gpr[i])
			APPEND("    %s: cpu %016llx emu %016llx\n", gpr_names[i],
			       (unsigned long long)a->r[i], (unsigned long long)b->r[i]);
	if ((a->rflags ^ b->rflags) & m->flags) {
		char fa[8], fb[8], fm[8];
		flag_str(fa, a->rflags), flag_str(fb, b->rflags), flag_str(fm, m->flags);
		APPEND("    flags: cpu %s emu %s (compared %s)\n", fa, fb, fm);
	}
	if (a->mxcsr != b->mxcsr)
		APPEND("    mxcsr: cpu %04x emu %04x\n", a->mxcsr, b->mxcsr);
	for (int i = 0; i < 16; i++)
		if (memcmp(&a->xmm[i], &b->xmm[i], 16))
			APPEND("    xmm%d: cpu %016llx:%016llx emu %016llx:%016llx\n", i,
			       (unsigned long long)a->xmm[i].q[1], (unsigned long long)a->xmm[i].q[0],
			       (unsigned long long)b->xmm[i].q[1], (unsigned long long)b->xmm[i].q[0]);
	if (m->mem && memcmp(ma, mb, DBUF_SIZE)) {
		unsigned i = 0;
		while (ma[i] == mb[i])
			i++;
		unsigned e = i + 16 < DBUF_SIZE ? i + 16 : DBUF_SIZE;
		APPEND("    mem[%d..]: cpu ", (int)i - DBUF_MID);
		for (unsigned k = i; k < e; k++)
			APPEND("%02x", ma[k]);
		APPEND(" emu ");
		for (unsigned k = i; k < e; k++)
			APPEND("%02x", mb[k]);
		APPEND("\n");
	}
	return o;
}

static void print_case(const struct dform *f, const char *what, const struct dstate *in,
		       const uint8_t *mem_in, const char *diff)
{
	char buf[2048];
	if (st.printed >= MAX_PRINTED_CASES)
		return;
	st.printed++;
	print_inputs(buf, sizeof buf, f, in, mem_in);
	printf("\n  insn-diff: %s [%s] (", f->name, f->var);
	for (unsigned i = 0; i < f->len; i++)
		printf("%s%02x", i ? " " : "", f->code[i]);
	printf("): %s\n%s%s", what, buf, diff);
	fflush(stdout);
}

/* An expected divide error: nothing changes, the guest gets SIGFPE FPE_INTDIV at the insn. */
static bool check_fpe(const struct dform *f, enum cpu_exit x, const struct dstate *in,
		      const struct dstate *out, char *buf, size_t len)
{
	size_t o = 0;
	const struct cpu *c = eh_cpu();
	if (x != EXIT_FAULT || c->fault.signo != SIGFPE || c->fault.code != FPE_INTDIV ||
	    c->fault.addr != f->at || c->rip != f->at)
		APPEND("    expected SIGFPE FPE_INTDIV at %#llx; got exit %d signo %d code %d addr %#llx "
		       "rip %#llx\n", (unsigned long long)f->at, x, c->fault.signo, c->fault.code,
		       (unsigned long long)c->fault.addr, (unsigned long long)c->rip);
	for (int i = 0; i < 16; i++)
		if (i != R_RSP && in->r[i] != out->r[i])
			APPEND("    %s changed: %016llx -> %016llx\n", gpr_names[i],
			       (unsigned long long)in->r[i], (unsigned long long)out->r[i]);
	if ((in->rflags ^ out->rflags) & (FL_ARITH | FL_DF))
		APPEND("    flags changed\n");
	return o == 0;
}

/* ---- SSE exceptions the case unmasked, raised natively ---- */

static sigjmp_buf trap_jmp;
static struct {
	int code;
	uint64_t rip;
	struct dstate st;      /* the registers at the trap */
} trap;

static void on_native_fpe(int sig, siginfo_t *si, void *ctx)
{
	static const int greg[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
		REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
	ucontext_t *uc = ctx;
	trap.code = si->si_code;
	trap.rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	for (int i = 0; i < 16; i++)
		trap.st.r[i] = (uint64_t)uc->uc_mcontext.gregs[greg[i]];
	trap.st.r[R_RSP] = 0;
	trap.st.rflags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
	trap.st.mxcsr = uc->uc_mcontext.fpregs->mxcsr;
	memcpy(trap.st.xmm, uc->uc_mcontext.fpregs->_xmm, sizeof trap.st.xmm);
	siglongjmp(trap_jmp, 1);
}

/* Run the case natively. When it unmasks SSE exceptions, a SIGFPE ends it: returns true with
 * the state at the trap in `trap`. */
static bool native_run(struct dstate *s, bool may_trap)
{
	if (!may_trap) {
		diff_native_call(s);
		return false;
	}
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_native_fpe;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGFPE, &sa, &old);
	volatile bool trapped = false;
	if (sigsetjmp(trap_jmp, 1))
		trapped = true;
	else
		diff_native_call(s);
	__asm__ volatile("cld");
	__builtin_ia32_ldmxcsr(0x1f80); /* the trampoline did not get to restore it */
	sigaction(SIGFPE, &old, NULL);
	return trapped;
}

/* The interpreter must trap at the same instruction with the same si_code and state. */
static bool check_trap(enum cpu_exit x, const struct dstate *emu, const struct dmask *m,
		       const uint8_t *mem_cpu, const uint8_t *mem_emu, char *buf, size_t len)
{
	size_t o = 0;
	const struct cpu *c = eh_cpu();
	if (x != EXIT_FAULT || c->fault.signo != SIGFPE || c->fault.code != trap.code ||
	    c->fault.addr != trap.rip || c->rip != trap.rip)
		APPEND("    expected SIGFPE code %d at %#llx; got exit %d signo %d code %d addr %#llx "
		       "rip %#llx\n", trap.code, (unsigned long long)trap.rip, x, c->fault.signo,
		       c->fault.code, (unsigned long long)c->fault.addr, (unsigned long long)c->rip);
	o += diff_states(buf + o, o < len ? len - o : 0, &trap.st, emu, m, mem_cpu, mem_emu);
	return o == 0;
}

/* INSN_DIFF_SCALE multiplies every form's case count (default 3; 1 for a quick run). */
static unsigned diff_scale(void)
{
	static unsigned scale;
	if (!scale) {
		const char *e = getenv("INSN_DIFF_SCALE");
		scale = e && atoi(e) > 0 ? (unsigned)atoi(e) : 3;
	}
	return scale;
}

/* Run one form's cases; returns the number of differing cases. */
static unsigned run_form(struct dform *f, unsigned *checked)
{
	static uint8_t mem_in[DBUF_SIZE], mem_cpu[DBUF_SIZE];
	uint8_t *buf = dbuf();
	unsigned ncases = (f->ncases ? f->ncases : 600) * diff_scale(), bad = 0, shown = 0;
	char diff[4096];
	*checked = 0;
	for (unsigned n = 0; n < ncases; n++) {
		struct dstate in, cpu, emu;
		struct dmask m;
		gen_case(f, n, &in, mem_in, &m);
		int how = f->fix ? f->fix(f, &in, mem_in, &m, n) : DF_RUN;
		if (how == DF_SKIP)
			continue;
		bool trapped = false;
		if (how == DF_RUN) {
			memcpy(buf, mem_in, DBUF_SIZE);
			cpu = in;
			diff_native_target = (void *)(uintptr_t)f->at;
			trapped = native_run(&cpu, f->fp && (in.mxcsr & 0x1f80) != 0x1f80);
			cpu.r[R_RSP] = 0;
			memcpy(mem_cpu, buf, DBUF_SIZE);
		}
		memcpy(buf, mem_in, DBUF_SIZE);
		enum cpu_exit x = run_interp(f, &in, &emu);
		++*checked;
		bool ok;
		const char *what = "differs";
		if (how == DF_FPE) {
			ok = check_fpe(f, x, &in, &emu, diff, sizeof diff);
			what = "divide error";
			st.fpes++;
		} else if (trapped) {
			ok = check_trap(x, &emu, &m, mem_cpu, buf, diff, sizeof diff);
			what = "SSE exception";
			st.traps++;
		} else if (x != EXIT_NONE) {
			const struct cpu *c = eh_cpu();
			snprintf(diff, sizeof diff, "    interpreter stopped: exit %d signo %d code %d "
				 "addr %#llx rip %#llx\n", x, c->fault.signo, c->fault.code,
				 (unsigned long long)c->fault.addr, (unsigned long long)c->rip);
			ok = false;
		} else {
			ok = diff_states(diff, sizeof diff, &cpu, &emu, &m, mem_cpu, buf) == 0;
		}
		if (ok)
			continue;
		bad++;
		if (shown++ < MAX_PRINTED_PER_FORM)
			print_case(f, what, &in, mem_in, diff);
		if (x != EXIT_NONE && how != DF_FPE && !trapped)
			break; /* unimplemented or crashing: one report is enough */
	}
	return bad;
}

static void note_name(const char *name)
{
	for (unsigned i = 0; i < st.nnames; i++)
		if (!strcmp(st.names[i], name))
			return;
	if (st.nnames == st.capnames) {
		st.capnames = st.capnames ? st.capnames * 2 : 256;
		st.names = realloc(st.names, st.capnames * sizeof *st.names);
	}
	st.names[st.nnames++] = strdup(name);
}

unsigned dform_run_all(const char *group)
{
	unsigned failed = 0, encs = npending;
	uint64_t cases = 0, fpes0 = st.fpes, traps0 = st.traps;
	/* Write the whole batch before running any of it, then start the next batch on a new
	 * page: code pages are never written after their blocks are decoded. */
	for (unsigned i = 0; i < npending; i++) {
		struct dform *f = pending[i];
		uint8_t *p = (uint8_t *)(uintptr_t)f->at;
		memcpy(p, f->code, f->len);
		p[f->len] = 0xeb, p[f->len + 1] = 0x00, p[f->len + 2] = 0xc3;
	}
	bool list = getenv("INSN_DIFF_LIST") != NULL;
	for (unsigned i = 0; i < npending; i++) {
		struct dform *f = pending[i];
		unsigned checked;
		if (list) {
			printf("form\t%s\t%s\t", f->name, f->var);
			for (unsigned k = 0; k < f->len; k++)
				printf("%02x", f->code[k]);
			printf("\n");
		}
		unsigned bad = run_form(f, &checked);
		char msg[200];
		snprintf(msg, sizeof msg, "insn-diff %s [%s]: %u of %u cases differ", f->name, f->var,
			 bad, checked);
		CU_assertImplementation(bad == 0, __LINE__, msg, __FILE__, "", CU_FALSE);
		failed += bad != 0;
		cases += checked;
		note_name(f->name);
		free(f);
	}
	npending = 0;
	next_slot = (next_slot + 4095) & ~4095ull;
	st.encodings += encs;
	st.cases += cases;
	st.failed_forms += failed;
	printf("\n  insn-diff %s: %u encodings, %llu cases (%llu divide errors, %llu SSE exceptions), "
	       "%u failing ", group, encs, (unsigned long long)cases,
	       (unsigned long long)(st.fpes - fpes0), (unsigned long long)(st.traps - traps0), failed);
	fflush(stdout);
	return failed;
}

static void print_count(uint64_t v)
{
	if (v >= 1000) {
		print_count(v / 1000);
		printf(",%03llu", (unsigned long long)(v % 1000));
	} else {
		printf("%llu", (unsigned long long)v);
	}
}

int diff_suite_cleanup(void)
{
	diff_summary();
	return 0;
}

void diff_summary(void)
{
	if (!st.encodings)
		return;
	printf("\ninsn-diff: %u forms (%u encodings), ", st.nnames, st.encodings);
	print_count(st.cases);
	printf(" cases checked against the CPU (%llu divide errors, %llu SSE exceptions), %u encodings "
	       "failing\n", (unsigned long long)st.fpes, (unsigned long long)st.traps, st.failed_forms);
	fflush(stdout);
}
