/* nomem: run out of memory. Mappings too large for the address space; then RLIMIT_AS and
 * RLIMIT_DATA lowered to what the process uses now plus a margin, and mmap and mremap pushed
 * past it; then the limits raised again and the same calls succeed. The limits are set from
 * /proc/self/status, so under sfdemu (whose own memory is part of the process) the guest gets
 * the same margin as natively. (brk under these limits: tests/exhaust/brk.c.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../hostile/hguest.h"

#define MB (1ul << 20)

static void say(const char *what, long ret)
{
	printf("%-44s %s\n", what, hg_result(ret, 0));
}

static long map(size_t len, int prot)
{
	return hg_syscall(SYS_mmap, 0, (long)len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Map, then unmap at once; the result of the mmap. */
static long try_map(size_t len, int prot)
{
	long p = map(len, prot);
	if (p >= 0 || p < -4095)
		munmap((void *)p, len);
	return p >= 0 || p < -4095 ? 0 : p;
}

/* brk(cur + delta): "grew" or "unchanged", as the raw syscall reports it. */
static const char *brk_by(long delta)
{
	long cur = hg_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
	long got = hg_syscall(SYS_brk, cur + delta, 0, 0, 0, 0, 0);
	if (got == cur + delta) {
		hg_syscall(SYS_brk, cur, 0, 0, 0, 0, 0);
		return "grew";
	}
	return got == cur ? "unchanged" : "other";
}

static void too_large(void)
{
	say("mmap 128 TiB", try_map(1ul << 47, PROT_READ));
	say("mmap 2^64 - 4 KiB", try_map(~0ul & ~4095ul, PROT_READ));
	say("mmap the whole user address space", try_map(0x7ffffffff000ul, PROT_READ));
	long p = map(4096, PROT_READ | PROT_WRITE);
	say("mremap 4 KiB to 128 TiB", hg_syscall(SYS_mremap, p, 4096, 1l << 47, MREMAP_MAYMOVE, 0, 0));
	munmap((void *)p, 4096);
	printf("%-44s %s\n", "brk + 128 TiB", brk_by(1l << 47));
	printf("%-44s %s\n", "brk - 1 GiB", brk_by(-(1l << 30)));
	say("malloc 64 TiB", malloc(1ul << 46) ? 0 : -ENOMEM);
}

static void limit_as(void)
{
	struct rlimit old;
	say("setrlimit RLIMIT_AS to VmSize + 64 MiB",
	    hg_limit_above_use(RLIMIT_AS, "VmSize", 64 * MB, &old));
	say("mmap 16 MiB", try_map(16 * MB, PROT_READ | PROT_WRITE));
	say("mmap 128 MiB", try_map(128 * MB, PROT_READ | PROT_WRITE));
	say("mmap 128 MiB PROT_NONE", try_map(128 * MB, PROT_NONE));
	long p = map(4096, PROT_READ | PROT_WRITE);
	say("mremap 4 KiB to 16 MiB", hg_syscall(SYS_mremap, p, 4096, 16 * MB, MREMAP_MAYMOVE, 0, 0) < 0
						? -ENOMEM : 0);
	p = map(4096, PROT_READ | PROT_WRITE);
	say("mremap 4 KiB to 128 MiB", hg_syscall(SYS_mremap, p, 4096, 128 * MB, MREMAP_MAYMOVE, 0, 0));
	munmap((void *)p, 4096);
	say("setrlimit RLIMIT_AS back", setrlimit(RLIMIT_AS, &old) ? -errno : 0);
	say("mmap 128 MiB", try_map(128 * MB, PROT_READ | PROT_WRITE));
}

static void limit_data(void)
{
	struct rlimit old;
	say("setrlimit RLIMIT_DATA to VmData + 32 MiB",
	    hg_limit_above_use(RLIMIT_DATA, "VmData", 32 * MB, &old));
	say("mmap 16 MiB read-write", try_map(16 * MB, PROT_READ | PROT_WRITE));
	say("mmap 64 MiB read-write", try_map(64 * MB, PROT_READ | PROT_WRITE));
	say("mmap 64 MiB read-only", try_map(64 * MB, PROT_READ));
	say("setrlimit RLIMIT_DATA back", setrlimit(RLIMIT_DATA, &old) ? -errno : 0);
	say("mmap 64 MiB read-write", try_map(64 * MB, PROT_READ | PROT_WRITE));
}

int main(void)
{
	too_large();
	limit_as();
	limit_data();
	return 0;
}
