/* Mapping a validated image into sfdemu's address space, where the guest's addresses are our
 * own. Address space is reserved first with PROT_NONE mappings that never replace anything
 * (MAP_FIXED_NOREPLACE): an ET_EXEC's own pages at their addresses, an ET_DYN's whole span at
 * a hinted or kernel-chosen address. The segments are then mapped MAP_FIXED inside, so a guest
 * image can never land on sfdemu's own code, heap or stacks. Segment by segment this follows
 * the kernel's elf_load(): the file part with the segment's protection, the rest of the last
 * file page zeroed when writable, anonymous read-write pages for the remaining bss; holes
 * between an ET_DYN's segments are unmapped, as the kernel leaves them.
 *
 * Nothing is reserved for the guest's break: like Linux's, it grows from the end of the main
 * program until it meets another mapping (syscalls/mm.c). It has room because sfdemu's own
 * mappings are made top-down from the mmap base, and sfdemu's image (with its heap after it)
 * is at 0x60000000 (the Makefile's -Ttext-segment): a static non-PIE guest's break from
 * 0x400000 on can grow about 1.5 GiB, a main ET_DYN's from ELF_ET_DYN_BASE up to the mmap
 * area. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "loader_internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Address-space randomisation as the kernel decides it: off under `setarch -R` (the
 * ADDR_NO_RANDOMIZE personality) or with kernel.randomize_va_space = 0. */
bool ldr_randomize(void)
{
	static int cached = -1;
	if (cached >= 0)
		return cached;
	int pers = personality(0xffffffff);
	cached = !(pers != -1 && (pers & ADDR_NO_RANDOMIZE));
	FILE *fp = fopen("/proc/sys/kernel/randomize_va_space", "re");
	if (fp) {
		int v = 2;
		if (fscanf(fp, "%d", &v) == 1 && v == 0)
			cached = 0;
		fclose(fp);
	}
	return cached;
}

uint64_t ldr_random64(void)
{
	uint64_t v;
	if (getrandom(&v, sizeof(v), 0) == (ssize_t)sizeof(v))
		return v;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32 ^ (uint64_t)&ts;
	return v;
}

/* Without memory for the record a mapping is kept on failure: the process exits anyway. */
void ldr_undo_add(struct ldr_undo *undo, uint64_t start, uint64_t len)
{
	if (undo->n == undo->cap) {
		int cap = undo->cap ? undo->cap * 2 : 8;
		struct ldr_range *r = realloc(undo->r, (size_t)cap * sizeof(*r));
		if (!r)
			return;
		undo->r = r;
		undo->cap = cap;
	}
	undo->r[undo->n].start = start;
	undo->r[undo->n].len = len;
	undo->n++;
}

void ldr_undo_all(struct ldr_undo *undo, struct mm *mm)
{
	while (undo->n > 0) {
		undo->n--;
		munmap((void *)undo->r[undo->n].start, undo->r[undo->n].len);
		mm_remove(mm, undo->r[undo->n].start, undo->r[undo->n].len);
	}
	ldr_undo_free(undo);
}

void ldr_undo_free(struct ldr_undo *undo)
{
	free(undo->r);
	memset(undo, 0, sizeof(*undo));
}

/* A PROT_NONE reservation of len bytes exactly at addr, never replacing a mapping.
 * Kernels before 4.17 take MAP_FIXED_NOREPLACE as a hint: check the address. */
