/* The libc functions sfdemu may run as host thunks (emu/thunk.c: memcmp, strcmp, strncmp,
 * strlen, strnlen, memchr, rawmemchr, strchr, strchrnul, strrchr, memcpy, memmove, mempcpy,
 * memset, strcpy, stpcpy) called through pointers, so each is a real call of
 * the libc's own code, on inputs chosen to tell implementations apart: exact return values
 * (byte differences with high bytes), every alignment and length near word sizes, overlapping
 * copies (musl's forward memcpy repeats bytes), strings and buffers that end just before a
 * PROT_NONE page, and calls that fault at that page (the fault address is printed relative
 * to it). Each function's results fold into a checksum; natively and under sfdemu they must
 * be the same, which makes this the differential test of the thunks.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "guest.h"

#define PAGE 4096

static int (*volatile f_memcmp)(const void *, const void *, size_t) = memcmp;
static int (*volatile f_strcmp)(const char *, const char *) = strcmp;
static int (*volatile f_strncmp)(const char *, const char *, size_t) = strncmp;
static size_t (*volatile f_strlen)(const char *) = strlen;
static void *(*volatile f_memchr)(const void *, int, size_t) = memchr;
static void *(*volatile f_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile f_memset)(void *, int, size_t) = memset;
static char *(*volatile f_stpcpy)(char *, const char *) = stpcpy;
static char *(*volatile f_strcpy)(char *, const char *) = strcpy;
static void *(*volatile f_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile f_mempcpy)(void *, const void *, size_t) = mempcpy;
static size_t (*volatile f_strnlen)(const char *, size_t) = strnlen;
static char *(*volatile f_strchr)(const char *, int) = strchr;
static char *(*volatile f_strchrnul)(const char *, int) = strchrnul;
static char *(*volatile f_strrchr)(const char *, int) = strrchr;
#ifdef __GLIBC__
static void *(*volatile f_rawmemchr)(const void *, int) = rawmemchr;
#else
static void *musl_rawmemchr(const void *p, int c) { return memchr(p, c, (size_t)-1 / 2); }
static void *(*volatile f_rawmemchr)(const void *, int) = musl_rawmemchr;
#endif

static uint64_t seed = 0x5eed1234abcdULL;
static unsigned char *guard_end;   /* the first byte of a PROT_NONE page */
static unsigned char *buf_a, *buf_b;

static unsigned rnd(unsigned n)
{
	return (unsigned)(rng_next(&seed) % n);
}

/* Bytes drawn from a small alphabet with high bytes, so strings often share prefixes. */
static void fill(unsigned char *p, size_t n)
{
	static const unsigned char alpha[] = { 'a', 'b', 0x7f, 0x80, 0xfe, 0xff, 'z', 1 };
	for (size_t i = 0; i < n; i++)
		p[i] = alpha[rnd(sizeof alpha)];
}

static void test_memcmp(void)
{
	uint64_t h = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(80) : rnd(3000);
		unsigned char *a = buf_a + rnd(64), *b = buf_b + rnd(64);
		fill(a, n);
		memcpy(b, a, n);
		if (n && rnd(4))
			b[rnd((unsigned)n)] ^= (unsigned char)(1 + rnd(255));
		int r = f_memcmp(a, b, n);
		h = fnv1a(h, &r, sizeof r);
	}
	/* Buffers ending at the guard page, equal or differing in their last byte. */
	for (size_t k = 1; k <= 40; k++) {
		unsigned char *a = guard_end - k;
		memset(a, 'q', k);
		memset(buf_b, 'q', 64);
		buf_b[k - 1] = (unsigned char)(k & 1 ? 'q' : 0xf0);
		int r = f_memcmp(a, buf_b, k) + 5 * f_memcmp(buf_b, a, k);
		h = fnv1a(h, &r, sizeof r);
	}
	printf("memcmp  %016llx\n", (unsigned long long)h);
}

