/* The loader and the memory map, in this process: a real gcc -static program and hand-built
 * ELF files are loaded into a private struct process, then the built stack, auxv, mappings and
 * brk are checked against the files; loads that must fail leave nothing mapped. The "mm"
 * suite checks region splitting, merging and mm_accessible. */
#include <CUnit/CUnit.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emu/cpuid.h"
#include "emu/mm.h"
#include "emu/process.h"
#include "loader/loader.h"
#include "syscalls/linux_abi.h"

#define PAGE 4096ull
#define STACK_GUARD (1ull << 20)   /* the loader's gap below the stack */

static char dir[PATH_MAX];
static char static_prog[PATH_MAX + 16];
static struct process proc;

static const char prog_src[] = "#include <stdio.h>\n"
			       "int data = 7; char bss[100000];\n"
			       "int main(void) { return data + bss[5]; }\n";

static int suite_init(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sfdemu-ldr-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char src[PATH_MAX + 16], cmd[3 * PATH_MAX];
	snprintf(src, sizeof(src), "%s/prog.c", dir);
	snprintf(static_prog, sizeof(static_prog), "%s/prog", dir);
	FILE *f = fopen(src, "w");
	if (!f)
		return -1;
	fputs(prog_src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cc -static -O2 -o %s %s", static_prog, src);
	return system(cmd) == 0 ? 0 : -1;
}

static int suite_cleanup(void)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Take everything ldr_load mapped back out and forget it. */
static void unload(void)
{
	struct mm *mm = &proc.mm;
	for (size_t i = 0; i < mm->count; i++) {
		const struct mm_region *r = &mm->regions[i];
		munmap((void *)r->start, r->end - r->start);
		if (r->flags & MAP_GROWSDOWN)
			munmap((void *)(r->start - STACK_GUARD), STACK_GUARD);
	}
	free(mm->regions);
	memset(&proc, 0, sizeof(proc));
}

/* ---- hand-built ELF files ---- */

struct seg { uint32_t flags; uint64_t off, vaddr, filesz, memsz; };
struct elf_spec {
	uint16_t type;
	uint64_t entry;
	const struct seg *segs;
	int nseg;
	const char *interp;      /* PT_INTERP, or NULL */
	int stack_flags;         /* PT_GNU_STACK p_flags, or -1 for none */
	size_t size;             /* file size; filled with 0xaa outside the headers */
};

/* mov edi, 42; mov eax, 60; syscall */
static const unsigned char exit42[] = { 0xbf, 42, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05 };
#define CODE_OFF 0x400
#define INTERP_OFF 0x600

static char *write_elf(const char *name, const struct elf_spec *s)
{
	static char path[4][PATH_MAX + 64];
	static int k;
	char *p = path[k++ % 4];
	unsigned char *b = malloc(s->size);
	memset(b, 0xaa, s->size);
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(*e));
	memset(b, 0, CODE_OFF);
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = s->type;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = s->entry;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(Elf64_Phdr);
	int n = 0;
	for (int i = 0; i < s->nseg; i++)
		ph[n++] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = s->segs[i].flags,
			.p_offset = s->segs[i].off, .p_vaddr = s->segs[i].vaddr,
			.p_paddr = s->segs[i].vaddr, .p_filesz = s->segs[i].filesz,
			.p_memsz = s->segs[i].memsz, .p_align = PAGE };
	if (s->interp) {
		size_t len = strlen(s->interp) + 1;
		memcpy(b + INTERP_OFF, s->interp, len);
		ph[n++] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = INTERP_OFF,
			.p_vaddr = INTERP_OFF, .p_filesz = len, .p_memsz = len, .p_align = 1 };
	}
	if (s->stack_flags >= 0)
		ph[n++] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = (uint32_t)s->stack_flags,
					.p_align = 16 };
	e->e_phnum = (uint16_t)n;
	memcpy(b + CODE_OFF, exit42, sizeof(exit42));
	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, b, s->size) == (ssize_t)s->size);
	close(fd);
	free(b);
	return p;
}

/* One RX page of headers and code at vaddr. */
static const struct seg one_seg_at0[] = { { PF_R | PF_X, 0, 0, PAGE, PAGE } };

