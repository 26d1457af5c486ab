/* Flag liveness (emu/decode_flow.c) against the CPU: random straight-line sequences of flag
 * writers (the ALU group, inc/dec/neg/not, shifts and rotates, imul) and readers (setcc,
 * cmovcc, adc/sbb), run natively and in the interpreter as one block. Writers whose flags the
 * rest of the sequence overwrites unread run without recording them; the results, the flags
 * the readers see and the flags at the end must still be the CPU's.
 *
 * The generator follows which flags are defined at each point (an undefined flag, such as OF
 * after a shift by more than one, differs between CPUs): readers only test defined flags,
 * and only those defined at the end are compared. Sequences with an SSE division in the
 * middle trap there when the case unmasks its exception: the flags at the trap must be the
 * CPU's too (an op that may leave the block early reads every flag).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "insn_diff.h"

#define ARITH FL_ARITH
#define LOGIC (FL_ARITH & ~FL_AF)

/* The flags condition code cc tests. */
static uint32_t cc_reads(unsigned cc)
{
	static const uint32_t r[8] = { FL_OF, FL_CF, FL_ZF, FL_CF | FL_ZF, FL_SF, FL_PF,
				       FL_SF | FL_OF, FL_ZF | FL_SF | FL_OF };
	return r[(cc >> 1) & 7];
}

/* A register other than rsp; sizes 4 and 8 only use it whole. */
static int pick_reg(void)
{
	int r;
	do
		r = (int)(drand() % 16);
	while (r == R_RSP);
	return r;
}

static void emit_rm(struct dform *f, int size, const char *op, int reg, int rm, int immsize,
		    int64_t imm)
{
	struct enc e = denc_rm(size, op, reg, dea_reg(rm));
	e.immsize = immsize;
	e.imm = imm;
	enc_emit(f, &e);
}

/* A condition code whose flags are all defined, or -1. */
static int pick_cc(uint32_t def)
{
	for (unsigned tries = 0; tries < 32; tries++) {
		unsigned cc = (unsigned)(drand() % 16);
		if ((cc_reads(cc) & def) == cc_reads(cc))
			return (int)cc;
	}
	return -1;
}

/* Append one random instruction to f; `def` is the defined flags before and after. */
static void gen_one(struct dform *f, uint32_t *def)
{
	int size = drand() & 1 ? 8 : 4;
	int d = pick_reg(), s = pick_reg();
	char op[4] = { 0 };
	switch (drand() % 9) {
	case 0: case 1: {   /* add or adc sbb and sub xor cmp r, r; test r, r */
		int alu = (int)(drand() % 9);
		if ((alu == 2 || alu == 3) && !(*def & FL_CF))
			alu = 0;
		op[0] = alu == 8 ? (char)0x85 : (char)(0x01 + alu * 8);
		emit_rm(f, size, op, s, d, 0, 0);
		*def = (alu == 1 || alu == 4 || alu == 6 || alu == 8) ? LOGIC : ARITH;
		break;
	}
	case 2: {           /* the same with an 8-bit immediate */
		int alu = (int)(drand() % 8);
		if ((alu == 2 || alu == 3) && !(*def & FL_CF))
			alu = 5;
		emit_rm(f, size, "\x83", DIGIT(alu), d, 1, (int8_t)drand());
		*def = (alu == 1 || alu == 4 || alu == 6) ? LOGIC : ARITH;
		break;
	}
	case 3: {           /* inc dec (keep CF) neg not */
		static const struct { const char *op; int digit; } un[4] = {
			{ "\xff", 0 }, { "\xff", 1 }, { "\xf7", 3 }, { "\xf7", 2 } };
		int k = (int)(drand() % 4);
		emit_rm(f, size, un[k].op, DIGIT(un[k].digit), d, 0, 0);
		if (k < 2)
			*def |= ARITH & ~FL_CF;
		else if (k == 2)
			*def = ARITH;
		break;
	}
	case 4: {           /* rol ror shl shr sar by an immediate */
		static const int digit[5] = { 0, 1, 4, 5, 7 };
		int k = (int)(drand() % 5);
		int c = 1 + (int)(drand() % (unsigned)(size * 8 - 1));
		if (drand() & 1)
			c = 1;
		emit_rm(f, size, "\xc1", DIGIT(digit[k]), d, 1, c);
		uint32_t of = c == 1 ? FL_OF : 0;
		*def = k < 2 ? (*def & ~(FL_CF | FL_OF)) | FL_CF | of : (LOGIC & ~FL_OF) | of;
		break;
	}
	case 5:             /* imul r, r */
		emit_rm(f, size, "\x0f\xaf", d, s, 0, 0);
		*def = FL_CF | FL_OF;
		break;
	case 6: {           /* setcc r8 (legacy byte registers) */
		int cc = pick_cc(*def);
		if (cc < 0)
			break;
		op[0] = 0x0f;
		op[1] = (char)(0x90 + cc);
		emit_rm(f, 1, op, DIGIT(0), (int)(drand() % 4), 0, 0);
		break;
	}
	case 7: {           /* cmovcc r, r */
		int cc = pick_cc(*def);
		if (cc < 0)
			break;
		op[0] = 0x0f;
		op[1] = (char)(0x40 + cc);
		emit_rm(f, size, op, d, s, 0, 0);
		break;
	}
	default:            /* mov and lea touch no flags */
		if (drand() & 1) {
			emit_rm(f, size, "\x89", s, d, 0, 0);
		} else {
			struct enc e = denc_rm(size, "\x8d", d,
					       (struct ea){ .kind = EA_MEM, .base = s, .index = -1,
							    .disp = (int32_t)drand() });
			enc_emit(f, &e);
		}
		break;
	}
}

