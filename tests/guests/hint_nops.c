/* hint_nops: the hint-NOP space 0f 18..0f 1f /r runs as no-ops in every form: register and
 * memory operands (SIB, disp8, disp32, rip-relative, an address no page backs, which a NOP
 * never touches), with operand-size, address-size, rep and segment prefixes and REX. Each
 * sequence runs between two register snapshots that must be equal. A lock prefix makes them
 * #UD: SIGILL at the instruction, which the handler steps over. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

struct regs { uint64_t r[6]; };

/* Runs the bytes with rax, rbx, rcx, rdx, rsi, rdi set to known values; returns them. */
#define RUN(name, bytes)                                                                     \
	static void name(struct regs *out)                                                 \
	{                                                                                  \
		uint64_t a = 0x1111, b = 0x2222, c = 0x3333, d = 0x4444, s = 0x5555, di = 0x6666; \
		__asm__ volatile(bytes                                                     \
				 : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di) : : "memory", "cc"); \
		*out = (struct regs){ { a, b, c, d, s, di } };                             \
	}

RUN(reg_forms, ".byte 0x0f,0x1f,0xc0\n .byte 0x0f,0x18,0xc1\n .byte 0x0f,0x19,0xd2\n"
	       ".byte 0x0f,0x1a,0xdb\n .byte 0x0f,0x1b,0xe4\n .byte 0x0f,0x1c,0xed\n"
	       ".byte 0x0f,0x1d,0xf6\n .byte 0x0f,0x1e,0xff\n .byte 0x0f,0x1e,0xc8\n")
RUN(prefixed, ".byte 0x66,0x0f,0x1f,0xc0\n .byte 0x48,0x0f,0x1f,0xc1\n .byte 0x41,0x0f,0x19,0xc0\n"
	      ".byte 0xf3,0x0f,0x19,0xc0\n .byte 0xf2,0x0f,0x1c,0xc0\n .byte 0x2e,0x0f,0x1f,0xc0\n"
	      ".byte 0x66,0x66,0x2e,0x0f,0x1f,0x84,0x00,0,0,0,0\n .byte 0x67,0x0f,0x1f,0x00\n")
RUN(mem_forms, ".byte 0x0f,0x1f,0x00\n .byte 0x0f,0x1f,0x40,0x08\n .byte 0x0f,0x1f,0x44,0x00,0x08\n"
	       ".byte 0x0f,0x1f,0x80,0,1,0,0\n .byte 0x0f,0x1f,0x84,0x00,0,1,0,0\n"
	       ".byte 0x0f,0x1d,0x05,0,0,0,0\n .byte 0x0f,0x19,0x04,0x25,0,0,0,0\n"
	       ".byte 0x0f,0x1b,0x04,0x65,0,0,0,0\n .byte 0x0f,0x18,0x04,0x25,0x10,0,0,0\n"
	       ".byte 0x0f,0x1e,0x14,0x25,0x20,0,0,0\n .byte 0x0f,0x1c,0x1c,0x25,0x30,0,0,0\n")

static volatile int sigills;
static volatile uint64_t sigill_at;

static void on_sigill(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	sigills++;
	sigill_at = (uint64_t)si->si_addr == (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	uc->uc_mcontext.gregs[REG_RIP] += 4;   /* f0 0f 1f c0 */
}

RUN(locked, ".byte 0xf0,0x0f,0x1f,0xc0\n .byte 0xf0,0x0f,0x19,0xc0\n")

static int check(const char *what, void (*fn)(struct regs *))
{
	const struct regs want = { { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666 } };
	struct regs got;
	fn(&got);
	int same = !memcmp(&got, &want, sizeof got);
	printf("%-10s %s\n", what, same ? "registers unchanged" : "registers CHANGED");
	return same;
}

int main(void)
{
	int ok = check("register", reg_forms) & check("prefixed", prefixed) &
		 check("memory", mem_forms);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_sigill;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	ok &= check("locked", locked);
	printf("lock prefix: %d SIGILL, si_addr at the instruction: %s\n", sigills,
	       sigill_at ? "yes" : "no");
	return ok ? 0 : 1;
}
