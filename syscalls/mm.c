/* The mmap family and brk. Guest mappings are host mappings at the same address, each one
 * recorded in the_process.mm (mm_add/mm_remove/mm_protect also drop decoded blocks).
 *
 * What the guest owns: the regions of the memory map (its break included). Anything else
 * mapped in the host process is sfdemu's (its image, heap, stacks, libraries); the guest must
 * not change it:
 *   - MAP_FIXED / MAP_FIXED_NOREPLACE / MREMAP_FIXED over it: -ENOMEM and a notice.
 *   - mprotect of memory the guest does not own: -ENOMEM, Linux's answer for unmapped memory
 *     (the guest's mapped run before it changes, as on Linux).
 *   - munmap: only the guest's pieces are unmapped; the rest is, for the guest, unmapped
 *     already, so the call succeeds as on Linux (a notice says what was left alone).
 *   - madvise: applied to the guest's pieces; -ENOMEM if some of the range is not the guest's,
 *     as Linux answers for a range with holes.
 * The break is mapped and unmapped as Linux's brk() does it, with nothing reserved for it
 * (loader/elf_map.c says why sfdemu's own memory stays out of its way).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "sys_impl.h"
#include "../emu/block.h"
#include "../emu/host_alloc.h"

#define PAGE 4096ull
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define TASK_SIZE 0x7ffffffff000ull
#define PROT_SEM 0x8
#define STACK_GUARD_GAP (256 * PAGE)   /* the kernel's stack_guard_gap */

static struct mm *gmm(void) { return &the_process.mm; }

/* Whether some page of [s, e) is in the memory map. */
static bool mm_intersects(uint64_t s, uint64_t e)
{
	const struct mm *mm = gmm();
	for (size_t i = 0; i < mm->count; i++)
		if (mm->regions[i].start < e && mm->regions[i].end > s)
			return true;
	return false;
}

/* The end of the guest-owned run starting at a (a itself when a is not the guest's). */
static uint64_t owned_run_end(uint64_t a, uint64_t e)
{
	while (a < e) {
		const struct mm_region *r = mm_find(gmm(), a);
		if (!r)
			break;
		a = r->end;
	}
	return a;
}

/* Whether [s, e) holds host memory that is not the guest's. Each gap the guest does not own
 * is probed with a PROT_NONE mapping that replaces nothing (MAP_FIXED_NOREPLACE): EEXIST
 * means something of sfdemu's is there; a probe that succeeds is taken back at once. Other
 * errors (the range is beyond the address space) mean nothing of sfdemu's can be there. No
 * file is read, so a guest that has used up its descriptors cannot blind this check. */
static bool foreign_mapped(uint64_t s, uint64_t e)
{
	for (uint64_t a = owned_run_end(s, e); a < e; a = owned_run_end(a, e)) {
		uint64_t next = e;
		for (size_t i = 0; i < gmm()->count; i++)
			if (gmm()->regions[i].start > a && gmm()->regions[i].start < next)
				next = gmm()->regions[i].start;
		long p = host_syscall(SYS_mmap, (long)a, (long)(next - a), PROT_NONE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
				      -1, 0);
		if (p == -EEXIST)
			return true;
		if (p >= 0 || p < -4095) {
			host_syscall2(SYS_munmap, p, next - a);
			if ((uint64_t)p != a)   /* a kernel that takes NOREPLACE as a hint */
				return true;
		}
		a = next;
	}
	return false;
}

/* The guest's own mappings are made under the limit it set: never while sfdemu has raised
 * RLIMIT_AS for one of its own allocations (emu/host_alloc.c). */
static long host_mmap(uint64_t a, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	ha_guest_lock();
	long r = host_syscall(SYS_mmap, (long)a, (long)len, prot, flags, fd, (long)off);
	ha_guest_unlock();
	return r;
}

