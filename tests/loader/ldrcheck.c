/* ldrcheck [-v] [-f] PROGRAM [ARGS...]: load PROGRAM with sfdemu's loader into this process, then
 * check what was built without running it: the initial stack (argc, argv, envp, auxv), the
 * auxv values against the file's own headers, and the memory map against /proc/self/maps.
 * Exit status: the loader's (126/127) when it refuses the file, 0 when everything checks,
 * 1 with a line on stderr when something is wrong. -f (for damaged files that still load)
 * skips the checks about what the file itself promises (its entry point and program headers
 * lie in mapped memory): the kernel loads such files too. Built from the loader's sources by
 * tests/loader/run, independently of the interpreter. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../emu/process.h"
#include "../../emu/cpuid.h"
#include "../../loader/loader.h"

extern char **environ;
static struct process proc;
static int failures;
static bool verbose, fuzz;

/* The loader's memory map calls this when mappings change; there is no block cache here. */
void blk_invalidate(uint64_t start, uint64_t end) { (void)start; (void)end; }

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "ldrcheck: " __VA_ARGS__); \
	fprintf(stderr, "\n"); failures++; } } while (0)

/* Every region in mm must be mapped on the host with exactly its protection. */
static void check_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	size_t i = 0;
	struct mm *mm = &proc.mm;
	uint64_t covered = mm->count ? mm->regions[0].start : 0;
	while (f && fgets(line, sizeof(line), f) && i < mm->count) {
		unsigned long s, e;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3)
			continue;
		const struct mm_region *r = &mm->regions[i];
		if (e <= covered || s >= r->end)
			continue;
		int prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
			   (perms[2] == 'x' ? PROT_EXEC : 0);
		CHECK(s <= covered, "0x%lx: mm region not mapped", (unsigned long)covered);
		CHECK(prot == r->prot, "0x%lx: host %s, mm prot %d", s, perms, r->prot);
		covered = e;
		while (i < mm->count && covered >= mm->regions[i].end) {
			i++;
			if (i < mm->count && mm->regions[i].start > covered)
				covered = mm->regions[i].start;
		}
	}
	CHECK(i == mm->count, "mm region %zu at 0x%lx not fully mapped", i,
	      i < mm->count ? (unsigned long)mm->regions[i].start : 0ul);
	if (f)
		fclose(f);
}

static void read_file_headers(const char *path, Elf64_Ehdr *eh, Elf64_Phdr **ph)
{
	int fd = open(path, O_RDONLY);
	*ph = NULL;
	if (fd < 0 || pread(fd, eh, sizeof(*eh), 0) != sizeof(*eh))
		return;
	*ph = calloc(eh->e_phnum, sizeof(Elf64_Phdr));
	if (pread(fd, *ph, eh->e_phnum * sizeof(Elf64_Phdr), (off_t)eh->e_phoff) < 0)
		memset(*ph, 0, eh->e_phnum * sizeof(Elf64_Phdr));
	close(fd);
}

