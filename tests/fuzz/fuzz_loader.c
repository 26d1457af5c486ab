/* Fuzz target for the ELF loader: each input is an ELF file, loaded in this process by
 * ldr_load(), the whole path sfdemu takes (validation, interpreter lookup, reservation,
 * segment mapping, stack building), then taken back out again.
 *
 * Why in-process and not a fork per input: the loader never replaces a mapping (its
 * reservations are MAP_FIXED_NOREPLACE, segments go inside them), so a load cannot clobber
 * this process, and an in-process run is what lets the sanitizers and the coverage feedback
 * see the loader. What a load leaves behind is checked exactly: the loader's sources are
 * built for this target with mmap/munmap renamed to the tracking wrappers below, so every
 * mapping it makes is known. After each input:
 *   - a refused file printed exactly one line "sfdemu: PATH: ..." and returned 126 or 127,
 *     and left no mapping and no open file behind;
 *   - a loaded file printed nothing, returned 0, and its stack pointer lies in a recorded
 *     stack region; then everything it mapped is unmapped here.
 * Any violation aborts, which libFuzzer reports as a crash.
 *
 * Built with clang -fsanitize=fuzzer,address,undefined by tests/hardening.mk; the same file
 * linked with tests/fuzz/replay.c (any compiler) replays saved inputs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../emu/process.h"
#include "../../loader/loader.h"
#include "fuzz.h"

/* The loader's memory map calls this when mappings change; there is no block cache here. */
void blk_invalidate(uint64_t start, uint64_t end) { (void)start; (void)end; }

/* ---- mappings made by the loader (its mmap and munmap are renamed to these) ---- */

struct fz_range { uint64_t s, e; };
static struct fz_range *fz_maps;
static size_t fz_nmaps, fz_capmaps;

static void fz_track_add(uint64_t s, uint64_t e)
{
	if (fz_nmaps == fz_capmaps) {
		fz_capmaps = fz_capmaps ? fz_capmaps * 2 : 64;
		fz_maps = realloc(fz_maps, fz_capmaps * sizeof(*fz_maps));
		if (!fz_maps)
			abort();
	}
	fz_maps[fz_nmaps++] = (struct fz_range){ s, e };
}

/* Take [s, e) out of every tracked range (splitting where needed). */
static void fz_track_remove(uint64_t s, uint64_t e)
{
	size_t n = fz_nmaps;
	for (size_t i = 0; i < n; i++) {
		struct fz_range r = fz_maps[i];
		if (r.e <= s || r.s >= e)
			continue;
		struct fz_range left = { r.s, r.s < s ? s : r.s }, right = { r.e > e ? e : r.e, r.e };
		fz_maps[i] = left;
		if (right.e > right.s) {
			if (left.e > left.s)
				fz_track_add(right.s, right.e);
			else
				fz_maps[i] = right;
		}
	}
}

/* Whether the tracked ranges cover [s, e). */
static bool fz_covered(uint64_t s, uint64_t e)
{
	while (s < e) {
		uint64_t next = s;
		for (size_t j = 0; j < fz_nmaps; j++)
			if (fz_maps[j].s <= s && s < fz_maps[j].e && fz_maps[j].e > next)
				next = fz_maps[j].e;
		if (next == s)
			return false;
		s = next;
	}
	return true;
}

static uint64_t fz_page_up(uint64_t v) { return (v + 4095) & ~4095ull; }

void *fuzz_ldr_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED)
		fz_track_add((uint64_t)p, (uint64_t)p + fz_page_up(len));
	return p;
}

int fuzz_ldr_munmap(void *addr, size_t len)
{
	int rc = munmap(addr, len);
	if (rc == 0)
		fz_track_remove((uint64_t)addr, (uint64_t)addr + fz_page_up(len));
	return rc;
}

static size_t fz_tracked_bytes(void)
{
	size_t n = 0;
	for (size_t i = 0; i < fz_nmaps; i++)
		if (fz_maps[i].e > fz_maps[i].s)
			n += fz_maps[i].e - fz_maps[i].s;
	return n;
}

/* ---- one input ---- */

