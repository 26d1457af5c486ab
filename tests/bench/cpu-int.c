/* cpu-int: integer work over a 4 MB buffer: xorshift fills, FNV-1a over bytes, a table-driven
 * CRC-32 over bytes, and a 64-bit multiply-rotate hash over words. */
#include "bench.h"

#define BUF_BYTES (4u << 20)
#define PASSES 16

static uint64_t buf[BUF_BYTES / 8];
static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static inline uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static uint64_t word_hash(uint64_t h, const uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t k = w[i] * 0x87c37b91114253d5ULL;
		k = rotl(k, 31) * 0x4cf5ad432745937fULL;
		h = rotl(h ^ k, 27) * 5 + 0x52dce729;
	}
	return h ^ (h >> 33);
}

int main(int argc, char **argv)
{
	long passes = PASSES * bench_scale(argc, argv);
	uint64_t s = 0x9e3779b97f4a7c15ULL, fnv = FNV_INIT, wh = 0, sum = 0;
	uint32_t crc = 0;
	size_t words = BUF_BYTES / 8;

	crc_init();
	for (long p = 0; p < passes; p++) {
		for (size_t i = 0; i < words; i++)
			buf[i] = rng_next(&s) ^ (buf[i] >> 7);
		fnv = fnv1a(fnv, buf, BUF_BYTES);
		crc = crc32(crc, (const uint8_t *)buf, BUF_BYTES);
		wh = word_hash(wh, buf, words);
		for (size_t i = 0; i < words; i += 4)
			sum += (buf[i] >> (i & 31)) ^ (buf[i + 1] & 0xffff) ^ (buf[i + 2] | buf[i + 3] >> 48);
	}
	printf("cpu-int fnv %016llx crc %08x wordhash %016llx sum %016llx\n",
	       (unsigned long long)fnv, crc, (unsigned long long)wh, (unsigned long long)sum);
	return 0;
}