static char *tiny_dyn(const char *name, const char *interp, int stack_flags)
{
	struct elf_spec s = { ET_DYN, CODE_OFF, one_seg_at0, 1, interp, stack_flags, PAGE };
	return write_elf(name, &s);
}

/* Load, with stderr captured into err (one line expected on failure). */
static int load(const char *path, char *const argv[], char *const envp[], struct ldr_image *img,
		char *err, size_t errlen)
{
	char errpath[PATH_MAX + 16];
	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	fflush(stderr);
	int saved = dup(2), fd = open(errpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	int rc = ldr_load(&proc, path, argv, envp, img);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, err, errlen - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

/* The auxv of a built stack, and the value of one type. */
static uint64_t *stack_auxv(uint64_t rsp)
{
	uint64_t *w = (uint64_t *)rsp;
	w += 1 + w[0] + 1;       /* argc, argv[], NULL */
	while (*w)
		w++;             /* envp[] */
	return w + 1;
}

static uint64_t aux(uint64_t rsp, uint64_t type)
{
	for (uint64_t *a = stack_auxv(rsp); a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return ~0ull;
}

/* ---- tests ---- */

/* Every PT_LOAD is mapped with its protection; the brk starts after the last one, with
 * nothing reserved there; the stack is laid out as the kernel's. */
static void check_static_segments(const struct ldr_image *img, const Elf64_Ehdr *eh,
				  const Elf64_Phdr *ph)
{
	uint64_t *sp = (uint64_t *)img->stack, rnd = aux(img->stack, AT_RANDOM);
	uint64_t end = 0, start_data = 0, end_data = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_vaddr > start_data)
			start_data = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_filesz > end_data)
			end_data = ph[i].p_vaddr + ph[i].p_filesz;
		const struct mm_region *r = mm_find(&proc.mm, ph[i].p_vaddr);
		int prot = (ph[i].p_flags & PF_R ? PROT_READ : 0) |
			   (ph[i].p_flags & PF_W ? PROT_WRITE : 0) |
			   (ph[i].p_flags & PF_X ? PROT_EXEC : 0);
		CU_ASSERT(r && r->prot == prot);
		CU_ASSERT(mm_accessible(&proc.mm, ph[i].p_vaddr, ph[i].p_memsz, prot) == ph[i].p_memsz);
		end = ph[i].p_vaddr + ph[i].p_memsz;
	}
	uint64_t brk = (end + PAGE - 1) & ~(PAGE - 1);
	CU_ASSERT(img->brk == brk && proc.mm.brk_start == brk && proc.mm.brk_cur == brk);
	/* Nothing is reserved after the program for the break: the next page is free. */
	CU_ASSERT(mm_find(&proc.mm, brk) == NULL);
	void *probe = mmap((void *)brk, PAGE, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CU_ASSERT(probe == (void *)brk);
	if (probe != MAP_FAILED)
		munmap(probe, PAGE);
	/* The kernel's start_data/end_data: the last PT_LOAD's start, its file part's end. */
	CU_ASSERT(proc.mm.start_data == start_data && proc.mm.end_data == end_data);
	CU_ASSERT(start_data > eh->e_entry && end_data > start_data && end_data <= brk);

	const struct mm_region *st = mm_find(&proc.mm, img->stack);
	CU_ASSERT_FATAL(st && (st->flags & MAP_GROWSDOWN) && st->prot == (PROT_READ | PROT_WRITE));
	/* the kernel's layout: execfn is the last string, 8 bytes under the top; the platform
	 * string ends 16-aligned under the argv strings with the random bytes right below */
	uint64_t execfn = aux(img->stack, AT_EXECFN), plat = aux(img->stack, AT_PLATFORM);
	CU_ASSERT(execfn + strlen(static_prog) + 1 == st->end - 8);
	CU_ASSERT(execfn == sp[6] + strlen("LONGER=some value") + 1);
	CU_ASSERT((plat + 7) % 16 == 0 && plat + 7 <= sp[1] && sp[1] - (plat + 7) < 8192 + 16);
	CU_ASSERT(rnd == plat - 16);
}

static void test_static_program(void)
{
	char *argv[] = { static_prog, "one", "two three", NULL };
	char *envp[] = { "A=1", "LONGER=some value", NULL };
	struct ldr_image img;
	char err[512];
	CU_ASSERT_FATAL(load(static_prog, argv, envp, &img, err, sizeof(err)) == 0);

	uint64_t *sp = (uint64_t *)img.stack;
	CU_ASSERT(img.stack % 16 == 0);
	CU_ASSERT(sp[0] == 3);
	CU_ASSERT_STRING_EQUAL((char *)sp[1], static_prog);
	CU_ASSERT_STRING_EQUAL((char *)sp[2], "one");
	CU_ASSERT_STRING_EQUAL((char *)sp[3], "two three");
	CU_ASSERT(sp[4] == 0);
	CU_ASSERT_STRING_EQUAL((char *)sp[5], "A=1");
	CU_ASSERT_STRING_EQUAL((char *)sp[6], "LONGER=some value");
	CU_ASSERT(sp[7] == 0);
	/* argv strings are consecutive, then envp's */
	CU_ASSERT(sp[2] == sp[1] + strlen(static_prog) + 1);
	CU_ASSERT(sp[5] == sp[3] + strlen("two three") + 1);

	Elf64_Ehdr eh;
	Elf64_Phdr ph[32];
	int fd = open(static_prog, O_RDONLY);
	CU_ASSERT_FATAL(pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) && eh.e_phnum <= 32);
	CU_ASSERT_FATAL(pread(fd, ph, eh.e_phnum * sizeof(ph[0]), eh.e_phoff) > 0);
	close(fd);

	CU_ASSERT(eh.e_type == ET_EXEC);
	CU_ASSERT(img.entry == eh.e_entry);
	CU_ASSERT(aux(img.stack, AT_ENTRY) == eh.e_entry);
	CU_ASSERT(aux(img.stack, AT_BASE) == 0);
	CU_ASSERT(aux(img.stack, AT_PHNUM) == eh.e_phnum);
	CU_ASSERT(aux(img.stack, AT_PHENT) == sizeof(Elf64_Phdr));
	uint64_t phdr = aux(img.stack, AT_PHDR);
	CU_ASSERT(mm_find(&proc.mm, phdr) != NULL);
	CU_ASSERT(memcmp((void *)phdr, ph, eh.e_phnum * sizeof(ph[0])) == 0);
	CU_ASSERT(aux(img.stack, AT_PAGESZ) == PAGE);
	CU_ASSERT(aux(img.stack, AT_HWCAP) == CPUID_1_EDX);
	CU_ASSERT(aux(img.stack, AT_HWCAP2) == 0);
	CU_ASSERT(aux(img.stack, AT_MINSIGSTKSZ) == LINUX_AT_MINSIGSTKSZ);
	CU_ASSERT(aux(img.stack, AT_CLKTCK) == (uint64_t)sysconf(_SC_CLK_TCK));
	CU_ASSERT(aux(img.stack, AT_UID) == getuid() && aux(img.stack, AT_EGID) == getegid());
	CU_ASSERT(aux(img.stack, AT_SECURE) == 0 && aux(img.stack, AT_FLAGS) == 0);
	CU_ASSERT(aux(img.stack, AT_SYSINFO_EHDR) == ~0ull);   /* no vDSO */
	CU_ASSERT_STRING_EQUAL((char *)aux(img.stack, AT_PLATFORM), "x86_64");
	CU_ASSERT_STRING_EQUAL((char *)aux(img.stack, AT_EXECFN), static_prog);
	uint64_t rnd = aux(img.stack, AT_RANDOM);
	CU_ASSERT(mm_accessible(&proc.mm, rnd, 16, PROT_READ | PROT_WRITE) == 16);
	CU_ASSERT(rnd > img.stack);
	static const unsigned char zero[16];
	CU_ASSERT(memcmp((void *)rnd, zero, 16) != 0);

	check_static_segments(&img, &eh, ph);
	CU_ASSERT(proc.exe_path[0] == '/' && strstr(proc.exe_path, "/prog"));
	unload();
}