static void test_strcmp(void)
{
	uint64_t h = FNV_INIT, h2 = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(70) : rnd(2000);
		char *a = (char *)buf_a + rnd(64), *b = (char *)buf_b + rnd(64);
		fill((unsigned char *)a, n);
		memcpy(b, a, n);
		a[n] = 0;
		b[n] = 0;
		if (n && rnd(3))
			b[rnd((unsigned)n)] = (char)rnd(256);
		if (rnd(4) == 0)
			b[n] = 'x', b[n + 1] = 0;
		int r = f_strcmp(a, b);
		h = fnv1a(h, &r, sizeof r);
		size_t m = rnd(4) ? rnd((unsigned)n + 3) : (size_t)-1;
		r = f_strncmp(a, b, m);
		h2 = fnv1a(h2, &r, sizeof r);
	}
	/* A string whose NUL is the last byte before the guard page. */
	for (size_t k = 1; k <= 40; k++) {
		char *a = (char *)guard_end - k;
		memset(a, 'q', k - 1);
		a[k - 1] = 0;
		memset(buf_b, 'q', k + 10);
		buf_b[k + 10] = 0;
		int r = f_strcmp(a, (char *)buf_b) + 3 * f_strcmp((char *)buf_b, a);
		h = fnv1a(h, &r, sizeof r);
		r = f_strncmp(a, (char *)buf_b, k + 50);
		h2 = fnv1a(h2, &r, sizeof r);
	}
	printf("strcmp  %016llx\nstrncmp %016llx\n", (unsigned long long)h, (unsigned long long)h2);
}

static void test_scan(void)
{
	uint64_t h = FNV_INIT, h2 = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(70) : rnd(3000);
		unsigned char *a = buf_a + rnd(64);
		fill(a, n);
		for (size_t j = 0; j < n; j++)
			if (!a[j])
				a[j] = 'n';
		a[n] = 0;
		size_t len = f_strlen((char *)a);
		h = fnv1a(h, &len, sizeof len);
		int c = rnd(3) ? a[rnd((unsigned)n + 1)] : (int)rnd(1024) - 256;
		unsigned char *p = f_memchr(a, c, rnd(4) ? n : rnd((unsigned)n + 1));
		long off = p ? p - a : -1;
		h2 = fnv1a(h2, &off, sizeof off);
	}
	for (size_t k = 1; k <= 40; k++) {
		char *a = (char *)guard_end - k;
		memset(a, 'w', k - 1);
		a[k - 1] = 0;
		size_t len = f_strlen(a);
		h = fnv1a(h, &len, sizeof len);
		long off = (unsigned char *)f_memchr(a, 0, 1000) - (unsigned char *)a;
		h2 = fnv1a(h2, &off, sizeof off);
	}
	printf("strlen  %016llx\nmemchr  %016llx\n", (unsigned long long)h, (unsigned long long)h2);
}

/* A string of n bytes (no NUL before its end) in buf_a, with room before it. */
static unsigned char *string_source(size_t n)
{
	unsigned char *s = buf_a + 100 + rnd(64);
	for (size_t j = 0; j < n; j++)
		if (!s[j])
			s[j] = 'n';
	s[n] = 0;
	return s;
}

static void test_copy(void)
{
	uint64_t h = FNV_INIT, h2 = FNV_INIT, h3 = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(90) : rnd(3000);
		fill(buf_a, 3200);
		unsigned char *s = buf_a + 20 + rnd(64), *d;
		switch (rnd(4)) {
		case 0: d = buf_b + rnd(64); break;     /* apart */
		case 1: d = s + rnd(20); break;         /* ahead: a forward copy repeats bytes */
		case 2: d = s - rnd(20); break;         /* behind */
		default: d = s; break;
		}
		unsigned char *r = f_memcpy(d, s, n);
		h = fnv1a(fnv1a(h, buf_a, 3200), &(long){ r - d }, sizeof(long));
		fill(buf_b, 3200);
		d = buf_b + rnd(64);
		r = f_memset(d, (int)rnd(1024) - 256, n);
		h2 = fnv1a(fnv1a(h2, buf_b, 3200), &(long){ r - d }, sizeof(long));
		/* stpcpy, overlapping too, with the destination behind the source (ahead of it,
		 * a forward copy would overwrite the NUL before reaching it) */
		fill(buf_a, 3200);
		s = string_source(n);
		d = rnd(4) ? buf_b + rnd(64) : s - rnd(20);
		char *e = f_stpcpy((char *)d, (char *)s);
		h3 = fnv1a(fnv1a(h3, buf_a, 3200), &(long){ (unsigned char *)e - d }, sizeof(long));
	}
	printf("memcpy  %016llx\nmemset  %016llx\nstpcpy  %016llx\n", (unsigned long long)h,
	       (unsigned long long)h2, (unsigned long long)h3);
}

