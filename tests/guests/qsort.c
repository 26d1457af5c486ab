/* qsort and bsearch on ints, strings and structs filled from a seeded PRNG: prints
 * checksums of the sorted arrays, whether each is sorted, and a few elements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

struct rec {
	int key;
	double weight;
	char name[13];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* By key, then by weight descending, then by name: a total order, so the result is unique. */
static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void ints(int n, uint64_t seed, int modulo)
{
	int *a = malloc(n * sizeof *a);
	int i, sorted = 1, key, *hit;

	for (i = 0; i < n; i++)
		a[i] = modulo ? (int)(rng_next(&seed) % modulo) : (int)rng_next(&seed);
	qsort(a, n, sizeof *a, cmp_int);
	for (i = 1; i < n; i++)
		sorted &= a[i - 1] <= a[i];
	key = a[n / 3];
	hit = bsearch(&key, a, n, sizeof *a, cmp_int);
	printf("ints n=%d mod=%d sorted=%d sum=%016llx first=%d last=%d found=%d\n", n, modulo,
	       sorted, (unsigned long long)fnv1a(FNV_INIT, a, n * sizeof *a), a[0], a[n - 1],
	       hit && *hit == key);
	key = modulo + 1;
	printf("  missing found=%d\n", modulo && bsearch(&key, a, n, sizeof *a, cmp_int) != NULL);
	free(a);
}

static void strings(int n, uint64_t seed)
{
	char **v = malloc(n * sizeof *v);
	uint64_t h = FNV_INIT;
	int i, j, sorted = 1;

	for (i = 0; i < n; i++) {
		int len = 1 + rng_next(&seed) % 12;
		v[i] = malloc(len + 1);
		for (j = 0; j < len; j++)
			v[i][j] = 'a' + rng_next(&seed) % 6;
		v[i][len] = 0;
	}
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 0; i < n; i++) {
		h = fnv1a(h, v[i], strlen(v[i]) + 1);
		if (i)
			sorted &= strcmp(v[i - 1], v[i]) <= 0;
	}
	printf("strings n=%d sorted=%d sum=%016llx first=%s last=%s mid=%s\n", n, sorted,
	       (unsigned long long)h, v[0], v[n - 1], v[n / 2]);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void records(int n, uint64_t seed)
{
	struct rec *r = calloc(n, sizeof *r);
	uint64_t h = FNV_INIT;
	int i;

	for (i = 0; i < n; i++) {
		r[i].key = rng_next(&seed) % 100;
		r[i].weight = (double)(rng_next(&seed) % 1000) / 8;
		snprintf(r[i].name, sizeof r[i].name, "n%08x", (unsigned)rng_next(&seed));
	}
	qsort(r, n, sizeof *r, cmp_rec);
	for (i = 0; i < n; i++) {
		h = fnv1a(h, &r[i].key, sizeof r[i].key);
		h = fnv1a(h, &r[i].weight, sizeof r[i].weight);
		h = fnv1a(h, r[i].name, strlen(r[i].name));
	}
	printf("records n=%d sum=%016llx first=%d/%g/%s last=%d/%g/%s\n", n, (unsigned long long)h,
	       r[0].key, r[0].weight, r[0].name, r[n - 1].key, r[n - 1].weight, r[n - 1].name);
	free(r);
}

int main(void)
{
	static const int sizes[] = { 1, 2, 3, 7, 16, 100, 1000, 20000 };
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		ints(sizes[i], 12345 + i, 0);
		ints(sizes[i], 777 + i, 10);
	}
	ints(50000, 99, 1000000);
	strings(5000, 4242);
	strings(3, 1);
	records(3000, 31337);
	return 0;
}