static int fz_elf = -1;          /* memfd holding the input */
static char fz_path[64];         /* /proc/self/fd/N */
static int fz_lowest_fd;         /* the lowest free fd before this input */
static struct process fz_proc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* No address randomisation: the same input loads the same way every time. */
	personality(ADDR_NO_RANDOMIZE);
	fz_elf = memfd_create("sfdemu-fuzz-elf", MFD_CLOEXEC);
	if (fz_elf < 0) {
		perror("memfd_create");
		abort();
	}
	fchmod(fz_elf, 0755);
	snprintf(fz_path, sizeof fz_path, "/proc/self/fd/%d", fz_elf);
	return 0;
}

static void fz_check(bool ok, const char *what, const char *err)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_loader: %s\n  loader said: %s\n", what, err);
	abort();
}

/* The loader's stderr output for this input: exactly one line naming the file, or nothing. */
static void fz_check_output(int rc, const char *err, size_t len)
{
	if (rc == 0) {
		fz_check(len == 0, "loaded, yet printed something", err);
		return;
	}
	fz_check(rc == 126 || rc == 127, "refused with a status other than 126/127", err);
	char prefix[96];
	snprintf(prefix, sizeof prefix, "sfdemu: %s: ", fz_path);
	fz_check(len > strlen(prefix) && !strncmp(err, prefix, strlen(prefix)),
		 "refused without a \"sfdemu: PATH: \" line", err);
	fz_check(memchr(err, '\n', len) == err + len - 1 && strlen(err) == len,
		 "refused with other than exactly one line", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fz_elf, 0) != 0 || pwrite(fz_elf, data, size, 0) != (ssize_t)size)
		abort();
	static char err[4096];
	memset(err, 0, sizeof err);
	/* libFuzzer opens files of its own between inputs: compare within this one. */
	fz_lowest_fd = dup(0);
	close(fz_lowest_fd);
	FILE *saved = stderr, *mem = fmemopen(err, sizeof err - 1, "w");
	if (!mem)
		abort();
	setvbuf(mem, NULL, _IONBF, 0);
	char *argv[] = { fz_path, "arg", NULL };
	char *envp[] = { "FUZZ=1", NULL };
	struct ldr_image img;
	memset(&fz_proc, 0, sizeof fz_proc);
	fz_nmaps = 0;
	stderr = mem;
	int rc = ldr_load(&fz_proc, fz_path, argv, envp, &img);
	stderr = saved;
	size_t len = (size_t)ftell(mem);
	fclose(mem);
	err[len] = '\0';
	fz_check_output(rc, err, len);

	if (rc != 0) {
		fz_check(fz_tracked_bytes() == 0, "refused file left mappings behind", err);
		fz_check(fz_proc.mm.count == 0, "refused file left memory map records", err);
	} else {
		const struct mm_region *st = mm_find(&fz_proc.mm, img.stack);
		fz_check(st && (st->flags & MAP_GROWSDOWN), "stack pointer outside the stack", err);
		fz_check(img.brk % 4096 == 0 && fz_proc.mm.brk_start == img.brk, "brk", err);
		/* Everything recorded is among what was mapped. */
		for (size_t i = 0; i < fz_proc.mm.count; i++)
			fz_check(fz_covered(fz_proc.mm.regions[i].start, fz_proc.mm.regions[i].end),
				 "memory map records a region the loader did not map", err);
		for (size_t i = 0; i < fz_nmaps; i++)
			if (fz_maps[i].e > fz_maps[i].s)
				munmap((void *)fz_maps[i].s, fz_maps[i].e - fz_maps[i].s);
	}
	free(fz_proc.mm.regions);
	int fd = dup(0);
	close(fd);
	if (fd != fz_lowest_fd) {
		char link[64], target[256] = "?";
		snprintf(link, sizeof link, "/proc/self/fd/%d", fz_lowest_fd);
		ssize_t n = readlink(link, target, sizeof target - 1);
		target[n > 0 ? n : 1] = '\0';
		fprintf(stderr, "fuzz_loader: fd %d (%s) left open\n", fz_lowest_fd, target);
		fz_check(false, "a file descriptor was left open", err);
	}
	return 0;
}