static void test_dyn_random_base(void)
{
	char *path = tiny_dyn("dyn", NULL, PF_R | PF_W);
	char *argv[] = { path, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image a, b;
	CU_ASSERT_FATAL(load(path, argv, envp, &a, err, sizeof(err)) == 0);
	CU_ASSERT(a.entry % PAGE == CODE_OFF && a.entry > 0x10000);
	CU_ASSERT(aux(a.stack, AT_ENTRY) == a.entry);
	CU_ASSERT(aux(a.stack, AT_PHDR) == a.entry - CODE_OFF + sizeof(Elf64_Ehdr));
	CU_ASSERT(a.brk == a.entry - CODE_OFF + PAGE);
	unload();
	CU_ASSERT_FATAL(load(path, argv, envp, &b, err, sizeof(err)) == 0);
	CU_ASSERT(b.entry != a.entry);   /* 28 bits of randomness: equal once in 2^28 */
	unload();
}

static void test_interp(void)
{
	char *interp = tiny_dyn("interp", NULL, PF_R | PF_W);
	char *prog = tiny_dyn("withinterp", interp, PF_R | PF_W);
	char *argv[] = { prog, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	CU_ASSERT_FATAL(load(prog, argv, envp, &img, err, sizeof(err)) == 0);
	uint64_t base = aux(img.stack, AT_BASE), entry = aux(img.stack, AT_ENTRY);
	CU_ASSERT(base != 0 && base % PAGE == 0);
	CU_ASSERT(img.entry == base + CODE_OFF);        /* the interpreter's entry */
	CU_ASSERT(entry != img.entry && entry % PAGE == CODE_OFF);
	CU_ASSERT(mm_find(&proc.mm, base) != NULL && mm_find(&proc.mm, entry) != NULL);
	CU_ASSERT(img.brk == entry - CODE_OFF + PAGE);  /* the brk follows the program */
	unload();
}

/* A writable segment ending mid-page: the rest of that page is zeroed, the bss beyond is
 * anonymous; the hole between the segments is unmapped. */
static void test_bss(void)
{
	static const struct seg segs[] = {
		{ PF_R | PF_X, 0, 0, PAGE, PAGE },
		{ PF_R | PF_W, PAGE, 2 * PAGE, 0x800, 3 * PAGE },
	};
	struct elf_spec s = { ET_DYN, CODE_OFF, segs, 2, NULL, PF_R | PF_W, 2 * PAGE };
	char *path = write_elf("bss", &s);
	char *argv[] = { path, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	CU_ASSERT_FATAL(load(path, argv, envp, &img, err, sizeof(err)) == 0);
	unsigned char *base = (unsigned char *)(img.entry - CODE_OFF);
	CU_ASSERT(base[2 * PAGE] == 0xaa && base[2 * PAGE + 0x7ff] == 0xaa);
	int nonzero = 0;
	for (uint64_t i = 2 * PAGE + 0x800; i < 5 * PAGE; i++)
		nonzero += base[i] != 0;
	CU_ASSERT(nonzero == 0);
	CU_ASSERT(mm_find(&proc.mm, (uint64_t)base + PAGE) == NULL);
	CU_ASSERT(msync(base + PAGE, PAGE, MS_ASYNC) != 0 && errno == ENOMEM);
	CU_ASSERT(mm_accessible(&proc.mm, (uint64_t)base + 2 * PAGE, 3 * PAGE,
				PROT_READ | PROT_WRITE) == 3 * PAGE);
	CU_ASSERT(img.brk == (uint64_t)base + 5 * PAGE);
	CU_ASSERT(proc.mm.start_data == (uint64_t)base + 2 * PAGE);   /* biased */
	CU_ASSERT(proc.mm.end_data == (uint64_t)base + 2 * PAGE + 0x800);
	CU_ASSERT(msync(base + 5 * PAGE, PAGE, MS_ASYNC) != 0 && errno == ENOMEM);
	base[5 * PAGE - 1] = 1;
	unload();
}

static void test_exec_stack(void)
{
	char *argv[] = { NULL, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	static const struct { int flags, prot; } cases[] = {
		{ PF_R | PF_W, PROT_READ | PROT_WRITE },
		{ PF_R | PF_W | PF_X, PROT_READ | PROT_WRITE | PROT_EXEC },
		{ -1, PROT_READ | PROT_WRITE },   /* no PT_GNU_STACK: not executable on x86-64 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = tiny_dyn("stack", NULL, cases[i].flags);
		CU_ASSERT_FATAL(load(argv[0], argv, envp, &img, err, sizeof(err)) == 0);
		const struct mm_region *r = mm_find(&proc.mm, img.stack);
		CU_ASSERT(r && r->prot == cases[i].prot);
		unload();
	}
}

/* An ET_EXEC over memory that is already in use is refused, and that memory is untouched. */
static void test_exec_range_taken(void)
{
	unsigned char *taken = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(taken != MAP_FAILED);
	memset(taken, 0x5a, 2 * PAGE);
	struct seg seg = { PF_R | PF_X, 0, (uint64_t)taken + PAGE, PAGE, PAGE };
	struct elf_spec s = { ET_EXEC, (uint64_t)taken + PAGE + CODE_OFF, &seg, 1, NULL, -1, PAGE };
	char *path = write_elf("taken", &s);
	char *argv[] = { path, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	CU_ASSERT(load(path, argv, envp, &img, err, sizeof(err)) == 126);
	CU_ASSERT(strncmp(err, "sfdemu: ", 8) == 0 && strchr(err, '\n') == err + strlen(err) - 1);
	CU_ASSERT(strstr(err, "in use") != NULL);
	CU_ASSERT(taken[PAGE] == 0x5a && taken[2 * PAGE - 1] == 0x5a);
	CU_ASSERT(proc.mm.count == 0);
	munmap(taken, 2 * PAGE);
	unload();
}

/* ET_EXEC segments far apart: only their own pages are taken, what lies between stays. */
static void test_exec_gap_kept(void)
{
	unsigned char *r = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(r != MAP_FAILED);
	munmap(r, PAGE);
	munmap(r + 2 * PAGE, PAGE);
	memset(r + PAGE, 0x5a, PAGE);
	struct seg segs[] = {
		{ PF_R | PF_X, 0, (uint64_t)r, PAGE, PAGE },
		{ PF_R | PF_W, PAGE, (uint64_t)r + 2 * PAGE, 0x100, 0x100 },
	};
	struct elf_spec s = { ET_EXEC, (uint64_t)r + CODE_OFF, segs, 2, NULL, -1, 2 * PAGE };
	char *path = write_elf("gap", &s);
	char *argv[] = { path, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	CU_ASSERT_FATAL(load(path, argv, envp, &img, err, sizeof(err)) == 0);
	CU_ASSERT(r[PAGE] == 0x5a && r[2 * PAGE - 1] == 0x5a);
	CU_ASSERT(mm_find(&proc.mm, (uint64_t)r + PAGE) == NULL);
	CU_ASSERT(mm_find(&proc.mm, (uint64_t)r)->prot == (PROT_READ | PROT_EXEC));
	CU_ASSERT(r[2 * PAGE] == 0xaa && img.brk == (uint64_t)r + 3 * PAGE);
	unload();
	munmap(r + PAGE, PAGE);
}

/* A refused file maps nothing and says one line. */
static void test_refused(void)
{
	static const struct seg segs[] = {
		{ PF_R | PF_X, 0, 0, PAGE, PAGE },
		{ PF_R | PF_W, PAGE, PAGE / 2, 0x800, PAGE },   /* overlaps the first */
	};
	struct elf_spec s = { ET_DYN, CODE_OFF, segs, 2, NULL, -1, 2 * PAGE };
	char *path = write_elf("overlap", &s);
	char *argv[] = { path, NULL }, *envp[] = { NULL }, err[512];
	struct ldr_image img;
	CU_ASSERT(load(path, argv, envp, &img, err, sizeof(err)) == 126);
	CU_ASSERT(proc.mm.count == 0 && proc.mm.brk_start == 0);
	CU_ASSERT(strstr(err, path) == err + 8 && strchr(err, '\n') == err + strlen(err) - 1);
	char missing[PATH_MAX + 16];
	snprintf(missing, sizeof(missing), "%s/none", dir);
	CU_ASSERT(load(missing, argv, envp, &img, err, sizeof(err)) == 127);
	CU_ASSERT(strstr(err, "No such file") != NULL);
	unload();
}

/* ---- the memory map ---- */

static void test_mm_split_merge(void)
{
	struct mm mm = { 0 };
	mm_add(&mm, 0x10000, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	mm_add(&mm, 0x14000, 0x1000, PROT_READ, MAP_PRIVATE);
	CU_ASSERT(mm.count == 3);
	CU_ASSERT(mm_find(&mm, 0x14800)->prot == PROT_READ);
	CU_ASSERT(mm_find(&mm, 0x13fff)->end == 0x14000);
	mm_add(&mm, 0x14000, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CU_ASSERT(mm.count == 1 && mm.regions[0].start == 0x10000 && mm.regions[0].end == 0x20000);
	mm_protect(&mm, 0x12000, 0x2000, PROT_READ);
	CU_ASSERT(mm.count == 3);
	mm_remove(&mm, 0x11000, 0x2000);
	CU_ASSERT(mm.count == 3 && mm_find(&mm, 0x11000) == NULL && mm_find(&mm, 0x12fff) == NULL);
	CU_ASSERT(mm_find(&mm, 0x13000)->prot == PROT_READ);
	mm_protect(&mm, 0, 0x100000, PROT_READ | PROT_WRITE);
	CU_ASSERT(mm.count == 2);   /* [0x10000,0x11000) and [0x13000,0x20000) */
	mm_add(&mm, 0x8000, 0x100000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	CU_ASSERT(mm.count == 1 && mm.regions[0].prot == PROT_NONE);
	mm_remove(&mm, 0, ~0ull);
	CU_ASSERT(mm.count == 0);
	free(mm.regions);
}

static void test_mm_accessible(void)
{
	struct mm mm = { 0 };
	mm_add(&mm, 0x10000, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	mm_add(&mm, 0x11000, 0x1000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	mm_add(&mm, 0x13000, 0x1000, PROT_READ, MAP_PRIVATE);
	CU_ASSERT(mm_accessible(&mm, 0x10800, 0x10000, PROT_READ) == 0x1800);
	CU_ASSERT(mm_accessible(&mm, 0x10800, 0x10000, PROT_WRITE) == 0x800);
	CU_ASSERT(mm_accessible(&mm, 0x10800, 0x10, PROT_READ) == 0x10);
	CU_ASSERT(mm_accessible(&mm, 0x12000, 0x10, PROT_READ) == 0);
	CU_ASSERT(mm_accessible(&mm, 0x13ff0, 0x100, PROT_NONE) == 0x10);
	CU_ASSERT(mm_find(&mm, 0x12000) == NULL && mm_find(&mm, 0xfff) == NULL);
	for (int i = 0; i < 1000; i++)   /* growth of the array */
		mm_add(&mm, 0x100000 + (uint64_t)i * 0x2000, 0x1000, PROT_READ, MAP_PRIVATE);
	CU_ASSERT(mm.count == 1003 && mm_find(&mm, 0x100000 + 999 * 0x2000) != NULL);
	free(mm.regions);
}

void register_loader_tests(void)
{
	CU_pSuite s = CU_add_suite("loader", suite_init, suite_cleanup);
	CU_add_test(s, "gcc -static program: stack, auxv, segments, brk", test_static_program);
	CU_add_test(s, "ET_DYN at a random base", test_dyn_random_base);
	CU_add_test(s, "PT_INTERP: AT_BASE and the interpreter's entry", test_interp);
	CU_add_test(s, "bss: partial page zeroed, anonymous rest, holes unmapped", test_bss);
	CU_add_test(s, "PT_GNU_STACK decides an executable stack", test_exec_stack);
	CU_add_test(s, "ET_EXEC over memory in use is refused", test_exec_range_taken);
	CU_add_test(s, "ET_EXEC takes only its own pages", test_exec_gap_kept);
	CU_add_test(s, "refused files map nothing", test_refused);
	CU_pSuite m = CU_add_suite("mm", NULL, NULL);
	CU_add_test(m, "split, merge, protect, remove", test_mm_split_merge);
	CU_add_test(m, "mm_accessible across regions", test_mm_accessible);
}