static void check_auxv(const char *path, uint64_t *auxv, const struct ldr_image *img)
{
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t v[64] = { 0 }, order[64], n = 0;
	bool seen[64] = { false };
	read_file_headers(path, &eh, &ph);
	for (uint64_t *a = auxv; a[0] != AT_NULL; a += 2) {
		CHECK(a[0] < 64 && !seen[a[0]], "auxv type %lu repeated or unknown", a[0]);
		if (a[0] < 64) {
			seen[a[0]] = true;
			v[a[0]] = a[1];
			order[n++] = a[0];
		}
	}
	static const uint64_t want[] = { AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR,
		AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID,
		AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM };
	CHECK(n == sizeof(want) / sizeof(want[0]), "auxv has %lu entries", n);
	for (uint64_t i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(order[i] == want[i], "auxv entry %lu is type %lu, want %lu", i, order[i], want[i]);
	CHECK(v[AT_PAGESZ] == 4096, "AT_PAGESZ %lu", v[AT_PAGESZ]);
	CHECK(v[AT_HWCAP] == CPUID_1_EDX, "AT_HWCAP 0x%lx", v[AT_HWCAP]);
	CHECK(v[AT_MINSIGSTKSZ] == 1440, "AT_MINSIGSTKSZ %lu", v[AT_MINSIGSTKSZ]);
	CHECK(v[AT_CLKTCK] == (uint64_t)sysconf(_SC_CLK_TCK), "AT_CLKTCK %lu", v[AT_CLKTCK]);
	CHECK(v[AT_UID] == getuid() && v[AT_EUID] == geteuid() && v[AT_GID] == getgid() &&
	      v[AT_EGID] == getegid(), "AT_UID/EUID/GID/EGID");
	CHECK(v[AT_PHENT] == sizeof(Elf64_Phdr), "AT_PHENT %lu", v[AT_PHENT]);
	CHECK(ph && v[AT_PHNUM] == eh.e_phnum, "AT_PHNUM %lu", v[AT_PHNUM]);
	uint64_t bias = 0;
	if (ph && eh.e_type == ET_DYN)
		bias = v[AT_ENTRY] - eh.e_entry;
	CHECK(ph && v[AT_ENTRY] == eh.e_entry + bias && bias % 4096 == 0, "AT_ENTRY 0x%lx", v[AT_ENTRY]);
	CHECK(v[AT_BASE] ? img->entry != v[AT_ENTRY] : img->entry == v[AT_ENTRY],
	      "entry 0x%lx vs AT_ENTRY 0x%lx, AT_BASE 0x%lx", img->entry, v[AT_ENTRY], v[AT_BASE]);
	CHECK(fuzz || mm_accessible(&proc.mm, v[AT_PHDR], eh.e_phnum * sizeof(Elf64_Phdr),
				    PROT_READ) == eh.e_phnum * sizeof(Elf64_Phdr),
	      "AT_PHDR 0x%lx not readable", v[AT_PHDR]);
	if (!fuzz && ph && mm_find(&proc.mm, v[AT_PHDR]))
		CHECK(!memcmp((void *)v[AT_PHDR], ph, eh.e_phnum * sizeof(Elf64_Phdr)),
		      "AT_PHDR 0x%lx does not hold the program headers", v[AT_PHDR]);
	CHECK(mm_accessible(&proc.mm, v[AT_RANDOM], 16, PROT_READ | PROT_WRITE) == 16, "AT_RANDOM");
	CHECK(v[AT_PLATFORM] && !strcmp((char *)v[AT_PLATFORM], "x86_64"), "AT_PLATFORM");
	CHECK(v[AT_EXECFN] && !strcmp((char *)v[AT_EXECFN], path), "AT_EXECFN");
	CHECK(v[AT_FLAGS] == 0 && v[AT_SECURE] == 0 && v[AT_HWCAP2] == 0, "AT_FLAGS/SECURE/HWCAP2");
	/* The kernel's layout: the platform string 16-aligned-ish after the random gap, the 16
	 * random bytes right below it, auxv ending at most 15 bytes below those, and execfn the
	 * last string, 8 bytes under the top of the stack. */
	const struct mm_region *st = mm_find(&proc.mm, img->stack);
	uint64_t *end = auxv;
	while (end[0] != AT_NULL)
		end += 2;
	end += 2;
	CHECK((v[AT_PLATFORM] + 7) % 16 == 0 && v[AT_RANDOM] == v[AT_PLATFORM] - 16 &&
	      v[AT_RANDOM] - (uint64_t)end < 16, "layout around AT_RANDOM");
	CHECK(st && v[AT_EXECFN] + strlen((char *)v[AT_EXECFN]) + 1 == st->end - 8,
	      "AT_EXECFN not the last string on the stack");
	const struct mm_region *r = mm_find(&proc.mm, img->entry);
	CHECK(fuzz || (r && (r->prot & PROT_EXEC)), "entry 0x%lx not in executable memory", img->entry);
	if (verbose)
		printf("entry 0x%lx AT_ENTRY 0x%lx AT_BASE 0x%lx AT_PHDR 0x%lx AT_RANDOM 0x%lx\n",
		       img->entry, v[AT_ENTRY], v[AT_BASE], v[AT_PHDR], v[AT_RANDOM]);
	free(ph);
}

static void check_stack(const char *path, char **argv, const struct ldr_image *img)
{
	uint64_t *sp = (uint64_t *)img->stack;
	CHECK(img->stack % 16 == 0, "rsp 0x%lx not 16-aligned", img->stack);
	int argc = 0;
	while (argv[argc])
		argc++;
	CHECK(sp[0] == (uint64_t)argc, "argc %lu, want %d", sp[0], argc);
	char **gargv = (char **)(sp + 1);
	for (int i = 0; i < argc; i++)
		CHECK(!strcmp(gargv[i], argv[i]), "argv[%d] '%s'", i, gargv[i]);
	CHECK(gargv[argc] == NULL, "argv not NULL-terminated");
	char **genv = gargv + argc + 1;
	int i = 0;
	for (; environ[i]; i++)
		CHECK(genv[i] && !strcmp(genv[i], environ[i]), "envp[%d]", i);
	CHECK(genv[i] == NULL, "envp not NULL-terminated");
	check_auxv(path, (uint64_t *)(genv + i + 1), img);
	const struct mm_region *r = mm_find(&proc.mm, img->stack);
	CHECK(r && (r->flags & MAP_GROWSDOWN) && (r->prot & PROT_WRITE), "stack not in mm");
}

int main(int argc, char **argv)
{
	int a = 1;
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-v"))
			verbose = true;
		else if (!strcmp(argv[a], "-f"))
			fuzz = true;
		else
			break;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: ldrcheck [-v] [-f] PROGRAM [ARGS...]\n");
		return 2;
	}
	struct ldr_image img;
	int rc = ldr_load(&proc, argv[a], argv + a, environ, &img);
	if (rc)
		return rc;
	check_stack(argv[a], argv + a, &img);
	check_maps();
	CHECK(proc.mm.brk_start == img.brk && proc.mm.brk_cur == img.brk && img.brk % 4096 == 0,
	      "brk 0x%lx..0x%lx", proc.mm.brk_start, proc.mm.brk_cur);
	CHECK(!mm_find(&proc.mm, img.brk), "brk start 0x%lx already mapped", img.brk);
	CHECK(proc.mm.start_data <= proc.mm.end_data && proc.mm.end_data <= img.brk,
	      "data 0x%lx..0x%lx", proc.mm.start_data, proc.mm.end_data);
	if (verbose) {
		printf("rsp 0x%lx brk 0x%lx data 0x%lx..0x%lx exe %s\n", img.stack, img.brk,
		       proc.mm.start_data, proc.mm.end_data, proc.exe_path);
		for (size_t i = 0; i < proc.mm.count; i++)
			printf("  %lx-%lx prot %d flags 0x%x\n", proc.mm.regions[i].start,
			       proc.mm.regions[i].end, proc.mm.regions[i].prot, proc.mm.regions[i].flags);
	}
	return failures ? 1 : 0;
}
