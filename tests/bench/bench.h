/* Helpers shared by the benchmark guests: a seeded PRNG, a hash, and a loud exit on a failed
 * call. Every guest prints a checksum line that must be the same natively, under qemu-user and
 * under sfdemu; a call the emulator does not support ends the guest with status 3, so the
 * harness can tell "not runnable" from a wrong result. */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: the same sequence on every libc. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* FNV-1a over bytes, 64-bit. */
static inline uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

/* Folds one 64-bit value into a running checksum. */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static inline void bench_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(3);
}

/* The optional first argument scales the work (default 1), for sizing runs by hand. */
static inline long bench_scale(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	return n > 0 ? n : 1;
}

#endif
