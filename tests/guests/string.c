/* String and memory functions on buffers at every alignment, including buffers that end
 * exactly at a page boundary followed by an unmapped (PROT_NONE) page, where a vectorised
 * implementation that reads past the end would fault. Each result is checked against a
 * plain byte loop and folded into a per-function checksum. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wchar.h>
#include "guest.h"

#define PAGE 4096
#define SPAN (2 * PAGE)         /* usable bytes before each guard page */
#define MAXLEN 300

struct stat_line {
	const char *name;
	long n, bad;
	uint64_t sum;
};

static unsigned char *region[2];        /* each: SPAN usable bytes, then a PROT_NONE page */
static struct stat_line stats[40];
static int nstats;

static struct stat_line *stat_of(const char *name)
{
	int i;
	for (i = 0; i < nstats; i++)
		if (stats[i].name == name)
			return &stats[i];
	stats[nstats].name = name;
	return &stats[nstats++];
}

static void record(const char *name, long got, long want)
{
	struct stat_line *s = stat_of(name);
	s->n++;
	s->sum = fnv1a(s->sum ? s->sum : FNV_INIT, &got, sizeof got);
	if (got != want && s->bad++ == 0)
		printf("MISMATCH %s: got %ld want %ld\n", name, got, want);
}

static long sign(long v)
{
	return (v > 0) - (v < 0);
}

static long off(const void *p, const void *base)
{
	return p ? (const char *)p - (const char *)base : -1;
}

static unsigned char *guarded(void)
{
	unsigned char *p = mmap(NULL, SPAN + PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + SPAN, PAGE, PROT_NONE)) {
		printf("mmap/mprotect failed\n");
		exit(1);
	}
	return p;
}

/* A string of len letters (no zero) with a terminator, placed in region r. */
static char *place_str(int r, size_t len, long where, uint64_t *seed)
{
	char *s = (char *)region[r] + (where < 0 ? SPAN - len - 1 : where);
	size_t i;
	for (i = 0; i < len; i++)
		s[i] = 'a' + rng_next(seed) % 4;
	s[len] = 0;
	return s;
}

static size_t ref_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static const char *ref_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) return s;
		if (!*s) return NULL;
	}
}

static const char *ref_strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c) last = s;
		if (!*s) return last;
	}
}

static long ref_cmp(const unsigned char *a, const unsigned char *b, size_t n, int stop_at_nul)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (a[i] != b[i]) return sign(a[i] - b[i]);
		if (stop_at_nul && !a[i]) return 0;
	}
	return 0;
}

static const void *ref_memchr(const unsigned char *p, int c, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] == (unsigned char)c) return p + i;
	return NULL;
}

static size_t ref_spn(const char *s, const char *set, int accept)
{
	size_t n = 0;
	while (s[n] && (strchr(set, s[n]) != NULL) == accept) n++;
	return n;
}

static const char *ref_strstr(const char *h, const char *n)
{
	size_t hl = ref_strlen(h), nl = ref_strlen(n), i;
	for (i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0) return h + i;
	return NULL;
}

static void test_scans(size_t len, long where, uint64_t *seed)
{
	char *s = place_str(0, len, where, seed);
	const char *base = (const char *)region[0];
	int c = 'a' + rng_next(seed) % 5;       /* 'e' never occurs */

	record("strlen", strlen(s), ref_strlen(s));
	record("strnlen", strnlen(s, len / 2 + 1), len < len / 2 + 1 ? len : len / 2 + 1);
	record("strchr", off(strchr(s, c), base), off(ref_strchr(s, c), base));
	record("strchr0", off(strchr(s, 0), base), off(s + len, base));
	record("strrchr", off(strrchr(s, c), base), off(ref_strrchr(s, c), base));
	record("memchr", off(memchr(s, c, len), base), off(ref_memchr((unsigned char *)s, c, len), base));
	record("memchr0", off(memchr(s, 0, len + 1), base), off(s + len, base));
	record("memrchr", off(memrchr(s, c, len), base),
	       off(len && ref_strrchr(s, c) ? ref_strrchr(s, c) : NULL, base));
	record("strspn", strspn(s, "ab"), ref_spn(s, "ab", 1));
	record("strcspn", strcspn(s, "cd"), ref_spn(s, "cd", 0));
	record("strpbrk", off(strpbrk(s, "dx"), base), off(ref_strchr(s, 'd'), base));
	record("strstr", off(strstr(s, "abc"), base), off(ref_strstr(s, "abc"), base));
	record("strstr1", off(strstr(s, "d"), base), off(ref_strchr(s, 'd'), base));
	record("memmem", off(memmem(s, len, "cab", 3), base), off(ref_strstr(s, "cab"), base));
}

