/* Copies between guest memory and sfdemu's for emulated syscalls. Guest addresses are host
 * addresses, so a copy is a memcpy once the memory map says the whole range is the guest's
 * with the needed protection; otherwise the call fails with EFAULT as the kernel's
 * copy_{from,to}_user would, and sfdemu never touches its own memory on the guest's behalf.
 * The check and the copy hold the memory map lock (read), so no other thread can unmap the
 * range in between. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "sys_impl.h"
#include "../emu/block.h"

#define PAGE 4096ull

bool guest_owned(uint64_t addr, uint64_t len)
{
	if (addr + len < addr)
		return false;
	proc_mm_rdlock();
	bool ok = mm_accessible(&the_process.mm, addr, len, 0) == len;
	proc_mm_rdunlock();
	return ok;
}

int guest_read(void *dst, uint64_t src, size_t n)
{
	if (n == 0)
		return 0;
	proc_mm_rdlock();
	if (src + n < src || mm_accessible(&the_process.mm, src, n, PROT_READ) != n) {
		proc_mm_rdunlock();
		return -EFAULT;
	}
	memcpy(dst, gptr(src), n);
	proc_mm_rdunlock();
	return 0;
}

/* Writing into a page that holds decoded code drops its blocks, as a guest store would. */
static void guest_wrote(uint64_t dst, size_t n)
{
	for (uint64_t p = dst & ~(PAGE - 1); p < dst + n; ) {
		const struct mm_region *r = mm_find(&the_process.mm, p);
		if (!r)
			break;
		if (r->prot & PROT_EXEC) {
			uint64_t e = r->end < dst + n ? r->end : dst + n;
			blk_invalidate(p, e);
		}
		p = r->end;
	}
}

int guest_write(uint64_t dst, const void *src, size_t n)
{
	if (n == 0)
		return 0;
	proc_mm_rdlock();
	if (dst + n < dst || mm_accessible(&the_process.mm, dst, n, PROT_WRITE) != n) {
		proc_mm_rdunlock();
		return -EFAULT;
	}
	memcpy(gptr(dst), src, n);
	guest_wrote(dst, n);
	proc_mm_rdunlock();
	return 0;
}

static long strncpy_locked(char *dst, uint64_t src, size_t max);

long guest_strncpy(char *dst, uint64_t src, size_t max)
{
	proc_mm_rdlock();
	long r = strncpy_locked(dst, src, max);
	proc_mm_rdunlock();
	return r;
}

static long strncpy_locked(char *dst, uint64_t src, size_t max)
{
	size_t done = 0;
	while (done < max) {
		uint64_t at = src + done;
		uint64_t chunk = PAGE - (at & (PAGE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (at < src || mm_accessible(&the_process.mm, at, chunk, PROT_READ) != chunk)
			return -EFAULT;
		const char *p = gptr(at);
		const char *nul = memchr(p, 0, chunk);
		if (nul) {
			size_t len = done + (size_t)(nul - p);
			memcpy(dst + done, p, (size_t)(nul - p) + 1);
			return (long)len;
		}
		memcpy(dst + done, p, chunk);
		done += chunk;
	}
	return -ENAMETOOLONG;
}
