/* mapfixed: sfdemu's rule for memory that is not the guest's. Guest addresses are host
 * addresses, so sfdemu's own image, libraries, heap and stack live in the guest's address
 * space, and /proc/self/maps shows them to the guest. A guest call that would replace or
 * change them is refused (sfdemu's rule, not a Linux behaviour):
 *   mmap MAP_FIXED or MAP_FIXED_NOREPLACE over them, mremap MREMAP_FIXED onto them and
 *   mprotect of them fail with ENOMEM; madvise fails with ENOMEM and changes nothing (as for
 *   a range with holes); munmap succeeds (for the guest that memory is not mapped) and
 *   leaves it mapped.
 * Natively such calls would clobber the program's own memory, so this guest runs under
 * sfdemu only (tests/run-hardening compares its output with mapfixed.expected, and checks
 * that --strace shows the notice in mapfixed.notice). It also checks that the rule leaves
 * the guest's own memory alone: MAP_FIXED over its own pages and inside its break works.
 *
 * Which lines are sfdemu's: those of the sfdemu binary and of shared libraries, if sfdemu
 * uses any (the guest is static), [heap] and [stack] (sfdemu's; the guest's stack is an
 * anonymous mapping under sfdemu). sfdemu's thread stacks and anonymous memory are refused the same way, but a guest
 * cannot tell them from its own anonymous mappings, so they are not probed here. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hguest.h"

#define PAGE 4096ul

struct line { unsigned long start, end; char kind[16]; };

static struct line lines[512];
static int nlines;

static void read_maps(void)
{
	char exe[4096] = "";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	FILE *f = fopen("/proc/self/maps", "r");
	char buf[4352];
	while (f && fgets(buf, sizeof buf, f) && nlines < 512) {
		unsigned long s, e;
		int off = 0;
		if (sscanf(buf, "%lx-%lx %*s %*s %*s %*s %n", &s, &e, &off) < 2 || !off)
			continue;
		char *path = buf + off;
		path[strcspn(path, "\n")] = '\0';
		const char *kind = NULL;
		const char *base = strrchr(path, '/');
		if (exe[0] && !strcmp(path, exe))
			continue;   /* the guest's own image */
		if (base && !strcmp(base, "/sfdemu"))
			kind = "image";
		else if (strstr(path, ".so"))
			kind = "library";
		else if (!strcmp(path, "[heap]"))
			kind = "heap";
		else if (!strcmp(path, "[stack]"))
			kind = "stack";
		if (!kind || s >= 0x800000000000ul)
			continue;
		lines[nlines].start = s;
		lines[nlines].end = e;
		snprintf(lines[nlines].kind, sizeof lines[nlines].kind, "%s", kind);
		nlines++;
	}
	if (f)
		fclose(f);
}

/* Whether [a, a+PAGE) is mapped at all (mincore fails with ENOMEM where it is not). */
static bool mapped(unsigned long a)
{
	unsigned char v;
	return hg_syscall(SYS_mincore, (long)a, PAGE, (long)&v, 0, 0, 0) == 0;
}

static long do_mmap(unsigned long a, int flags)
{
	return hg_syscall(SYS_mmap, (long)a, PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

static void probe_all(void)
{
	/* Libraries, heap and stack depend on how sfdemu was built; its image is always seen. */
	int image = 0;
	for (int i = 0; i < nlines; i++)
		image += !strcmp(lines[i].kind, "image");
	printf("sfdemu image mappings seen: %s\n", image ? "yes" : "no");
	char *own = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fixed = 0, noreplace = 0, remap = 0, prot = 0, advise = 0, unmap = 0;
	for (int i = 0; i < nlines; i++) {
		unsigned long a = lines[i].start;
		fixed += do_mmap(a, MAP_FIXED) == -ENOMEM;
		noreplace += do_mmap(a, MAP_FIXED_NOREPLACE) == -ENOMEM;
		remap += hg_syscall(SYS_mremap, (long)own, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
				    (long)a, 0) == -ENOMEM;
		prot += hg_syscall(SYS_mprotect, (long)a, PAGE, PROT_NONE, 0, 0, 0) == -ENOMEM;
		advise += hg_syscall(SYS_madvise, (long)a, PAGE, MADV_DONTNEED, 0, 0, 0) == -ENOMEM;
		unmap += hg_syscall(SYS_munmap, (long)a, PAGE, 0, 0, 0, 0) == 0 && mapped(a);
	}
	printf("mmap MAP_FIXED refused with ENOMEM: %s\n", fixed == nlines ? "all" : "not all");
	printf("mmap MAP_FIXED_NOREPLACE refused with ENOMEM: %s\n",
	       noreplace == nlines ? "all" : "not all");
	printf("mremap MREMAP_FIXED refused with ENOMEM: %s\n", remap == nlines ? "all" : "not all");
	printf("mprotect refused with ENOMEM: %s\n", prot == nlines ? "all" : "not all");
	printf("madvise MADV_DONTNEED refused with ENOMEM: %s\n", advise == nlines ? "all" : "not all");
	printf("munmap succeeds and leaves them mapped: %s\n", unmap == nlines ? "all" : "not all");
	printf("the guest's page is still where it was: %s\n",
	       mapped((unsigned long)own) && *(volatile char *)own == 0 ? "yes" : "no");
}

/* The rule leaves the guest's own memory to the guest. */
static void own_memory(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	long r = do_mmap((unsigned long)p, MAP_FIXED);
	printf("MAP_FIXED over the guest's own page: %s, fresh: %s\n",
	       r == (long)p ? "ok" : hg_errname(-r), p[0] == 0 ? "yes" : "no");
	unsigned long brk_now = (unsigned long)sbrk(0);
	unsigned long in_brk = (brk_now + 64 * PAGE) & ~(PAGE - 1);
	r = do_mmap(in_brk, MAP_FIXED);
	printf("MAP_FIXED above the guest's break: %s\n", r == (long)in_brk ? "ok" : hg_errname(-r));
	if (r == (long)in_brk)
		munmap((void *)in_brk, PAGE);
}

int main(void)
{
	read_maps();
	printf("sfdemu mappings to probe: %s\n", nlines ? "some" : "none");
	probe_all();
	own_memory();
	return 0;
}