static void test_compares(size_t len, long where_a, long where_b, uint64_t *seed)
{
	char *a = place_str(0, len, where_a, seed);
	char *b = (char *)region[1] + (where_b < 0 ? SPAN - len - 1 : where_b);
	size_t diff = len ? rng_next(seed) % (len + len / 4 + 1) : 0;

	memcpy(b, a, len + 1);
	if (diff < len)
		b[diff] = (rng_next(seed) & 1) ? 'z' : (char)0x90;      /* above, or high-bit */
	record("memcmp", sign(memcmp(a, b, len)), ref_cmp((void *)a, (void *)b, len, 0));
	record("strcmp", sign(strcmp(a, b)), ref_cmp((void *)a, (void *)b, len + 1, 1));
	record("strncmp", sign(strncmp(a, b, diff)), ref_cmp((void *)a, (void *)b, diff < len ? diff : len + 1, 1));
	record("bcmp", bcmp(a, b, len) != 0, ref_cmp((void *)a, (void *)b, len, 0) != 0);
	record("strcasecmp", sign(strcasecmp(a, a)), 0);
	b[len] = 0;
	if (len) {
		b[0] = a[0] - 'a' + 'A';
		record("strncasecmp", sign(strncasecmp(a, b, len)), diff < len && diff ? -1 : 0);
	}
}

static void test_copies(size_t len, long where, uint64_t *seed)
{
	unsigned char *dst = region[1] + (where < 0 ? SPAN - len - 1 : where);
	char *src = place_str(0, len, (long)(rng_next(seed) % 64), seed);
	unsigned char *r;
	size_t i, shift;
	int ok;

	memset(dst, 0x55, len + 1);
	r = memcpy(dst, src, len);
	record("memcpy", off(r, dst) + memcmp(dst, src, len), 0);
	memset(dst, 0x55, len + 1);
	record("strcpy", off(strcpy((char *)dst, src), dst) + memcmp(dst, src, len + 1), 0);
	memset(dst, 0x55, len + 1);
	record("stpcpy", off(stpcpy((char *)dst, src), dst), len);
	memset(dst, 0x55, len + 1);
	strncpy((char *)dst, src, len / 2);
	record("strncpy", memcmp(dst, src, len / 2) + dst[len / 2], 0x55 * (len > 0 || 1));
	r = memset(dst, 0x3c, len);
	for (ok = 1, i = 0; i < len; i++)
		ok &= dst[i] == 0x3c;
	record("memset", ok + off(r, dst), 1);
	/* memmove within region 1, overlapping both ways. */
	shift = 1 + rng_next(seed) % 33;
	if (len > shift && where >= 0) {
		unsigned char *m = region[1] + where;
		unsigned char ref[MAXLEN + 64];
		for (i = 0; i < len; i++)
			m[i] = (unsigned char)(i * 13);
		memcpy(ref, m, len);
		memmove(m + shift, m, len - shift);
		record("memmove_up", memcmp(m + shift, ref, len - shift), 0);
		memcpy(m, ref, len);
		memmove(m, m + shift, len - shift);
		record("memmove_down", memcmp(m, ref + shift, len - shift), 0);
	}
}

static void test_cat_dup(size_t len, uint64_t *seed)
{
	char buf[2 * MAXLEN + 8];
	char *s = place_str(0, len, -1, seed), *d;

	strcpy(buf, "xy");
	strcat(buf, s);
	record("strcat", strlen(buf), len + 2);
	strncat(buf, s, 5);
	record("strncat", strlen(buf), len + 2 + (len < 5 ? len : 5));
	d = strdup(s);
	record("strdup", strcmp(d, s) + (long)strlen(d), len);
	free(d);
	d = strndup(s, 10);
	record("strndup", strlen(d), len < 10 ? len : 10);
	free(d);
}

static void test_wide(size_t len)
{
	wchar_t *w = (wchar_t *)(region[0] + SPAN) - len - 1;
	size_t i;

	for (i = 0; i < len; i++)
		w[i] = L'a' + (wchar_t)(i % 7) + (i % 11 == 10 ? 0x10000 : 0);
	w[len] = 0;
	record("wcslen", wcslen(w), len);
	record("wcschr", wcschr(w, L'g') ? wcschr(w, L'g') - w : -1, len > 6 ? 6 : -1);
	record("wcscmp", sign(wcscmp(w, w)), 0);
	record("wmemchr", wmemchr(w, L'c', len) ? wmemchr(w, L'c', len) - w : -1, len > 2 ? 2 : -1);
}

int main(void)
{
	uint64_t seed = 88172645463325252ULL;
	size_t len;
	long where;
	int i;

	region[0] = guarded();
	region[1] = guarded();
	for (len = 0; len <= MAXLEN; len += len < 100 ? 1 : 1 + len % 13) {
		test_scans(len, -1, &seed);
		test_compares(len, -1, -1, &seed);
		test_copies(len, -1, &seed);
		test_cat_dup(len, &seed);
		test_wide(len);
		for (where = len % 3; where < 64; where += 3 + (len % 7)) {
			test_scans(len, where + 64, &seed);
			test_compares(len, where, 64 + (where * 7) % 64, &seed);
			test_compares(len, -1, where, &seed);
			test_copies(len, where, &seed);
		}
	}
	for (i = 0; i < nstats; i++)
		printf("%-12s n=%ld bad=%ld sum=%016llx\n", stats[i].name, stats[i].n, stats[i].bad,
		       (unsigned long long)stats[i].sum);
	return 0;
}
