/* mkbad STATIC_BINARY OUTDIR: write the loader's test files.
 *   OUTDIR/bad/NAME   damaged or hand-built bad ELF files, one per problem the loader names;
 *   OUTDIR/expected   "NAME STATUS" for each (126, or 127 where a shell says "not found");
 *   OUTDIR/good/NAME  small hand-built programs that load and exit 42;
 *   OUTDIR/fuzz/NNN   random truncations and byte flips of STATIC_BINARY (seeded: the same
 *                     files every run).
 * Everything is derived from STATIC_BINARY (a real gcc -static program) or built here. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_COUNT
#define FUZZ_COUNT 300
#endif
#define LDR_OFF(v) ((v) & 0xfffull)

static const char *outdir;
static FILE *expected;
static unsigned char *orig;
static size_t orig_size;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "mkbad: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static char *path_of(const char *sub, const char *name)
{
	static char buf[8][PATH_MAX + 64];
	static int k;
	char *p = buf[k++ % 8];
	if ((size_t)snprintf(p, sizeof(buf[0]), "%s/%s/%s", outdir, sub, name) >= sizeof(buf[0]))
		die("path too long");
	return p;
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd) != 0)
		die("%s: %s", path, strerror(errno));
	if (chmod(path, mode) != 0)
		die("chmod %s: %s", path, strerror(errno));
}

static void bad(const char *name, const void *data, size_t len, int status)
{
	write_file(path_of("bad", name), data, len, 0755);
	fprintf(expected, "%s %d\n", name, status);
}

/* A copy of the real binary to damage. */
static unsigned char *copy(void)
{
	unsigned char *c = malloc(orig_size);
	if (!c)
		die("out of memory");
	memcpy(c, orig, orig_size);
	return c;
}
static Elf64_Ehdr *eh(unsigned char *b) { return (Elf64_Ehdr *)b; }
static Elf64_Phdr *ph(unsigned char *b, int i)
{
	return (Elf64_Phdr *)(b + eh(b)->e_phoff) + i;
}
/* The index of the n-th PT_LOAD. */
static int load_index(unsigned char *b, int n)
{
	for (int i = 0; i < eh(b)->e_phnum; i++)
		if (ph(b, i)->p_type == PT_LOAD && n-- == 0)
			return i;
	die("the binary has too few PT_LOAD segments");
	return -1;
}

/* ---- hand-built ELF files: one RX PT_LOAD holding the headers, strings and code ---- */

struct tiny {
	uint16_t type;
	uint64_t vaddr;
	const char *interp[3];      /* PT_INTERP strings (NULL-terminated list) */
	size_t interp_len[3];       /* bytes to give p_filesz; 0: strlen + 1 */
};

#define TINY(t, va, ...) ((struct tiny){ .type = (t), .vaddr = (va), .interp = { __VA_ARGS__ } })

/* mov edi, 42; mov eax, 60 (exit); syscall */
static const unsigned char exit42[] = { 0xbf, 42, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05 };

static size_t tiny_build(const struct tiny *t, unsigned char *buf, size_t cap)
{
	int ninterp = 0;
	while (ninterp < 3 && t->interp[ninterp])
		ninterp++;
	int phnum = 2 + ninterp;
	size_t off = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	memset(buf, 0, cap);
	Elf64_Ehdr *e = (Elf64_Ehdr *)buf;
	Elf64_Phdr *p = (Elf64_Phdr *)(buf + sizeof(*e));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = t->type;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = (uint16_t)phnum;
	for (int i = 0; i < ninterp; i++) {
		size_t slen = strlen(t->interp[i]) + 1;
		size_t len = t->interp_len[i] ? t->interp_len[i] : slen;
		if (off + len + 64 > cap)
			die("interpreter string too long for the buffer");
		memcpy(buf + off, t->interp[i], slen < len ? slen : len);
		p[2 + i] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = off,
					 .p_vaddr = t->vaddr + off, .p_paddr = t->vaddr + off,
					 .p_filesz = len, .p_memsz = len, .p_align = 1 };
		off += len;
	}
	off = (off + 15) & ~(size_t)15;
	memcpy(buf + off, exit42, sizeof(exit42));
	e->e_entry = t->vaddr + off;
	off += sizeof(exit42);
	p[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
			     .p_vaddr = t->vaddr, .p_paddr = t->vaddr, .p_filesz = off,
			     .p_memsz = off, .p_align = 0x1000 };
	p[1] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };
	return off;
}

static void tiny_bad(const char *name, const struct tiny *t, int status)
{
	unsigned char buf[16384];
	bad(name, buf, tiny_build(t, buf, sizeof(buf)), status);
}

static void tiny_file(const char *sub, const char *name, const struct tiny *t, mode_t mode)
{
	unsigned char buf[16384];
	write_file(path_of(sub, name), buf, tiny_build(t, buf, sizeof(buf)), mode);
}

/* ---- the named bad cases ---- */

