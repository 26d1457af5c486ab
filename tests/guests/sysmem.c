/* Memory syscalls as Linux answers them: brk growing, shrinking and failing; mmap, munmap,
 * mprotect, mremap, madvise and msync, with their error cases. Raw syscalls where the libc
 * wrappers differ (brk). Prints only what is the same on every run: no addresses. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "guest.h"

#define PAGE 4096ul

static uintptr_t brk_(uintptr_t a) { return (uintptr_t)syscall(SYS_brk, a); }

static void show(const char *what, long r)
{
	printf("%-34s %s\n", what, r < 0 ? errno_name(errno) : "ok");
}

static int all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* The permissions /proc/self/maps gives the mapping holding p. */
static const char *perms(const void *p)
{
	static char out[8];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	strcpy(out, "none");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char pr[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, pr) == 3 && lo <= (uintptr_t)p &&
		    (uintptr_t)p < hi) {
			strcpy(out, pr);
			break;
		}
	}
	if (f)
		fclose(f);
	return out;
}

static void test_brk(void)
{
	uintptr_t cur = brk_(0);
	printf("brk(0) repeats:                   %d\n", brk_(0) == cur);
	uintptr_t want = cur + 3 * PAGE + 100;
	printf("brk grows to the byte:            %d\n", brk_(want) == want);
	memset((char *)cur, 0x5a, want - cur);
	printf("brk(0) after growth:              %d\n", brk_(0) == want);
	printf("shrink:                           %d\n", brk_(cur + 10) == cur + 10);
	printf("regrow:                           %d\n", brk_(want) == want);
	uintptr_t page_end = (cur + 10 + PAGE - 1) & ~(PAGE - 1);
	printf("pages given back come back zeroed: %d\n", all((char *)page_end, want - page_end, 0));
	printf("the page holding the break kept:  %d\n", all((char *)cur, 10, 0x5a));
	printf("huge request fails, old break:    %d\n", brk_(want + (1ul << 46)) == want);
	printf("below the start fails, old break: %d\n", brk_(1) == want);
	printf("back to the start:                %d\n", brk_(cur) == cur);
}

static void test_mmap(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("mmap anonymous", p == MAP_FAILED ? -1 : 0);
	printf("zero filled:                      %d\n", all(p, 4 * PAGE, 0));
	memset(p, 'a', 4 * PAGE);
	show("mprotect read-only", mprotect(p + PAGE, PAGE, PROT_READ));
	show("mprotect unaligned", mprotect(p + 1, PAGE, PROT_READ));
	show("mprotect length 0", mprotect(p, 0, PROT_READ));
	show("munmap middle page", munmap(p + 2 * PAGE, PAGE));
	show("mprotect across the hole", mprotect(p, 4 * PAGE, PROT_READ));
	printf("the run before the hole changed:  %s\n", perms(p));
	show("mprotect back to read-write", mprotect(p, 2 * PAGE, PROT_READ | PROT_WRITE));
	printf("now:                              %s\n", perms(p));
	show("munmap length 0", munmap(p, 0));
	show("munmap unaligned", munmap(p + 1, PAGE));
	show("munmap the hole again", munmap(p + 2 * PAGE, PAGE));
	void *q = mmap(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	show("MAP_FIXED_NOREPLACE into the hole", q == p + 2 * PAGE ? 0 : -1);
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	show("MAP_FIXED_NOREPLACE over a mapping", q == MAP_FAILED ? -1 : 0);
	q = mmap(p + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	printf("MAP_FIXED replaces, zeroed:       %d\n", q == p + 3 * PAGE && all(q, PAGE, 0));
	show("madvise DONTNEED", madvise(p, PAGE, MADV_DONTNEED));
	printf("private anonymous page zeroed:    %d\n", all(p, PAGE, 0));
	show("madvise bad advice", madvise(p, PAGE, 12345));
	memset(p, 'b', PAGE);
	char *r = mremap(p, PAGE, 2 * PAGE, 0);
	show("mremap grow into a neighbour", r == MAP_FAILED ? -1 : 0);
	r = mremap(p, PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	show("mremap grow, may move", r == MAP_FAILED ? -1 : 0);
	printf("content moved along:              %d\n", r != MAP_FAILED && all(r, PAGE, 'b'));
	show("mremap shrink in place", mremap(r, 8 * PAGE, 2 * PAGE, 0) == r ? 0 : -1);
	show("mremap bad flags", mremap(r, PAGE, PAGE, 8) == MAP_FAILED ? -1 : 0);
	show("mremap length 0", mremap(r, PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	munmap(r, 2 * PAGE);
	munmap(p + PAGE, 3 * PAGE);
	show("mprotect after unmapping", mprotect(p + PAGE, PAGE, PROT_READ));
	show("mmap length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
			       MAP_FAILED ? -1 : 0);
}

static void test_file_mapping(void)
{
	char path[] = "/tmp/sysmem-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char buf[256];
	snprintf(buf, sizeof buf, "%s/sysmem-XXXXXX", dir ? dir : "/tmp");
	int fd = mkstemp(dir ? buf : path);
	unlink(dir ? buf : path);
	show("ftruncate", ftruncate(fd, 2 * PAGE));
	char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("mmap shared file", m == MAP_FAILED ? -1 : 0);
	strcpy(m + PAGE, "written through the mapping");
	show("msync", msync(m, 2 * PAGE, MS_SYNC));
	char back[32] = { 0 };
	printf("pread sees it:                    %d\n",
	       pread(fd, back, 27, PAGE) == 27 && !strcmp(back, "written through the mapping"));
	pwrite(fd, "file side", 9, 0);
	printf("mapping sees pwrite:              %d\n", !memcmp(m, "file side", 9));
	show("munmap file mapping", munmap(m, 2 * PAGE));
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 1);
	show("mmap unaligned offset", m == MAP_FAILED ? -1 : 0);
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0);
	show("mmap bad fd", m == MAP_FAILED ? -1 : 0);
	close(fd);
}

int main(void)
{
	test_brk();
	test_mmap();
	test_file_mapping();
	return 0;
}
