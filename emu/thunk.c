/* Host thunks. A guest spends much of its time in a few libc leaf functions (memcmp, strcmp,
 * memcpy, strlen, ...), which the interpreter runs at a few dozen host instructions per guest
 * byte where host code needs a fraction of one. When such a function is called, a thunk op at
 * its entry computes the result as host code and returns as the function's `ret` would.
 *
 * Which functions. The main program's symbol table (.symtab: a static program that is not
 * stripped) names the candidates; a candidate becomes a thunk only if its code in guest
 * memory is, byte for byte, an implementation listed below (size and FNV-1a hash of the
 * bytes, checked each time the block at its entry is decoded). A function of the same name
 * with other code (another libc, another version, the program's own) runs as guest code.
 * Programs with an interpreter (dynamically linked) get no thunks.
 *
 * Exactness. Each thunk gives what the listed code gives: the same return value (memcmp and
 * strcmp return the difference of the first differing bytes, as musl's do), the same memory
 * written, and no read the guest code would not make except within a page it reads anyway
 * (word-at-a-time comparisons stop at page boundaries, so a string ending just before an
 * unmapped page is read as safely as by the byte loop). Where the host code would differ,
 * the thunk declines and the guest code runs: memcpy and stpcpy with overlapping buffers,
 * whose results musl's forward copy defines its own way. The guest test thunks.c checks every
 * thunk against the same functions run natively. Registers the ABI lets the function clobber
 * (rcx, rdx, rsi, rdi, r8-r11, the flags) keep their values instead.
 *
 * Faults. A thunk touches guest memory as host code: a fault there is the guest's, reported at
 * the function's entry (the thunk op), with the address that faulted.
 *
 * These are plain typed calls, not libffi calls: every thunk needs its own code for the exact
 * result anyway, and a direct call costs a few instructions where ffi_call costs a hundred.
 * --no-thunks turns them off.
 */
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "thunk.h"
#include "chain.h"
#include "process.h"

#define PAGE 4096ull

/* ---- the thunks: arguments in rdi, rsi, rdx; the result to rax, then `ret` ---- */

#define HANDLER(name) static const struct op *name(struct cpu *cpu, const struct op *op)
#define PTR(v) ((const uint8_t *)(uintptr_t)(v))

static inline const struct op *thunk_ret(struct cpu *cpu, const struct op *op, uint64_t rax)
{
	cpu->r[R_RAX] = rax;
	return op_goto(cpu, guest_pop64(cpu, op));
}

static inline uint64_t page_room(uint64_t a)
{
	return PAGE - (a & (PAGE - 1));
}

static inline uint64_t min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;
	return m < c ? m : c;
}

