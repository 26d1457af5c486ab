/* brk: the break refused. brk(0), below the start, absurd sizes, shrinking, growth stopped
 * by a mapping placed above the break and resumed once it is gone, and memory written through
 * the break, as Linux's brk() answers them (the raw syscall: the new break on success, the
 * old one on failure). Within 512 MiB of growth: sfdemu reserves 1 GiB for the guest break,
 * where Linux lets it grow until it meets another mapping (a difference of sfdemu's). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../hostile/hguest.h"

#define MB (1l << 20)

static long brk_raw(long to) { return hg_syscall(SYS_brk, to, 0, 0, 0, 0, 0); }

/* What brk(cur + delta) did, relative to the break before the call. */
static void try_brk(const char *what, long delta)
{
	long cur = brk_raw(0);
	long got = brk_raw(cur + delta);
	const char *r = got == cur + delta ? (delta ? "moved" : "same")
		      : got == cur ? "refused" : "something else";
	printf("%-48s %s\n", what, r);
}

int main(void)
{
	long start = brk_raw(0);
	printf("%-48s %s\n", "brk(0) is page aligned", start % 4096 ? "no" : "yes");
	printf("%-48s %s\n", "brk(1) gives the break back",
	       brk_raw(1) == start ? "yes" : "no");
	printf("%-48s %s\n", "brk(-4096) gives the break back",
	       brk_raw(-4096) == start ? "yes" : "no");
	printf("%-48s %s\n", "brk(kernel address) gives the break back",
	       brk_raw((long)0xffff800000000000ul) == start ? "yes" : "no");
	try_brk("brk + 128 TiB", 1l << 47);
	try_brk("brk - 1 GiB (below the start)", -(1l << 30));
	try_brk("brk + 0", 0);
	try_brk("brk + 1 byte", 1);
	try_brk("brk - 1 byte", -1);
	try_brk("brk + 64 MiB", 64 * MB);
	long cur = brk_raw(0);
	long grown = brk_raw(cur + 64 * MB);
	memset((void *)cur, 0x5a, 64 * MB);
	printf("%-48s %s\n", "64 MiB of break written", grown == cur + 64 * MB ? "yes" : "no");
	brk_raw(cur);
	brk_raw(cur + 4096);
	printf("%-48s %s\n", "shrunk and grown again: the page reads zero",
	       *(volatile unsigned char *)cur == 0 ? "yes" : "no");
	brk_raw(cur);

	/* A mapping 8 MiB above the break: growth into it (or within a page of it) is refused. */
	cur = brk_raw(0);
	uint64_t at = ((uint64_t)cur + 8 * MB + 4095) & ~4095ul;
	void *m = mmap((void *)at, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("%-48s %s\n", "mmap a page 8 MiB above the break",
	       m == (void *)at ? "ok" : m == MAP_FAILED ? hg_errname(errno) : "elsewhere");
	try_brk("brk up to that page", (long)(at - cur));
	try_brk("brk over that page", (long)(at - cur) + 16 * MB);
	try_brk("brk to 2 pages below it", (long)(at - cur) - 8192);
	munmap(m, 4096);
	try_brk("brk over where it was, once unmapped", (long)(at - cur) + 16 * MB);
	brk_raw(cur);
	try_brk("brk + 512 MiB", 512 * MB);
	try_brk("brk back to the start", start - brk_raw(0));
	printf("%-48s %s\n", "the break is back at the start", brk_raw(0) == start ? "yes" : "no");
	return 0;
}
