/* The initial guest stack, laid out as the kernel's exec does (fs/exec.c copy_strings and
 * fs/binfmt_elf.c create_elf_tables). From the top down:
 *   8 zero bytes; the execfn string; the envp strings; the argv strings (so in memory argv[0]
 *   comes first); a random 0..8 KiB gap and 16-byte alignment (arch_align_stack); the
 *   platform string "x86_64"; 16 AT_RANDOM bytes; padding; auxv; envp[]; argv[]; argc.
 * rsp at entry points at argc and is 16-byte aligned. No vDSO: AT_SYSINFO_EHDR is left out,
 * so the libc makes real syscalls for the time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>
#include "loader_internal.h"
#include "../emu/cpuid.h"
#include "../syscalls/linux_abi.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#ifndef AT_HWCAP2
#define AT_HWCAP2 26
#endif
#ifndef AT_EXECFN
#define AT_EXECFN 31
#endif
#ifndef AT_RANDOM
#define AT_RANDOM 25
#endif

#define LDR_STACK_DEFAULT  (8ull << 20)
#define LDR_STACK_MAX      (64ull << 20)
#define LDR_STACK_MIN      (128ull << 10)
/* Below the stack, as the kernel's stack_guard_gap (256 pages): an overflow faults. */
#define LDR_STACK_GUARD    (1ull << 20)
#define LDR_AUXV_PAIRS     20

static uint64_t ldr_stack_size(void)
{
	struct rlimit rl;
	uint64_t size = LDR_STACK_DEFAULT;
	if (getrlimit(RLIMIT_STACK, &rl) == 0)
		size = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > LDR_STACK_MAX
			       ? LDR_STACK_MAX : (uint64_t)rl.rlim_cur;
	if (size < LDR_STACK_MIN)
		size = LDR_STACK_MIN;
	return LDR_PAGEALIGN(size);
}

static void ldr_random_bytes(unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = getrandom(buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {   /* no getrandom: still fill it, from the weaker source */
			uint64_t v = ldr_random64();
			n = len < sizeof(v) ? (ssize_t)len : (ssize_t)sizeof(v);
			memcpy(buf, &v, (size_t)n);
		}
		buf += n;
		len -= (size_t)n;
	}
}

static size_t ldr_count(char *const v[])
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Copy the strings of v upward from *p; store each one's address in ptrs[]. */
static void ldr_put_strings(char *const v[], size_t n, uint64_t *p, uint64_t *ptrs)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		memcpy((void *)*p, v[i], len);
		ptrs[i] = *p;
		*p += len;
	}
}

/* The auxiliary vector in the kernel's order (ARCH_DLINFO first); returns the word count. */
static size_t ldr_auxv(uint64_t *a, const struct ldr_stack_info *info, uint64_t random,
		       uint64_t execfn, uint64_t platform)
{
	size_t n = 0;
#define LDR_AUX(id, val) do { a[n++] = (id); a[n++] = (uint64_t)(val); } while (0)
	LDR_AUX(AT_MINSIGSTKSZ, LINUX_AT_MINSIGSTKSZ);
	LDR_AUX(AT_HWCAP, CPUID_1_EDX);
	LDR_AUX(AT_PAGESZ, LDR_PAGE);
	LDR_AUX(AT_CLKTCK, sysconf(_SC_CLK_TCK));
	LDR_AUX(AT_PHDR, info->phdr);
	LDR_AUX(AT_PHENT, sizeof(Elf64_Phdr));
	LDR_AUX(AT_PHNUM, info->phnum);
	LDR_AUX(AT_BASE, info->base);
	LDR_AUX(AT_FLAGS, 0);
	LDR_AUX(AT_ENTRY, info->entry);
	LDR_AUX(AT_UID, getuid());
	LDR_AUX(AT_EUID, geteuid());
	LDR_AUX(AT_GID, getgid());
	LDR_AUX(AT_EGID, getegid());
	LDR_AUX(AT_SECURE, 0);
	LDR_AUX(AT_RANDOM, random);
	LDR_AUX(AT_HWCAP2, 0);
	LDR_AUX(AT_EXECFN, execfn);
	LDR_AUX(AT_PLATFORM, platform);
	LDR_AUX(AT_NULL, 0);
#undef LDR_AUX
	return n;
}