/* Up to n instructions, keeping `room` bytes of f->code free (an instruction here is at most
 * 7 bytes). */
static void gen_some(struct dform *f, uint32_t *def, unsigned n, unsigned room)
{
	while (n-- && f->len + 7 + room <= sizeof f->code)
		gen_one(f, def);
}

static void test_sequences(void)
{
	char name[56];
	for (unsigned i = 0; i < 400; i++) {
		snprintf(name, sizeof name, "flag sequence %u", i);
		struct dform *f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "seed %u", i);
		uint32_t def = ARITH;
		gen_some(f, &def, 2 + (unsigned)(drand() % 10), 0);
		f->flags_def = def;
		f->ncases = 60;
	}
	dform_run_all("flag sequences");
}

/* Writers, then divsd (which traps when the case unmasks its exceptions), then more. */
static void test_trap_mid_block(void)
{
	char name[56];
	for (unsigned i = 0; i < 150; i++) {
		snprintf(name, sizeof name, "flag sequence trapping %u", i);
		struct dform *f = dform_new(name, NULL);
		snprintf(f->var, sizeof f->var, "seed %u", i);
		uint32_t def = ARITH;
		gen_some(f, &def, 2 + (unsigned)(drand() % 4), 12);
		uint32_t at_trap = def;
		struct enc e = { .pfx = "\xf2", .op = "\x0f\x5e", .oplen = 2, .reg = (int)(drand() % 8),
				 .rm = dea_reg((int)(drand() % 8)) };
		enc_emit(f, &e);
		gen_some(f, &def, 1 + (unsigned)(drand() % 3), 0);
		f->flags_def = at_trap & def;
		f->fp = true;
		f->ncases = 120;
	}
	dform_run_all("flag sequences with a trap");
}

/* jcc over an lea that counts the not-taken path (both paths end at the stop address). */
static void emit_jcc_over(struct dform *f, int cc, uint32_t *used)
{
	int d = dpick(used, 8, false, false);
	struct enc e = denc_rm(8, "\x8d", d, (struct ea){ .kind = EA_MEM, .base = d, .index = -1,
							  .disp = 1, .dispsize = 1 });
	struct dform tmp = { .len = 0 };
	enc_emit(&tmp, &e);
	uint8_t j[2] = { (uint8_t)(0x70 + cc), (uint8_t)tmp.len };
	dform_bytes(f, j, 2);
	dform_bytes(f, tmp.code, tmp.len);
}

static void test_compare_branch(void)
{
	static const struct {
		const char *name, *op8, *op;
		int digit, immsize;    /* digit >= 0: an immediate form */
		uint32_t fl;
	} forms[] = {
		{ "cmp m, r", "\x38", "\x39", -1, 0, ARITH },
		{ "cmp r, m", "\x3a", "\x3b", -1, 0, ARITH },
		{ "cmp m, imm8", "\x80", "\x83", 7, 1, ARITH },
		{ "test m, r", "\x84", "\x85", -1, 0, LOGIC },
		{ "test m, imm", "\xf6", "\xf7", 0, 4, LOGIC },
	};
	static const int sizes[4] = { 1, 2, 4, 8 };
	char name[56], desc[40];
	for (unsigned k = 0; k < sizeof forms / sizeof forms[0]; k++)
		for (unsigned si = 0; si < 4; si++)
			for (int cc = 0; cc < 16; cc++) {
				int size = sizes[si];
				unsigned mode = (unsigned)(cc + (int)si + (int)k) % 5;
				snprintf(name, sizeof name, "%s%d; j%d", forms[k].name, size * 8, cc);
				struct dform *f = dform_new(name, NULL);
				uint32_t used = 0;
				int r = forms[k].digit < 0 ? dpick(&used, size, false, false) : -1;
				struct ea m = dea_mem(f, &used, mode, false, desc, sizeof desc);
				snprintf(f->var, sizeof f->var, "%s", desc);
				struct enc e = denc_rm(size, size == 1 ? forms[k].op8 : forms[k].op,
						       r >= 0 ? r : DIGIT(forms[k].digit), m);
				e.immsize = forms[k].immsize && size < 4 ? size : forms[k].immsize;
				if (forms[k].digit == 7)
					e.immsize = 1;
				e.imm = (int8_t)drand();
				enc_emit(f, &e);
				dform_in(f, DI_MEM, 0, size, 0);
				if (r >= 0)
					dform_in(f, DI_GPR, r, size, 0);
				emit_jcc_over(f, cc, &used);
				f->flags_def = forms[k].fl;
				f->ncases = 60;
			}
	dform_run_all("compare and branch");
}

void register_flow_tests(void)
{
	CU_pSuite s = CU_add_suite("flow", NULL, diff_suite_cleanup);
	CU_add_test(s, "flag liveness: writer and reader sequences vs cpu", test_sequences);
	CU_add_test(s, "flag liveness: flags at a trap mid-block vs cpu", test_trap_mid_block);
	CU_add_test(s, "cmp/test with memory and jcc as one op vs cpu", test_compare_branch);
}
