/* cpu-str: the libc's string functions over large buffers: memcpy, memmove, memset, memcmp,
 * memchr, strlen, strchr, strcmp, strcpy and strstr, on 1 MB strings and on many short ones. */
#include "bench.h"

#define BIG (1u << 20)
#define PASSES 150
#define SHORT_ROUNDS 500000

static char a[BIG + 64], b[BIG + 64], c[BIG + 64];

static void fill(char *p, size_t n, uint64_t *s)
{
	for (size_t i = 0; i < n; i++)
		p[i] = 'a' + (char)(rng_next(s) % 26);
	p[n] = 0;
}

static uint64_t big_pass(uint64_t h, int pass)
{
	size_t off = (size_t)pass % 16;
	memcpy(b + off, a, BIG);
	b[off + BIG] = 0;
	h = mix64(h, strlen(b + off));
	h = mix64(h, (uint64_t)memcmp(a, b + off, BIG));
	b[off + BIG - 1 - pass] ^= 1;
	h = mix64(h, memcmp(a, b + off, BIG) < 0);
	h = mix64(h, strcmp(a, b + off) > 0);
	memmove(b + off + 7, b + off, BIG - 64);
	memmove(b + off, b + off + 3, BIG - 64);
	h = mix64(h, fnv1a(0, b + off, 64));
	char *z = memchr(a, 'z' + 1, BIG);
	h = mix64(h, z ? (uint64_t)(z - a) : 1);
	c[BIG - 10 - pass] = '#';
	z = strchr(c, '#');
	h = mix64(h, z ? (uint64_t)(z - c) : 2);
	c[BIG - 10 - pass] = 'q';
	strcpy(c, a + pass);
	h = mix64(h, (uint64_t)strlen(c));
	memset(b, 'x' + pass % 3, BIG);
	h = mix64(h, (unsigned char)b[BIG / 2]);
	return h;
}

static uint64_t short_strings(uint64_t h, uint64_t *s)
{
	static const char *const words[] = { "alpha", "beta", "gamma", "delta", "epsilon-zeta",
					     "eta theta iota kappa", "lambda", "mu" };
	char line[256];
	for (int r = 0; r < SHORT_ROUNDS; r++) {
		const char *w = words[rng_next(s) % 8], *v = words[rng_next(s) % 8];
		size_t lw = strlen(w), lv = strlen(v);
		memcpy(line, w, lw);
		line[lw] = ' ';
		memcpy(line + lw + 1, v, lv + 1);
		h = mix64(h, strlen(line) + (uint64_t)(strcmp(w, v) < 0) * 3);
		const char *t = strstr(line, "ta");
		h = mix64(h, t ? (uint64_t)(t - line) : 99);
		h = mix64(h, strchr(line, ' ') - line);
	}
	return h;
}

int main(int argc, char **argv)
{
	long scale = bench_scale(argc, argv);
	uint64_t s = 0x0123456789abcdefULL, h = 0;
	fill(a, BIG, &s);
	fill(c, BIG, &s);
	for (long i = 0; i < PASSES * scale; i++)
		h = big_pass(h, (int)(i % 1000));
	for (long i = 0; i < scale; i++)
		h = short_strings(h, &s);
	printf("cpu-str %016llx\n", (unsigned long long)h);
	return 0;
}