/* The character searches on strings with embedded repeats, NULs searched for, characters
 * with high bits (only the low byte counts), and strings ending at the guard page. */
static void test_search(void)
{
	uint64_t h = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(70) : rnd(3000);
		char *a = (char *)buf_a + rnd(64);
		fill((unsigned char *)a, n);
		for (size_t j = 0; j < n; j++)
			if (!a[j])
				a[j] = 'n';
		a[n] = 0;
		int c = rnd(3) ? a[rnd((unsigned)n + 1)] : (int)rnd(1024) - 256;
		long r[5] = { (long)f_strnlen(a, rnd(4) ? rnd((unsigned)n + 8) : (size_t)-1) };
		char *p = f_strchr(a, c);
		r[1] = p ? p - a : -1;
		r[2] = f_strchrnul(a, c) - a;
		p = f_strrchr(a, c);
		r[3] = p ? p - a : -1;
		r[4] = (char *)f_rawmemchr(a, rnd(2) ? 0 : a[rnd((unsigned)n + 1)]) - a;
		h = fnv1a(h, r, sizeof r);
	}
	for (size_t k = 1; k <= 40; k++) {
		char *a = (char *)guard_end - k;
		memset(a, 'w', k - 1);
		a[k - 1] = 0;
		long r[4] = { (long)f_strnlen(a, 1000), (long)(f_strchrnul(a, 'v') - a),
			      f_strrchr(a, 'w') ? f_strrchr(a, 'w') - a : -1,
			      f_strchr(a, 0) - a };
		h = fnv1a(h, r, sizeof r);
	}
	printf("search  %016llx\n", (unsigned long long)h);
}

/* memmove and mempcpy in every overlap; strcpy apart and with the destination behind. */
static void test_move(void)
{
	uint64_t h = FNV_INIT;
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(8) ? rnd(90) : rnd(3000);
		fill(buf_a, 3200);
		unsigned char *s = buf_a + 20 + rnd(64), *d = s + (long)rnd(41) - 20;
		long r = (unsigned char *)(rnd(2) ? f_memmove(d, s, n) : f_mempcpy(d, s, n)) - d;
		h = fnv1a(fnv1a(h, buf_a, 3200), &r, sizeof r);
		s = string_source(n);
		d = rnd(4) ? buf_b + rnd(64) : s - rnd(20);
		r = (unsigned char *)f_strcpy((char *)d, (char *)s) - d;
		h = fnv1a(fnv1a(fnv1a(h, buf_a, 3200), buf_b, 200), &r, sizeof r);
	}
	printf("move    %016llx\n", (unsigned long long)h);
}

/* Calls that run into the guard page: the signal and where it hit. */
static sigjmp_buf fault_jmp;
static volatile long fault_off;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_off = (unsigned char *)si->si_addr - guard_end;
	siglongjmp(fault_jmp, 1);
}

static void test_faults(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sa, NULL);
	for (int k = 0; k < 6; k++) {
		size_t back = (size_t)(k * 7 + 1);
		unsigned char *a = guard_end - back;
		memset(a, 'f', back);
		memset(buf_b, 'f', 200);
		fault_off = -99999;
		if (!sigsetjmp(fault_jmp, 1)) {
			switch (k % 3) {
			case 0: f_memcmp(a, buf_b, 200); break;
			case 1: f_strlen((char *)a); break;
			default: f_strcmp((char *)a, (char *)buf_b); break;
			}
			printf("fault %d: none\n", k);
		} else {
			printf("fault %d: SIGSEGV at guard%+ld\n", k, fault_off);
		}
	}
	signal(SIGSEGV, SIG_DFL);
}

int main(void)
{
	unsigned char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	if (m == MAP_FAILED || mprotect(m + 3 * PAGE, PAGE, PROT_NONE))
		return 1;
	guard_end = m + 3 * PAGE;
	buf_a = malloc(8192);
	buf_b = malloc(8192);
	test_memcmp();
	test_strcmp();
	test_scan();
	test_copy();
	test_search();
	test_move();
	test_faults();
	return 0;
}