/* Unmap the guest's pieces of [s, e) and forget them; the rest is left alone. */
static void unmap_guest(uint64_t s, uint64_t e)
{
	const struct mm *mm = gmm();
	for (size_t i = 0; i < mm->count; i++) {
		const struct mm_region *r = &mm->regions[i];
		if (r->end <= s || r->start >= e)
			continue;
		uint64_t ps = r->start > s ? r->start : s, pe = r->end < e ? r->end : e;
		host_syscall2(SYS_munmap, ps, pe - ps);
	}
	mm_remove(gmm(), s, e - s);
}

static long do_mmap(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t addr = (uint64_t)a0, len = (uint64_t)a1;
	int prot = (int)a2, flags = (int)a3;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed && !(addr & (PAGE - 1)) && len && PAGE_UP(len) && addr + PAGE_UP(len) > addr) {
		uint64_t e = addr + PAGE_UP(len);
		if (foreign_mapped(addr, e)) {
			/* The kernel's own checks come first: the same call that replaces
			 * nothing fails as natively, or meets sfdemu's memory (EEXIST). */
			long probe = host_mmap(addr, len, prot,
					       (flags & ~MAP_FIXED) | MAP_FIXED_NOREPLACE,
					       (int)a4, (uint64_t)a5);
			if (probe < 0 && probe > -4096 && probe != -EEXIST)
				return probe;
			if (probe >= 0 || probe <= -4096)
				host_syscall2(SYS_munmap, probe, len);
			strace_notice("mmap: MAP_FIXED over sfdemu's memory at 0x%llx-0x%llx refused "
				      "(-ENOMEM)", (unsigned long long)addr, (unsigned long long)e);
			return -ENOMEM;
		}
	}
	long ret = host_mmap(addr, len, prot, flags, (int)a4, (uint64_t)a5);
	if (ret < 0 && ret > -4096)
		return ret;
	mm_add(gmm(), (uint64_t)ret, len, prot, (int)a3);
	return ret;
}

static long do_munmap(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t s = (uint64_t)a0, len = PAGE_UP((uint64_t)a1);
	if ((s & (PAGE - 1)) || s > TASK_SIZE || (uint64_t)a1 > TASK_SIZE - s || len == 0)
		return -EINVAL;
	uint64_t e = s + len;
	if (foreign_mapped(s, e))
		strace_notice("munmap: sfdemu's memory in 0x%llx-0x%llx left mapped",
			      (unsigned long long)s, (unsigned long long)e);
	unmap_guest(s, e);
	return 0;
}