static void bad_headers(void)
{
	static const char text[] = "hello, this is not a program\n";
	bad("not_elf", text, sizeof(text) - 1, 126);
	bad("empty", "", 0, 126);
	/* A #! script is not refused: sfdemu runs it as execve would (tests/run-procs). */
	bad("short_magic", "\177EL", 3, 126);
	bad("trunc_ehdr", orig, 40, 126);
	bad("trunc_ident", orig, 6, 126);

	unsigned char *b = copy();
	b[EI_CLASS] = ELFCLASS32;
	bad("elf32", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	b[EI_DATA] = ELFDATA2MSB;
	bad("bigendian", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	b[EI_CLASS] = 7;
	bad("bad_class", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	eh(b)->e_machine = EM_AARCH64;
	bad("aarch64", b, orig_size, 126);
	eh(b)->e_machine = EM_RISCV;
	bad("riscv", b, orig_size, 126);
	eh(b)->e_machine = 0x7777;
	bad("machine_unknown", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	b[EI_CLASS] = ELFCLASS32;
	eh(b)->e_machine = EM_386;
	bad("i386", b, orig_size, 126);

	memcpy(b, orig, orig_size);
	eh(b)->e_type = ET_REL;
	bad("et_rel", b, orig_size, 126);
	eh(b)->e_type = ET_CORE;
	bad("et_core", b, orig_size, 126);
	eh(b)->e_type = 0x1234;
	bad("et_unknown", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	eh(b)->e_phentsize = 32;
	bad("phentsize", b, orig_size, 126);
	eh(b)->e_phentsize = sizeof(Elf64_Phdr);
	eh(b)->e_phnum = 0;
	bad("phnum0", b, orig_size, 126);
	eh(b)->e_phnum = 0xffff;
	bad("phnum_huge", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	eh(b)->e_phoff = orig_size - 10;
	bad("phoff_outside", b, orig_size, 126);
	eh(b)->e_phoff = 0xffffffffffffffc0ull;
	bad("phoff_overflow", b, orig_size, 126);
	bad("trunc_phdrs", orig, eh(orig)->e_phoff + sizeof(Elf64_Phdr) + 3, 126);
	free(b);
}

static void bad_segments(void)
{
	unsigned char *b = copy();
	int l0 = load_index(b, 0), l1 = load_index(b, 1);
	int ll = l0;
	for (int i = 0; i < eh(b)->e_phnum; i++)
		if (ph(b, i)->p_type == PT_LOAD)
			ll = i;

	ph(b, ll)->p_filesz = orig_size * 2;
	ph(b, ll)->p_memsz = orig_size * 2;
	bad("seg_outside", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	ph(b, ll)->p_offset = 0xfffffffffffff000ull + LDR_OFF(ph(b, ll)->p_vaddr);
	bad("seg_offset_overflow", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	bad("trunc_segment", b, ph(b, ll)->p_offset + ph(b, ll)->p_filesz / 2, 126);
	ph(b, ll)->p_memsz = ph(b, ll)->p_filesz - 1;
	bad("filesz_gt_memsz", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	ph(b, l1)->p_vaddr += 1;
	bad("misaligned", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	Elf64_Phdr t = *ph(b, l0);
	*ph(b, l0) = *ph(b, l1);
	*ph(b, l1) = t;
	bad("descending", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	ph(b, l0)->p_memsz = ph(b, l1)->p_vaddr - ph(b, l0)->p_vaddr + 0x10;
	bad("overlap", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	ph(b, l0)->p_vaddr = 0xffff800000000000ull + LDR_OFF(ph(b, l0)->p_offset);
	bad("seg_kernel_range", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	ph(b, ll)->p_memsz = 0xfffffffffffff000ull;
	bad("seg_wrap", b, orig_size, 126);
	memcpy(b, orig, orig_size);
	for (int i = 0; i < eh(b)->e_phnum; i++)
		if (ph(b, i)->p_type == PT_LOAD)
			ph(b, i)->p_type = PT_NULL;
	bad("no_load", b, orig_size, 126);
	free(b);
}

static void bad_interp(void)
{
	static char longpath[PATH_MAX + 64];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	const char *good_interp = path_of("good", "tiny_interp");
	tiny_bad("two_interp", &TINY(ET_DYN, 0, good_interp, good_interp), 126);
	tiny_bad("interp_empty", &TINY(ET_DYN, 0, ""), 126);
	tiny_bad("interp_nul_only",
		 &(struct tiny){ .type = ET_DYN, .interp = { "" }, .interp_len = { 2 } }, 126);
	tiny_bad("interp_nonul", &(struct tiny){ .type = ET_DYN,
						.interp = { "/lib64/ld-linux-x86-64.so.2" },
						.interp_len = { 10 } }, 126);
	tiny_bad("interp_long", &TINY(ET_DYN, 0, longpath), 126);
	tiny_bad("interp_missing", &TINY(ET_DYN, 0, "/nonexistent/ld.so"), 127);
	tiny_bad("interp_dir", &TINY(ET_DYN, 0, "/"), 126);
	tiny_bad("interp_not_elf", &TINY(ET_DYN, 0, path_of("bad", "not_elf")), 126);
	tiny_bad("interp_aarch64", &TINY(ET_DYN, 0, path_of("bad", "aarch64")), 126);
	tiny_bad("interp_has_interp", &TINY(ET_DYN, 0, path_of("good", "with_interp")),
		 126);
	tiny_file("bad", "interp_noperm_target", &TINY(ET_DYN, 0), 0644);
	tiny_bad("interp_noperm", &TINY(ET_DYN, 0, path_of("bad", "interp_noperm_target")), 126);
	tiny_file("bad", "noperm", &TINY(ET_EXEC, 0x400000), 0644);
	fprintf(expected, "noperm 126\n");
	if (mkdir(path_of("bad", "directory"), 0755) != 0 && errno != EEXIST)
		die("mkdir: %s", strerror(errno));
	fprintf(expected, "directory 126\n");
	unlink(path_of("bad", "fifo"));
	if (mkfifo(path_of("bad", "fifo"), 0755) != 0)
		die("mkfifo: %s", strerror(errno));
	fprintf(expected, "fifo 126\n");
	fprintf(expected, "missing 127\n");
}

static void good_files(void)
{
	tiny_file("good", "tiny_exec", &TINY(ET_EXEC, 0x400000), 0755);
	tiny_file("good", "tiny_dyn", &TINY(ET_DYN, 0), 0755);
	tiny_file("good", "tiny_interp", &TINY(ET_DYN, 0), 0755);
	tiny_file("good", "with_interp",
		  &TINY(ET_DYN, 0, path_of("good", "tiny_interp")), 0755);
}

/* ---- fuzz: deterministic xorshift ---- */

static uint64_t rng = 0x5fde3u;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fuzz_files(void)
{
	size_t hdr = eh(orig)->e_phoff + (size_t)eh(orig)->e_phnum * sizeof(Elf64_Phdr);
	static const uint64_t special[] = { 0, 1, 0xff, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000,
					    0xffffffff, 0x7fffffffffffffffull, 0xffffffffffffffffull,
					    0x1000, 0xfff, 0x400000 };
	unsigned char *b = copy();
	for (int k = 0; k < FUZZ_COUNT; k++) {
		char name[16];
		size_t len = orig_size;
		memcpy(b, orig, orig_size);
		switch (k % 4) {
		case 0:   /* truncated, mostly within the first pages */
			len = k % 8 == 0 ? rnd() % orig_size : rnd() % (hdr + 8192);
			break;
		case 1:   /* a few random bytes in the headers */
			for (int n = 1 + rnd() % 4; n > 0; n--)
				b[rnd() % hdr] = (unsigned char)rnd();
			break;
		case 2: { /* a header field set to an edge value */
			size_t at = (rnd() % hdr) & ~(size_t)1;
			uint64_t v = special[rnd() % (sizeof(special) / sizeof(special[0]))];
			size_t w = (size_t)1 << (rnd() % 4);
			if (at + w > hdr)
				at = hdr - w;
			memcpy(b + at, &v, w);
			break;
		}
		default:  /* single bit flips anywhere in the headers, plus one in the file */
			b[rnd() % hdr] ^= (unsigned char)(1u << (rnd() % 8));
			b[rnd() % orig_size] ^= (unsigned char)(1u << (rnd() % 8));
			break;
		}
		snprintf(name, sizeof(name), "%03d", k);
		write_file(path_of("fuzz", name), b, len, 0755);
	}
	free(b);
}

static void load_orig(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die("%s: %s", path, strerror(errno));
	orig_size = (size_t)st.st_size;
	orig = malloc(orig_size);
	if (!orig || read(fd, orig, orig_size) != (ssize_t)orig_size)
		die("%s: cannot read", path);
	close(fd);
	if (orig_size < 4096 || memcmp(orig, ELFMAG, SELFMAG) || eh(orig)->e_type != ET_EXEC ||
	    eh(orig)->e_phentsize != sizeof(Elf64_Phdr))
		die("%s: want a static x86-64 ET_EXEC", path);
}

int main(int argc, char **argv)
{
	static char dir[PATH_MAX];
	if (argc != 3)
		die("usage: mkbad STATIC_BINARY OUTDIR");
	load_orig(argv[1]);
	if (!realpath(argv[2], dir))
		die("%s: %s", argv[2], strerror(errno));
	outdir = dir;
	const char *subs[] = { "bad", "good", "fuzz" };
	for (int i = 0; i < 3; i++)
		if (mkdir(path_of(subs[i], ""), 0755) != 0 && errno != EEXIST)
			die("mkdir: %s", strerror(errno));
	char ep[PATH_MAX];
	snprintf(ep, sizeof(ep), "%s/expected", outdir);
	if (!(expected = fopen(ep, "w")))
		die("%s: %s", ep, strerror(errno));
	good_files();
	bad_headers();
	bad_segments();
	bad_interp();
	fuzz_files();
	fclose(expected);
	return 0;
}
