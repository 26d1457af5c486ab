/* A CPU-bound guest for measuring speed: integer hashing, an insertion sort and a merge
 * sort, an SSE2 loop (intrinsics and one the compiler vectorises), double and long double
 * arithmetic. `cpu [SCALE]` repeats the work SCALE times (default 1); the output depends
 * only on SCALE. */
#include <emmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4096

static uint32_t a32[N], b32[N], c32[N];
static float fa[N], fb[N];

static uint64_t hash_work(uint64_t h, int rounds)
{
	int i;
	for (i = 0; i < rounds; i++) {
		h ^= h >> 33;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
		h *= 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 33;
		h += (uint64_t)i * 0x9e3779b97f4a7c15ULL;
		h = (h << 7) | (h >> 57);
		h ^= (uint32_t)h / ((uint32_t)(h >> 40) | 1);
	}
	return h;
}

static void insertion_sort(uint32_t *v, int n)
{
	int i, j;
	for (i = 1; i < n; i++) {
		uint32_t x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void merge_sort(uint32_t *v, uint32_t *tmp, int n)
{
	int mid = n / 2, i = 0, j, k = 0;
	if (n < 16) {
		insertion_sort(v, n);
		return;
	}
	merge_sort(v, tmp, mid);
	merge_sort(v + mid, tmp, n - mid);
	j = mid;
	while (i < mid && j < n)
		tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* Plain loops of a fixed length: gcc -O2 vectorises these with SSE2. */
static void vector_loop(void)
{
	int i;
	for (i = 0; i < N; i++)
		c32[i] = (a32[i] ^ b32[i]) + (a32[i] >> 3) * 5;
	for (i = 0; i < N; i++)
		fa[i] = fa[i] * 0.999f + fb[i] * 0.001f;
}

static uint32_t sse2_intrinsics(void)
{
	__m128i acc = _mm_setzero_si128(), mn = _mm_set1_epi16(0x7fff);
	int i;
	for (i = 0; i < N; i += 4) {
		__m128i x = _mm_loadu_si128((const __m128i *)&a32[i]);
		__m128i y = _mm_loadu_si128((const __m128i *)&c32[i]);
		__m128i s = _mm_add_epi32(_mm_mullo_epi16(x, y), _mm_srli_epi32(y, 5));
		acc = _mm_xor_si128(acc, _mm_shuffle_epi32(s, 0x1b));
		acc = _mm_add_epi64(acc, _mm_sad_epu8(x, y));
		mn = _mm_min_epi16(mn, _mm_packs_epi32(_mm_srai_epi32(x, 16), _mm_srai_epi32(y, 16)));
		acc = _mm_add_epi32(acc, _mm_set1_epi32(_mm_movemask_epi8(_mm_cmpgt_epi8(x, y))));
	}
	acc = _mm_xor_si128(acc, mn);
	acc = _mm_add_epi32(acc, _mm_unpackhi_epi64(acc, acc));
	acc = _mm_add_epi32(acc, _mm_srli_si128(acc, 4));
	return (uint32_t)_mm_cvtsi128_si32(acc);
}

static long double ld_work(int n)
{
	long double x = 1.0L, s = 0.0L;
	int i;
	for (i = 1; i <= n; i++) {
		x = x * 1.0000001L + 1.0L / i;
		s += x / (i + 0.5L);
		if (x > 1e30L)
			x /= 1e20L;
	}
	return s;
}

static double double_work(int n)
{
	double p = 0.0, q = 1.0;
	int i;
	for (i = 0; i < n; i++) {
		p += q / (2 * i + 1);
		q = -q;
	}
	return 4 * p;
}

int main(int argc, char **argv)
{
	int scale = argc > 1 ? atoi(argv[1]) : 1, round, i;
	uint64_t h = 0x1234567, seed = 42, chk = 0;
	static uint32_t tmp[N];
	uint32_t sse = 0;
	long double ld = 0;
	double pi = 0;

	for (round = 0; round < scale; round++) {
		h = hash_work(h, 200000);
		for (i = 0; i < N; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			a32[i] = (uint32_t)(seed >> 32);
			b32[i] = (uint32_t)(seed >> 7);
			fa[i] = (float)(seed >> 40) / 1024.0f;
			fb[i] = (float)i;
		}
		memcpy(c32, a32, sizeof c32);
		insertion_sort(c32, 512);
		merge_sort(a32, tmp, N);
		for (i = 1; i < N; i++)
			if (a32[i - 1] > a32[i] || (i < 512 && c32[i - 1] > c32[i]))
				chk++;
		for (i = 0; i < 20; i++)
			vector_loop();
		sse += sse2_intrinsics();
		ld += ld_work(20000);
		pi = double_work(200000);
		for (i = 0; i < N; i++)
			chk = chk * 31 + c32[i] + (uint32_t)(fa[i] * 16);
	}
	printf("scale=%d hash=%016llx unsorted=%llu check=%016llx sse=%08x\n", scale,
	       (unsigned long long)h, (unsigned long long)(chk >> 63), (unsigned long long)chk, sse);
	printf("ld=%.18Lg pi~%.15f\n", ld, pi);
	return 0;
}