static inline uint64_t has_zero_byte(uint64_t x)
{
	return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/* musl: the first differing bytes' difference, or 0; reads stop at the first difference. */
static int memcmp_exact(const uint8_t *l, const uint8_t *r, uint64_t n)
{
	while (n) {
		uint64_t c = min3(n, page_room((uintptr_t)l), page_room((uintptr_t)r)), i = 0;
		for (; i + 8 <= c; i += 8) {
			uint64_t x = ld64((uintptr_t)(l + i)), y = ld64((uintptr_t)(r + i));
			if (x != y) {
				unsigned k = (unsigned)__builtin_ctzll(x ^ y) / 8;
				return l[i + k] - r[i + k];
			}
		}
		for (; i < c; i++)
			if (l[i] != r[i])
				return l[i] - r[i];
		l += c, r += c, n -= c;
	}
	return 0;
}

/* musl: the difference at the first differing byte or the first NUL of l. */
static int strcmp_exact(const uint8_t *l, const uint8_t *r)
{
	for (;;) {
		uint64_t c = page_room((uintptr_t)l) < page_room((uintptr_t)r) ?
			     page_room((uintptr_t)l) : page_room((uintptr_t)r), i = 0;
		for (; i + 8 <= c; i += 8) {
			uint64_t x = ld64((uintptr_t)(l + i)), y = ld64((uintptr_t)(r + i));
			if (x != y || has_zero_byte(x))
				break;
		}
		for (; i < c; i++)
			if (l[i] != r[i] || !l[i])
				return l[i] - r[i];
		l += c, r += c;
	}
}

/* musl: compares up to n bytes, stopping at a difference or a NUL in either. */
static int strncmp_exact(const uint8_t *l, const uint8_t *r, uint64_t n)
{
	if (!n--)
		return 0;
	for (; *l && *r && n && *l == *r; l++, r++, n--)
		;
	return *l - *r;
}

HANDLER(op_thunk_memcmp)
{
	cpu->cur_op = op;
	int d = memcmp_exact(PTR(cpu->r[R_RDI]), PTR(cpu->r[R_RSI]), cpu->r[R_RDX]);
	return thunk_ret(cpu, op, (uint32_t)d);
}

/* glibc's SSE2 memcmp returns the byte difference for 1 byte and for more than 16; between,
 * other values of the same sign, which its own code gives. */
HANDLER(op_thunk_memcmp_glibc)
{
	uint64_t n = cpu->r[R_RDX];
	if (n >= 2 && n <= 16)
		return OP_NEXT(cpu, op);
	cpu->cur_op = op;
	int d = memcmp_exact(PTR(cpu->r[R_RDI]), PTR(cpu->r[R_RSI]), n);
	return thunk_ret(cpu, op, (uint32_t)d);
}

HANDLER(op_thunk_strcmp)
{
	cpu->cur_op = op;
	int d = strcmp_exact(PTR(cpu->r[R_RDI]), PTR(cpu->r[R_RSI]));
	return thunk_ret(cpu, op, (uint32_t)d);
}

HANDLER(op_thunk_strncmp)
{
	cpu->cur_op = op;
	int d = strncmp_exact(PTR(cpu->r[R_RDI]), PTR(cpu->r[R_RSI]), cpu->r[R_RDX]);
	return thunk_ret(cpu, op, (uint32_t)d);
}

HANDLER(op_thunk_strlen)
{
	cpu->cur_op = op;
	return thunk_ret(cpu, op, strlen((const char *)PTR(cpu->r[R_RDI])));
}

/* musl's memcpy copies forward: the same as memmove unless the destination starts inside the
 * source, where it repeats bytes; that case runs the guest's code. */
HANDLER(op_thunk_memcpy)
{
	uint64_t d = cpu->r[R_RDI], s = cpu->r[R_RSI], n = cpu->r[R_RDX];
	if (d > s && d - s < n)
		return OP_NEXT(cpu, op);
	cpu->cur_op = op;
	memmove((void *)(uintptr_t)d, PTR(s), n);
	return thunk_ret(cpu, op, d);
}

HANDLER(op_thunk_memset)
{
	uint64_t d = cpu->r[R_RDI];
	cpu->cur_op = op;
	memset((void *)(uintptr_t)d, (int)(uint8_t)cpu->r[R_RSI], cpu->r[R_RDX]);
	return thunk_ret(cpu, op, d);
}

/* strcpy and stpcpy: the string at s copied to d, whose result is d plus `end` times the
 * string's length; overlapping strings run the guest's code. */
static inline const struct op *copy_string(struct cpu *cpu, const struct op *op, bool end)
{
	uint64_t d = cpu->r[R_RDI], s = cpu->r[R_RSI];
	cpu->cur_op = op;
	uint64_t n = strlen((const char *)PTR(s));
	if (d <= s + n && s <= d + n)
		return OP_NEXT(cpu, op);
	memcpy((void *)(uintptr_t)d, PTR(s), n + 1);
	return thunk_ret(cpu, op, end ? d + n : d);
}

HANDLER(op_thunk_stpcpy)
{
	return copy_string(cpu, op, true);
}

HANDLER(op_thunk_strcpy)
{
	return copy_string(cpu, op, false);
}

/* glibc's memcpy is its memmove: overlapping copies are defined. */
HANDLER(op_thunk_memmove)
{
	uint64_t d = cpu->r[R_RDI];
	cpu->cur_op = op;
	memmove((void *)(uintptr_t)d, PTR(cpu->r[R_RSI]), cpu->r[R_RDX]);
	return thunk_ret(cpu, op, d);
}

HANDLER(op_thunk_mempcpy)
{
	uint64_t d = cpu->r[R_RDI], n = cpu->r[R_RDX];
	cpu->cur_op = op;
	memmove((void *)(uintptr_t)d, PTR(cpu->r[R_RSI]), n);
	return thunk_ret(cpu, op, d + n);
}

HANDLER(op_thunk_strnlen)
{
	cpu->cur_op = op;
	return thunk_ret(cpu, op, strnlen((const char *)PTR(cpu->r[R_RDI]), cpu->r[R_RSI]));
}

/* The character searches: a pointer into the string at rdi, or NULL. */
#define SEARCH_THUNK(name, call)                                                           \
	HANDLER(op_thunk_##name)                                                           \
	{                                                                                  \
		cpu->cur_op = op;                                                          \
		const char *s = (const char *)PTR(cpu->r[R_RDI]);                          \
		int c = (int)cpu->r[R_RSI];                                                \
		return thunk_ret(cpu, op, (uint64_t)(uintptr_t)(call));                    \
	}
SEARCH_THUNK(memchr, memchr(s, c, cpu->r[R_RDX]))
SEARCH_THUNK(rawmemchr, rawmemchr(s, c))
SEARCH_THUNK(strchr, strchr(s, c))
SEARCH_THUNK(strchrnul, strchrnul(s, c))
SEARCH_THUNK(strrchr, strrchr(s, c))

/* ---- the implementations known ---- */

struct thunk_impl {
	const char *name;   /* the symbol */
	uint32_t size;      /* bytes of code checked from its address */
	uint64_t fnv;       /* their FNV-1a hash */
	op_fn fn;
};

static const struct thunk_impl impls[] = {
	/* musl 1.2.3 (Debian 12's musl-dev), x86_64. memcpy and memset are assembly without a
	 * symbol size: their whole code is checked. */
	{ "memcmp", 52, 0x124f8bb741a49a6full, op_thunk_memcmp },
	{ "strcmp", 62, 0x18c5cbe2cba5f29cull, op_thunk_strcmp },
	{ "strncmp", 118, 0xd562594b54c6614dull, op_thunk_strncmp },
	{ "strlen", 125, 0x7f7d6bf21b7bd290ull, op_thunk_strlen },
	{ "memchr", 197, 0x55c8ecb7ca02a83cull, op_thunk_memchr },
	{ "memcpy", 50, 0xc93235ac3edb7219ull, op_thunk_memcpy },
	{ "memset", 196, 0x8c37926289e2ca9dull, op_thunk_memset },
	{ "__stpcpy", 169, 0xc8e44879deb4a7b0ull, op_thunk_stpcpy },
	/* glibc 2.36 (Debian 12's libc6-dev), x86_64, the SSE2 versions its IFUNCs pick on the
	 * baseline CPU sfdemu reports. memcpy, memmove and mempcpy are short entries into one
	 * body (the bytes checked include their jumps into it); strcmp and strncmp return the
	 * difference of the first differing bytes, memcmp too except for lengths 2 to 16. */
	{ "__memmove_sse2_unaligned", 40, 0xd2f9685e82886c4ull, op_thunk_memmove },
	{ "__mempcpy_sse2_unaligned", 8, 0x5adb57d1345d04b9ull, op_thunk_mempcpy },
	{ "__memset_sse2_unaligned", 49, 0xa7d2e9aa58390ff1ull, op_thunk_memset },
	{ "__memcmp_sse2", 720, 0x35a7a01c1ba3777aull, op_thunk_memcmp_glibc },
	{ "__memchr_sse2", 803, 0xf7d9c4de70e2666full, op_thunk_memchr },
	{ "__rawmemchr_sse2", 505, 0x1318e217a6e3e15full, op_thunk_rawmemchr },
	{ "__strlen_sse2", 412, 0xfc5303d425e2c7a8ull, op_thunk_strlen },
	{ "__strnlen_sse2", 536, 0xa08eb8a724510eeaull, op_thunk_strnlen },
	{ "__strcmp_sse2", 5177, 0xc8454c0f9036f48dull, op_thunk_strcmp },
	{ "__strncmp_sse2", 6217, 0x5ab166841e5725d7ull, op_thunk_strncmp },
	{ "__strchr_sse2", 538, 0x9c9e6f525ae56ad5ull, op_thunk_strchr },
	{ "__strchrnul_sse2", 522, 0x4688f43eeb8156ebull, op_thunk_strchrnul },
	{ "__strrchr_sse2", 669, 0xe48100b9987e041ull, op_thunk_strrchr },
	{ "__strcpy_sse2", 220, 0xc08dd6723f096a8dull, op_thunk_strcpy },
	{ "__stpcpy_sse2", 220, 0xc115c6723f7ce8f5ull, op_thunk_stpcpy },
};
#define NIMPLS (sizeof impls / sizeof impls[0])

static uint64_t fnv1a(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* ---- finding the candidates in the main program's symbol table ---- */

struct thunk_site {
	uint64_t addr;
	const struct thunk_impl *impl;
};
static struct thunk_site sites[NIMPLS];
static unsigned nsites;
static pthread_once_t sites_once = PTHREAD_ONCE_INIT;

static bool read_at(int fd, void *buf, uint64_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len;
}

/* The load bias of the main program: 0 for ET_EXEC; for ET_DYN, its brk starts at the end of
 * its highest segment. False for a program with an interpreter or headers that make no sense
 * (the loader refused those already; this is only to be sure). */
static bool main_bias(int fd, const Elf64_Ehdr *eh, uint64_t *bias)
{
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 256)
		return false;
	Elf64_Phdr ph[256];
	if (!read_at(fd, ph, (uint64_t)eh->e_phnum * sizeof ph[0], eh->e_phoff))
		return false;
	uint64_t hi = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return false;
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz &&
		    ((ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1)) > hi)
			hi = (ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1);
	}
	*bias = eh->e_type == ET_DYN ? the_process.mm.brk_start - hi : 0;
	return eh->e_type == ET_EXEC || eh->e_type == ET_DYN;
}