static bool ldr_reserve_at(uint64_t addr, uint64_t len)
{
	void *p = mmap((void *)addr, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	if ((uint64_t)p != addr) {
		munmap(p, len);
		errno = EEXIST;
		return false;
	}
	return true;
}

/* A PROT_NONE reservation wherever the kernel likes, aligned to `align` (a power of two). */
static uint64_t ldr_reserve_anywhere(uint64_t len, uint64_t align)
{
	uint64_t extra = align > LDR_PAGE ? align - LDR_PAGE : 0;
	if (len + extra < len)
		return 0;
	void *p = mmap(NULL, len + extra, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	uint64_t a = (uint64_t)p, aligned = (a + align - 1) & ~(align - 1);
	if (aligned > a)
		munmap(p, aligned - a);
	if (a + len + extra > aligned + len)
		munmap((void *)(aligned + len), a + len + extra - (aligned + len));
	return aligned;
}

/* The largest power-of-two p_align of the PT_LOADs, at least a page (the kernel's
 * maximum_alignment); absurd values from a damaged file are ignored. */
static uint64_t ldr_max_align(const struct ldr_file *f)
{
	uint64_t align = LDR_PAGE;
	for (int i = 0; i < f->eh.e_phnum; i++) {
		uint64_t a = f->ph[i].p_align;
		if (f->ph[i].p_type == PT_LOAD && a > align && (a & (a - 1)) == 0 &&
		    a <= (1ull << 30))
			align = a;
	}
	return align;
}

/* Where an ET_DYN image goes. The main program: ELF_ET_DYN_BASE plus the kernel's mmap
 * randomisation (28 bits of pages), falling back to a kernel-chosen address when that range
 * is taken. An interpreter: where the kernel likes. */
static uint64_t ldr_place_dyn(uint64_t len, uint64_t align, bool main_prog)
{
	if (main_prog) {
		bool rnd = ldr_randomize();
		for (int tries = 0; tries < (rnd ? 8 : 1); tries++) {
			uint64_t base = LDR_ET_DYN_BASE;
			if (rnd)
				base += (ldr_random64() & ((1ull << 28) - 1)) * LDR_PAGE;
			base &= ~(align - 1);
			if (base + len > base && base + len <= LDR_TASK_SIZE && ldr_reserve_at(base, len))
				return base;
		}
	}
	return ldr_reserve_anywhere(len, align);
}

/* One PT_LOAD, as the kernel's elf_load(). */
static int ldr_map_segment(struct ldr_file *f, int i, uint64_t bias, struct mm *mm)
{
	const Elf64_Phdr *p = &f->ph[i];
	int prot = (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
		   (p->p_flags & PF_X ? PROT_EXEC : 0);
	uint64_t vaddr = p->p_vaddr + bias, zero_start, zero_end = vaddr + p->p_memsz;
	if (p->p_filesz) {
		uint64_t start = LDR_PAGESTART(vaddr);
		uint64_t len = LDR_PAGEALIGN(LDR_PAGEOFF(vaddr) + p->p_filesz);
		uint64_t off = p->p_offset - LDR_PAGEOFF(vaddr);
		void *m = mmap((void *)start, len, prot, MAP_PRIVATE | MAP_FIXED, f->fd, (off_t)off);
		if (m == MAP_FAILED)
			return ldr_fail(f->label, 126, "cannot map segment %d at 0x%llx: %s", i,
					(unsigned long long)start, strerror(errno));
		mm_add(mm, start, len, prot, MAP_PRIVATE);
		zero_start = vaddr + p->p_filesz;
		/* The rest of the last file page is file data that is not the segment's: zero it
		 * if the segment is writable (the kernel's padzero fails silently otherwise). */
		if (p->p_memsz > p->p_filesz && (prot & PROT_WRITE) && LDR_PAGEOFF(zero_start))
			memset((void *)zero_start, 0, LDR_PAGE - LDR_PAGEOFF(zero_start));
	} else {
		zero_start = LDR_PAGESTART(vaddr);
	}
	if (p->p_memsz > p->p_filesz) {
		uint64_t zs = LDR_PAGEALIGN(zero_start), ze = LDR_PAGEALIGN(zero_end);
		/* vm_brk_flags(): read-write anonymous pages, executable if the segment is. */
		int bss_prot = PROT_READ | PROT_WRITE | (prot & PROT_EXEC);
		if (ze > zs) {
			void *m = mmap((void *)zs, ze - zs, bss_prot,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			if (m == MAP_FAILED)
				return ldr_fail(f->label, 126, "cannot map the bss of segment %d: %s",
						i, strerror(errno));
			mm_add(mm, zs, ze - zs, bss_prot, MAP_PRIVATE | MAP_ANONYMOUS);
		}
	}
	return 0;
}

/* Unmap the parts of [lo, hi) that no segment covers, as the kernel leaves them unmapped. */
static void ldr_unmap_holes(const struct ldr_file *f, uint64_t bias, uint64_t lo, uint64_t hi)
{
	uint64_t covered = lo;
	for (int i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		uint64_t s = LDR_PAGESTART(p->p_vaddr + bias);
		uint64_t e = LDR_PAGEALIGN(p->p_vaddr + p->p_memsz + bias);
		if (s > covered)
			munmap((void *)covered, s - covered);
		if (e > covered)
			covered = e;
	}
	if (hi > covered)
		munmap((void *)covered, hi - covered);
}

/* AT_PHDR: the kernel's rule, the PT_LOAD whose file range holds e_phoff; else PT_PHDR. */
static uint64_t ldr_phdr_addr(const struct ldr_file *f)
{
	const Elf64_Ehdr *e = &f->eh;
	for (int i = 0; i < e->e_phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		if (p->p_type == PT_LOAD && p->p_offset <= e->e_phoff &&
		    e->e_phoff - p->p_offset < p->p_filesz)
			return e->e_phoff - p->p_offset + p->p_vaddr;
	}
	for (int i = 0; i < e->e_phnum; i++)
		if (f->ph[i].p_type == PT_PHDR)
			return f->ph[i].p_vaddr;
	return 0;
}

static int ldr_range_taken(struct ldr_file *f, uint64_t s, uint64_t e)
{
	if (errno == EEXIST)
		return ldr_fail(f->label, 126, "cannot load at 0x%llx-0x%llx: the range is in use by "
				"sfdemu", (unsigned long long)s, (unsigned long long)e);
	return ldr_fail(f->label, 126, "cannot load at 0x%llx-0x%llx: %s", (unsigned long long)s,
			(unsigned long long)e, strerror(errno));
}

/* ET_EXEC: reserve the pages of each run of PT_LOADs that share or touch pages, at their own
 * addresses. What lies between runs is not the guest's and stays as it is. */
static int ldr_reserve_exec(struct ldr_file *f, struct ldr_undo *undo)
{
	uint64_t s = 0, e = 0;
	for (int i = 0; i <= f->eh.e_phnum; i++) {
		const Elf64_Phdr *p = i < f->eh.e_phnum ? &f->ph[i] : NULL;
		if (p && (p->p_type != PT_LOAD || p->p_memsz == 0))
			continue;
		uint64_t ps = p ? LDR_PAGESTART(p->p_vaddr) : 0;
		uint64_t pe = p ? LDR_PAGEALIGN(p->p_vaddr + p->p_memsz) : 0;
		if (p && e && ps <= e) {   /* ascending, so this run goes on */
			if (pe > e)
				e = pe;
			continue;
		}
		if (e) {
			if (!ldr_reserve_at(s, e - s))
				return ldr_range_taken(f, s, e);
			ldr_undo_add(undo, s, e - s);
		}
		s = ps;
		e = pe;
	}
	return 0;
}

/* ET_DYN: reserve the whole span; sets the bias. */
static int ldr_reserve_dyn(struct ldr_file *f, uint64_t lo, uint64_t span, bool main_prog,
			   uint64_t *bias, struct ldr_undo *undo)
{
	uint64_t base = ldr_place_dyn(span, ldr_max_align(f), main_prog);
	if (!base)
		return ldr_fail(f->label, 126, "no room for 0x%llx bytes: %s",
				(unsigned long long)span, strerror(errno));
	ldr_undo_add(undo, base, span);
	*bias = base - lo;
	return 0;
}

/* The kernel's start_data and end_data (load_elf_binary()): the highest p_vaddr of the
 * PT_LOADs and the highest p_vaddr + p_filesz, whatever their flags. */
static void ldr_data_bounds(const struct ldr_file *f, uint64_t bias, struct ldr_mapped *out)
{
	uint64_t start = 0, end = 0;
	for (int i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_vaddr > start)
			start = p->p_vaddr;
		if (p->p_vaddr + p->p_filesz > end)
			end = p->p_vaddr + p->p_filesz;
	}
	out->start_data = start + bias;
	out->end_data = end + bias;
}

int ldr_map(struct ldr_file *f, struct mm *mm, bool main_prog, struct ldr_mapped *out,
	    struct ldr_undo *undo)
{
	uint64_t lo = UINT64_MAX, hi = 0, bias = 0;
	for (int i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		if (LDR_PAGESTART(p->p_vaddr) < lo)
			lo = LDR_PAGESTART(p->p_vaddr);
		if (LDR_PAGEALIGN(p->p_vaddr + p->p_memsz) > hi)
			hi = LDR_PAGEALIGN(p->p_vaddr + p->p_memsz);
	}
	if (hi <= lo)
		return ldr_fail(f->label, 126, "loadable segments are empty");
	bool dyn = f->eh.e_type == ET_DYN;
	int rc = dyn ? ldr_reserve_dyn(f, lo, hi - lo, main_prog, &bias, undo)
		     : ldr_reserve_exec(f, undo);
	if (rc)
		return rc;
	for (int i = 0; i < f->eh.e_phnum; i++)
		if (f->ph[i].p_type == PT_LOAD && f->ph[i].p_memsz &&
		    (rc = ldr_map_segment(f, i, bias, mm)))
			return rc;
	if (dyn)
		ldr_unmap_holes(f, bias, lo + bias, hi + bias);
	out->bias = bias;
	out->entry = f->eh.e_entry + bias;
	out->phdr = ldr_phdr_addr(f) + bias;
	out->end = hi + bias;
	ldr_data_bounds(f, bias, out);
	if (out->entry >= LDR_TASK_SIZE)
		return ldr_fail(f->label, 126, "entry point 0x%llx out of range",
				(unsigned long long)out->entry);
	return 0;
}