/* Map the stack: a guard gap, then `size` bytes read-write (and executable if asked). */
static int ldr_map_stack(struct mm *mm, const char *label, uint64_t size, bool exec,
			 uint64_t *top, struct ldr_undo *undo)
{
	int prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0);
	void *m = mmap(NULL, size + LDR_STACK_GUARD, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return ldr_fail(label, 126, "cannot map the stack: %s", strerror(errno));
	uint64_t base = (uint64_t)m + LDR_STACK_GUARD;
	ldr_undo_add(undo, (uint64_t)m, size + LDR_STACK_GUARD);
	if (mprotect((void *)base, size, prot) != 0)
		return ldr_fail(label, 126, "cannot map the stack: %s", strerror(errno));
	mm_add(mm, base, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_STACK);
	*top = base + size;
	return 0;
}

int ldr_build_stack(struct mm *mm, const char *label, const struct ldr_stack_info *info,
		    char *const argv[], char *const envp[], uint64_t *rsp, struct ldr_undo *undo)
{
	size_t argc = ldr_count(argv), envc = ldr_count(envp);
	uint64_t strings = strlen(info->execfn) + 1, size = ldr_stack_size(), top = 0;
	for (size_t i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1;
	for (size_t i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1;
	/* Everything that goes on the stack, with room for the random gap and alignment. */
	uint64_t need = 8 + strings + 8192 + 16 + 7 + 16 + 16 +
			(argc + envc + 3 + 2 * LDR_AUXV_PAIRS) * 8;
	if (need > size / 4 * 3)
		return ldr_fail(label, 126, "%s", strerror(E2BIG));
	uint64_t *ptrs = malloc((argc + envc + 1) * sizeof(*ptrs));
	if (!ptrs)
		return ldr_fail(label, 126, "out of memory");
	int rc = ldr_map_stack(mm, label, size, info->exec_stack, &top, undo);
	if (rc) {
		free(ptrs);
		return rc;
	}

	/* Strings: argv, envp, execfn, then 8 zero bytes at the very top. */
	uint64_t execfn = top - 8 - (strlen(info->execfn) + 1);
	uint64_t p = top - 8 - strings, arg_start = p;
	ldr_put_strings(argv, argc, &p, ptrs);
	ldr_put_strings(envp, envc, &p, ptrs + argc);
	memcpy((void *)execfn, info->execfn, strlen(info->execfn) + 1);

	p = arg_start;
	if (ldr_randomize())   /* arch_align_stack() */
		p -= ldr_random64() % 8192;
	p &= ~15ull;
	p -= sizeof("x86_64");
	uint64_t platform = p;
	memcpy((void *)platform, "x86_64", sizeof("x86_64"));
	p -= 16;
	uint64_t random = p;
	ldr_random_bytes((unsigned char *)random, 16);

	uint64_t auxv[2 * LDR_AUXV_PAIRS];
	size_t auxn = ldr_auxv(auxv, info, random, execfn, platform);
	uint64_t items = (argc + 1) + (envc + 1) + 1;
	uint64_t sp = (p - auxn * 8 - items * 8) & ~15ull;   /* STACK_ROUND */
	uint64_t *w = (uint64_t *)sp;
	*w++ = argc;
	for (size_t i = 0; i < argc; i++)
		*w++ = ptrs[i];
	*w++ = 0;
	for (size_t i = 0; i < envc; i++)
		*w++ = ptrs[argc + i];
	*w++ = 0;
	memcpy(w, auxv, auxn * 8);
	free(ptrs);
	*rsp = sp;
	return 0;
}