static void add_site(const char *name, uint64_t addr)
{
	for (unsigned i = 0; i < NIMPLS; i++)
		if (!strcmp(impls[i].name, name) && nsites < NIMPLS) {
			for (unsigned j = 0; j < nsites; j++)
				if (sites[j].impl == &impls[i])
					return;
			sites[nsites++] = (struct thunk_site){ addr, &impls[i] };
		}
}

/* The symbols of one SHT_SYMTAB section (read in chunks) with its string table. */
static void scan_symtab(int fd, const Elf64_Shdr *sym, const Elf64_Shdr *str, uint64_t bias)
{
	uint64_t count = sym->sh_size / sizeof(Elf64_Sym);
	if (count > (1u << 22) || str->sh_size == 0 || str->sh_size > (64u << 20))
		return;
	char *names = malloc(str->sh_size + 1);
	if (!names)
		return;
	if (!read_at(fd, names, str->sh_size, str->sh_offset)) {
		free(names);
		return;
	}
	names[str->sh_size] = 0;
	Elf64_Sym buf[256];
	for (uint64_t at = 0; at < count; at += 256) {
		uint64_t k = count - at < 256 ? count - at : 256;
		if (!read_at(fd, buf, k * sizeof buf[0], sym->sh_offset + at * sizeof buf[0]))
			break;
		for (uint64_t j = 0; j < k; j++) {
			const Elf64_Sym *s = &buf[j];
			if (ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_shndx != SHN_UNDEF &&
			    s->st_name < str->sh_size)
				add_site(names + s->st_name, s->st_value + bias);
		}
	}
	free(names);
}

