/* cpu-mem: memory-bound work: qsort of 1M ints (the libc's own qsort, with a comparison
 * callback), then an open-addressing hash table of 1M keys filled and walked in random order. */
#include "bench.h"

#define N_SORT (1u << 20)
#define N_KEYS (1u << 20)
#define TABLE_BITS 21

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct slot {
	uint64_t key;
	uint64_t value;
};

static struct slot table[1u << TABLE_BITS];

static inline size_t slot_of(uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - TABLE_BITS));
}

static void table_put(uint64_t key, uint64_t value)
{
	size_t mask = (1u << TABLE_BITS) - 1, i = slot_of(key);
	while (table[i].key && table[i].key != key)
		i = (i + 1) & mask;
	table[i].key = key;
	table[i].value += value;
}

static uint64_t table_get(uint64_t key)
{
	size_t mask = (1u << TABLE_BITS) - 1, i = slot_of(key);
	while (table[i].key) {
		if (table[i].key == key)
			return table[i].value;
		i = (i + 1) & mask;
	}
	return 0;
}

static uint64_t sort_pass(uint64_t *s)
{
	int *a = malloc(N_SORT * sizeof *a);
	if (!a)
		bench_fail("malloc");
	for (size_t i = 0; i < N_SORT; i++)
		a[i] = (int)(rng_next(s) >> 33) - (1 << 30);
	qsort(a, N_SORT, sizeof *a, cmp_int);
	uint64_t h = FNV_INIT;
	for (size_t i = 1; i < N_SORT; i++)
		if (a[i - 1] > a[i])
			h = 0;
	h = fnv1a(h, a, N_SORT * sizeof *a);
	free(a);
	return h;
}

static uint64_t table_pass(uint64_t *s)
{
	uint64_t seed = *s, h = 0;
	for (size_t i = 0; i < N_KEYS; i++)
		table_put((rng_next(s) | 1) & 0xffffffffffffULL, i);
	/* The same keys again from the same seed, looked up in a shuffled order. */
	uint64_t *keys = malloc(N_KEYS * sizeof *keys);
	if (!keys)
		bench_fail("malloc");
	for (size_t i = 0; i < N_KEYS; i++)
		keys[i] = (rng_next(&seed) | 1) & 0xffffffffffffULL;
	for (size_t i = N_KEYS - 1; i > 0; i--) {
		size_t j = rng_next(s) % (i + 1);
		uint64_t t = keys[i];
		keys[i] = keys[j];
		keys[j] = t;
	}
	for (size_t i = 0; i < N_KEYS; i++)
		h = mix64(h, table_get(keys[i]) ^ table_get(keys[i] ^ 2));
	free(keys);
	return h;
}

int main(int argc, char **argv)
{
	long passes = bench_scale(argc, argv);
	uint64_t s = 0x2545f4914f6cdd1dULL, sorted = 0, walked = 0;
	for (long p = 0; p < passes; p++) {
		sorted = mix64(sorted, sort_pass(&s));
		memset(table, 0, sizeof table);
		walked = mix64(walked, table_pass(&s));
	}
	printf("cpu-mem sort %016llx table %016llx\n", (unsigned long long)sorted,
	       (unsigned long long)walked);
	return 0;
}
