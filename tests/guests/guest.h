/* Helpers shared by the guest test programs: a seeded PRNG, a checksum and errno names.
 * Everything a guest prints must be the same on every run, natively and under sfdemu. */
#ifndef GUEST_H
#define GUEST_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

static inline const char *errno_name(int e)
{
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
	E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV)
	E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(EFBIG)
	E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(ENAMETOOLONG)
	E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(EOVERFLOW)
#undef E
	case 0: return "0";
	default: return "E?";
	}
}

#endif