static void find_sites(void)
{
	if (the_process.opt.no_thunks || !the_process.exe_path[0])
		return;
	int fd = open(the_process.exe_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	Elf64_Ehdr eh;
	uint64_t bias;
	if (read_at(fd, &eh, sizeof eh, 0) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_machine == EM_X86_64 &&
	    eh.e_shentsize == sizeof(Elf64_Shdr) && eh.e_shnum > 0 && eh.e_shnum < 4096 &&
	    main_bias(fd, &eh, &bias)) {
		for (unsigned i = 0; i < eh.e_shnum; i++) {
			Elf64_Shdr sh, str;
			if (!read_at(fd, &sh, sizeof sh, eh.e_shoff + (uint64_t)i * sizeof sh))
				break;
			if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum ||
			    !read_at(fd, &str, sizeof str, eh.e_shoff + (uint64_t)sh.sh_link * sizeof str))
				continue;
			scan_symtab(fd, &sh, &str, bias);
		}
	}
	close(fd);
}

op_fn thunk_at(uint64_t pc)
{
	pthread_once(&sites_once, find_sites);
	for (unsigned i = 0; i < nsites; i++) {
		const struct thunk_impl *t = sites[i].impl;
		if (sites[i].addr != pc)
			continue;
		if (mm_accessible(&the_process.mm, pc, t->size, PROT_EXEC | PROT_READ) != t->size ||
		    fnv1a(PTR(pc), t->size) != t->fnv)
			return NULL;
		if (the_process.opt.debug)
			fprintf(stderr, "sfdemu: %s at 0x%llx runs as host code\n", t->name,
				(unsigned long long)pc);
		return t->fn;
	}
	return NULL;
}
