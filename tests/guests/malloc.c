/* Heavy malloc/free: many sizes from 1 byte to several MB, realloc growing and shrinking,
 * calloc zeroing, fragmentation patterns (free every other block, then refill), and a
 * checksum of every block's contents before it is freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

#define SLOTS 4096

static unsigned char *slot[SLOTS];
static size_t slot_size[SLOTS];
static unsigned char slot_fill[SLOTS];
static int bad;

static void fill(int i, size_t size, unsigned char byte)
{
	size_t k;

	slot_size[i] = size;
	slot_fill[i] = byte;
	if (size <= 65536)
		memset(slot[i], byte, size);
	else {  /* big blocks: the first bytes, then one byte per KB */
		memset(slot[i], byte, 64);
		for (k = 1024; k < size; k += 1024)
			slot[i][k] = byte;
	}
	if (size > 2) {
		slot[i][0] = (unsigned char)i;
		slot[i][size - 1] = (unsigned char)(i >> 3);
	}
}

static uint64_t check_and_free(int i, uint64_t h)
{
	size_t n = slot_size[i], k;

	if (!slot[i])
		return h;
	for (k = 1024; k + 1 < n; k += 1024)
		if (slot[i][k] != slot_fill[i])
			bad++;
	h = fnv1a(h, slot[i], n < 64 ? n : 64);
	h = fnv1a(h, &n, sizeof n);
	free(slot[i]);
	slot[i] = NULL;
	return h;
}

static size_t pick_size(uint64_t *seed)
{
	uint64_t r = rng_next(seed);
	switch (r % 128) {
	case 0: return (r >> 40) % (1 << 20) + ((r >> 8) % 4 ? 0 : (r >> 20) % (6 << 20));
	case 1: case 2: case 3: return (r >> 40) % 65536;
	case 4: case 5: case 6: case 7: case 8: case 9: return r >> 60;        /* 0..15 */
	default: return (r >> 40) % (r & 64 ? 256 : 4096);
	}
}

static uint64_t churn(uint64_t seed, int rounds)
{
	uint64_t h = FNV_INIT;
	int r;

	for (r = 0; r < rounds; r++) {
		int i = rng_next(&seed) % SLOTS;
		size_t size = pick_size(&seed);
		h = check_and_free(i, h);
		slot[i] = malloc(size);
		if (!slot[i] && size) {
			printf("malloc(%zu) failed\n", size);
			exit(1);
		}
		fill(i, size, (unsigned char)rng_next(&seed));
	}
	return h;
}

static uint64_t fragment(uint64_t h)
{
	int i, step;

	for (i = 0; i < SLOTS; i++)
		h = check_and_free(i, h);
	for (step = 0; step < 3; step++) {
		for (i = 0; i < SLOTS; i++) {
			slot[i] = malloc(32 + (i % 7) * 24 + step * 1000);
			fill(i, 32 + (i % 7) * 24 + step * 1000, (unsigned char)(i + step));
		}
		for (i = step & 1; i < SLOTS; i += 2)
			h = check_and_free(i, h);
		for (i = step & 1; i < SLOTS; i += 2) {
			slot[i] = malloc(16 + (i % 5) * 40);
			fill(i, 16 + (i % 5) * 40, (unsigned char)(i * 3));
		}
		for (i = 0; i < SLOTS; i++)
			h = check_and_free(i, h);
	}
	return h;
}

static void reallocs(void)
{
	unsigned char *p = NULL;
	size_t size = 0, k, prev;
	uint64_t seed = 5, h = FNV_INIT;
	int r;

	for (r = 0; r < 300; r++) {
		prev = size;
		size = r < 200 ? size + 1 + rng_next(&seed) % 10000 : size / 2 + 1;
		p = realloc(p, size);
		for (k = prev; k < size; k++)
			p[k] = (unsigned char)(k * 7 + (k >> 8));
		for (k = 0; k < size; k += 997)
			if (p[k] != (unsigned char)(k * 7 + (k >> 8)))
				bad++;
	}
	h = fnv1a(h, p, size);
	printf("realloc final=%zu sum=%016llx\n", size, (unsigned long long)h);
	free(p);
	p = realloc(NULL, 100);
	memset(p, 1, 100);
	p = realloc(p, 1);
	printf("realloc shrink keeps byte=%d\n", p[0]);
	free(p);
}

static volatile size_t huge = (size_t)-4096;

static void callocs(void)
{
	size_t sizes[] = { 1, 17, 4096, 100000, 1 << 20 }, i, k;
	int nonzero = 0;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = malloc(sizes[i]);
		memset(p, 0xa5, sizes[i]);
		free(p);
		p = calloc(sizes[i], 1);
		for (k = 0; k < sizes[i]; k++)
			nonzero += p[k] != 0;
		free(p);
	}
	printf("calloc nonzero bytes=%d\n", nonzero);
	printf("calloc overflow=%d\n", calloc(huge >> 2, 8) == NULL);
}


int main(void)
{
	uint64_t h;

	h = churn(2024, 12000);
	printf("churn sum=%016llx\n", (unsigned long long)h);
	h = fragment(h);
	printf("fragment sum=%016llx\n", (unsigned long long)h);
	reallocs();
	callocs();
	printf("huge malloc fails=%d\n", malloc(huge) == NULL);
	printf("corrupt=%d\n", bad);
	return bad != 0;
}
