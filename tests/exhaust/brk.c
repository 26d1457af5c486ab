/* brk: the break refused. brk(0), below the start, absurd sizes, shrinking, growth stopped
 * by a mapping placed above the break and resumed once it is gone, memory written through
 * the break, growth well past 1 GiB (1.2 GiB: a static program's break has room for that
 * under sfdemu too, below sfdemu's image at 0x60000000), and RLIMIT_DATA and RLIMIT_AS
 * refusing growth and allowing it again once raised, as Linux's brk() answers them (the raw
 * syscall: the new break on success, the old one on failure). The limits are set from
 * /proc/self/status as tests/exhaust/nomem.c sets them, so under sfdemu (whose own memory
 * is part of the process) the guest gets the same margin as natively. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

/* The limit set to the status line plus a margin: growth within the margin moves the break,
 * growth past it is refused, and with the limit back the same growth moves it. */
static void under_limit(const char *name, int resource, const char *key, unsigned long margin)
{
	struct rlimit old;
	char what[64];
	long start = brk_raw(0);
	snprintf(what, sizeof what, "setrlimit %s to %s + %lu MiB", name, key, margin / MB);
	printf("%-48s %s\n", what, hg_result(hg_limit_above_use(resource, key, margin, &old), 0));
	try_brk("brk + margin / 2", (long)margin / 2);
	try_brk("brk + 2 * margin", 2 * (long)margin);
	try_brk("brk + 1 GiB", 1l << 30);
	try_brk("brk back to where it was", start - brk_raw(0));
	snprintf(what, sizeof what, "setrlimit %s back", name);
	printf("%-48s %s\n", what, setrlimit(resource, &old) ? hg_errname(errno) : "ok");
	try_brk("brk + 2 * margin", 2 * (long)margin);
	try_brk("brk back to where it was", start - brk_raw(0));
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

	/* Well past 1 GiB; the last page is memory. */
	cur = brk_raw(0);
	long big = 1228 * MB;
	try_brk("brk + 1.2 GiB", big);
	if (brk_raw(0) == cur + big) {
		*(volatile char *)(cur + big - 1) = 1;
		printf("%-48s %s\n", "its last byte written", "yes");
	}
	try_brk("brk back to the start", start - brk_raw(0));

	under_limit("RLIMIT_DATA", RLIMIT_DATA, "VmData", 32 * MB);
	under_limit("RLIMIT_AS", RLIMIT_AS, "VmSize", 64 * MB);

	/* RLIMIT_DATA (the break's size plus the program's data) is checked before anything
	 * else: a shrink that leaves the break over it is refused too. */
	cur = brk_raw(0);
	try_brk("brk + 256 MiB", 256 * MB);
	struct rlimit old, rl;
	getrlimit(RLIMIT_DATA, &old);
	rl = (struct rlimit){ 128 * MB, old.rlim_max };
	printf("%-48s %s\n", "setrlimit RLIMIT_DATA to 128 MiB",
	       setrlimit(RLIMIT_DATA, &rl) ? hg_errname(errno) : "ok");
	try_brk("brk - 16 MiB", -16 * MB);
	try_brk("brk back to where it was", cur - brk_raw(0));
	printf("%-48s %s\n", "setrlimit RLIMIT_DATA back",
	       setrlimit(RLIMIT_DATA, &old) ? hg_errname(errno) : "ok");
	printf("%-48s %s\n", "the break is back at the start", brk_raw(0) == start ? "yes" : "no");
	return 0;
}