static long do_mprotect(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t s = (uint64_t)a0, len = PAGE_UP((uint64_t)a1);
	if ((a2 & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;   /* checked first by the kernel */
	if (s & (PAGE - 1))
		return -EINVAL;
	if (a1 == 0)
		return 0;
	uint64_t e = s + len;
	if (e <= s)
		return -ENOMEM;
	if (a2 & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	/* As Linux: the mapped run from the start changes, then a hole gives ENOMEM. */
	uint64_t run = mm_accessible(gmm(), s, len, 0);
	if (run < len && foreign_mapped(s + run, e))
		strace_notice("mprotect: 0x%llx-0x%llx is not the guest's memory (-ENOMEM)",
			      (unsigned long long)(s + run), (unsigned long long)e);
	if (run == 0)
		return -ENOMEM;
	long ret = host_syscall3(SYS_mprotect, s, run, a2);
	if (ret == 0)
		mm_protect(gmm(), s, run, (int)a2 & (PROT_READ | PROT_WRITE | PROT_EXEC));
	return ret ? ret : run < len ? -ENOMEM : 0;
}

static long do_madvise(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t s = (uint64_t)a0, len = PAGE_UP((uint64_t)a1);
	/* The kernel checks the advice first: a zero-length call tells whether it knows it. */
	if (host_syscall3(SYS_madvise, 0, 0, a2) == -EINVAL)
		return -EINVAL;
	if ((s & (PAGE - 1)) || (a1 && !len))
		return -EINVAL;
	uint64_t e = s + len;
	if (e < s)
		return -EINVAL;
	if (e == s)
		return 0;
	long ret = 0;
	bool hole = false;
	for (uint64_t a = s; a < e && ret == 0; ) {
		const struct mm_region *r = mm_find(gmm(), a);
		if (!r) {
			/* Not the guest's: skip to the next region, if any. */
			hole = true;
			uint64_t next = e;
			for (size_t i = 0; i < gmm()->count; i++)
				if (gmm()->regions[i].start > a && gmm()->regions[i].start < next)
					next = gmm()->regions[i].start;
			a = next;
			continue;
		}
		uint64_t pe = r->end < e ? r->end : e;
		ret = host_syscall3(SYS_madvise, a, pe - a, a2);
		a = pe;
	}
	if (a2 == MADV_DONTNEED || a2 == MADV_FREE || a2 == MADV_REMOVE)
		blk_invalidate(s, e);
	if (ret == 0 && hole && foreign_mapped(s, e))
		strace_notice("madvise: sfdemu's memory in 0x%llx-0x%llx left alone",
			      (unsigned long long)s, (unsigned long long)e);
	return ret ? ret : hole ? -ENOMEM : 0;
}

static long do_mremap(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t old = (uint64_t)a0, old_len = PAGE_UP((uint64_t)a1);
	uint64_t new_len = PAGE_UP((uint64_t)a2), new_addr = (uint64_t)a4;
	int flags = (int)a3;
	if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) ||
	    ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE)) ||
	    (old & (PAGE - 1)) || !new_len)
		return -EINVAL;
	const struct mm_region *r = mm_find(gmm(), old);
	if (!r || (old_len && !guest_owned(old, old_len)))
		return -EFAULT;
	if ((flags & MREMAP_FIXED) && !(new_addr & (PAGE - 1)) && new_len &&
	    new_addr + new_len > new_addr && foreign_mapped(new_addr, new_addr + new_len)) {
		strace_notice("mremap: MREMAP_FIXED over sfdemu's memory at 0x%llx refused (-ENOMEM)",
			      (unsigned long long)new_addr);
		return -ENOMEM;
	}
	int prot = r ? r->prot : 0, mflags = r ? r->flags : 0;
	ha_guest_lock();
	long ret = host_syscall(SYS_mremap, a0, a1, a2, a3, a4, 0);
	ha_guest_unlock();
	if (ret < 0 && ret > -4096)
		return ret;
	uint64_t n = (uint64_t)ret;
	if (flags & MREMAP_DONTUNMAP) {
		blk_invalidate(old, old + old_len);
	} else if (old_len) {
		mm_remove(gmm(), old, old_len);
	}
	mm_add(gmm(), n, new_len, prot, mflags);
	return ret;
}

/* check_data_rlimit(): the break's size plus the main program's data within RLIMIT_DATA. */
static bool brk_data_ok(const struct mm *mm, uint64_t brk)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_DATA, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return true;
	return (brk - mm->brk_start) + (mm->end_data - mm->start_data) <= rl.rlim_cur;
}

/* Whether the break may grow from oldp to newp: the next guest mapping above oldp starts
 * at least a page above newp (a MAP_GROWSDOWN one, its stack guard gap below it too: the
 * kernel's vm_start_gap()), and that page is not sfdemu's either. sfdemu's memory inside
 * [oldp, newp) the mapping itself refuses. */
static bool brk_room(uint64_t oldp, uint64_t newp)
{
	if (newp > TASK_SIZE)
		return false;
	const struct mm *mm = gmm();
	for (size_t i = 0; i < mm->count; i++) {   /* sorted: the first above oldp decides */
		const struct mm_region *r = &mm->regions[i];
		if (r->end <= oldp)
			continue;
		uint64_t gap = r->flags & MAP_GROWSDOWN ? STACK_GUARD_GAP : 0;
		if (newp + PAGE > (r->start > gap ? r->start - gap : 0))
			return false;
		break;
	}
	return !foreign_mapped(newp, newp + PAGE);
}

/* The guest's break, as mm/mmap.c's brk(): below the start (brk(0) too), over RLIMIT_DATA
 * (checked first, so even a shrink can be refused) or on failure the current break comes
 * back. Shrinking unmaps what lies between the page-aligned new and old breaks (refused if
 * nothing does, as 6.x kernels do); growing maps fresh pages at the old page-aligned break
 * with MAP_FIXED_NOREPLACE, so the host kernel applies RLIMIT_AS and RLIMIT_DATA and refuses
 * anything in the way. */
static long do_brk(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct mm *mm = gmm();
	uint64_t want = (uint64_t)a0, cur = mm->brk_cur;
	if (want < mm->brk_start || !brk_data_ok(mm, want))
		return (long)cur;
	uint64_t newp = PAGE_UP(want), oldp = PAGE_UP(cur);
	if (newp == oldp) {
		/* nothing to map or unmap */
	} else if (want <= cur) {
		if (!mm_intersects(newp, oldp))
			return (long)cur;
		unmap_guest(newp, oldp);
	} else {
		if (newp < want || !brk_room(oldp, newp))
			return (long)cur;
		long p = host_mmap(oldp, newp - oldp, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != (long)oldp) {
			if (p >= 0 || p < -4095)   /* a kernel that takes NOREPLACE as a hint */
				host_syscall2(SYS_munmap, p, newp - oldp);
			return (long)cur;
		}
		mm_add(mm, oldp, newp - oldp, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	}
	mm->brk_cur = want;
	return (long)want;
}

/* Each call changes the memory map as a whole, under its lock (emu/process.h). */
#define MM_LOCKED(name)                                                                   \
	long sys_##name(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5) \
	{                                                                                 \
		proc_mm_wrlock();                                                         \
		long r = do_##name(t, a0, a1, a2, a3, a4, a5);                            \
		proc_mm_wrunlock();                                                       \
		return r;                                                                 \
	}
MM_LOCKED(mmap)
MM_LOCKED(munmap)
MM_LOCKED(mprotect)
MM_LOCKED(madvise)
MM_LOCKED(mremap)
MM_LOCKED(brk)

/* The resource limits as the host has them, but RLIMIT_AS as the guest set it: sfdemu may
 * raise it for a moment for its own memory, and keeps it higher by what it obtained so
 * (emu/host_alloc.c). `old` is where the kernel writes the limit read, `sets` whether the call
 * sets one. */
static long limit_call(long nr, long a0, long a1, long a2, long a3, int resource, bool sets,
		       uint64_t old)
{
	ha_guest_lock();
	unsigned long extra = resource == RLIMIT_AS ? ha_as_extra() : 0;
	long r = host_syscall(nr, a0, a1, a2, a3, 0, 0);
	if (r == -EFAULT && blk_unprotect_all())
		r = host_syscall(nr, a0, a1, a2, a3, 0, 0);
	if (r == 0 && extra && old) {
		/* Written by the kernel just now: mapped and writable. */
		struct rlimit *o = (struct rlimit *)(uintptr_t)old;
		if (o->rlim_cur != RLIM_INFINITY)
			o->rlim_cur -= extra;
	}
	if (r == 0 && sets && resource == RLIMIT_AS)
		ha_guest_set_limit();
	ha_guest_unlock();
	return r;
}

long sys_getrlimit(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return limit_call(SYS_getrlimit, a0, a1, 0, 0, (int)a0, false, (uint64_t)a1);
}

long sys_setrlimit(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return limit_call(SYS_setrlimit, a0, a1, 0, 0, (int)a0, true, 0);
}

long sys_prlimit64(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	bool self = a0 == 0 || a0 == (long)getpid();
	return limit_call(SYS_prlimit64, a0, a1, a2, a3, self ? (int)a1 : -1, a2 != 0,
			  (uint64_t)a3);
}
