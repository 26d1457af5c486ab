/* libm in double, float and long double: sin cos tan exp log log10 pow fmod sqrt atan2
 * floor ceil round and a few more, on ordinary, large, tiny and special arguments.
 * Results are printed with %a, so every bit counts. */
#include <float.h>
#include <math.h>
#include <stdio.h>

static const double args[] = {
	0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 0.1, -0.7, 1e-5, 1e-300, 4.9e-324, 10.0, 100.5,
	-123.456, 1e10, 1e22, 6.283185307179586, 1.5707963267948966, 710.0, -745.5, 88.7,
	2.5, -2.5, 3.5, 1e300, INFINITY, -INFINITY, NAN,
};
#define NARGS (sizeof args / sizeof *args)

#define UNARY(fn) do { \
	printf(#fn ":"); \
	for (i = 0; i < NARGS; i++) printf(" %a", fn(args[i])); \
	printf("\n" #fn "f:"); \
	for (i = 0; i < NARGS; i++) printf(" %a", (double)fn##f((float)args[i])); \
	printf("\n" #fn "l:"); \
	for (i = 0; i < NARGS; i++) printf(" %La", fn##l((long double)args[i] * ldscale)); \
	printf("\n"); \
} while (0)

#define BINARY(fn, second) do { \
	printf(#fn ":"); \
	for (i = 0; i < NARGS; i++) printf(" %a", fn(args[i], second)); \
	printf("\n" #fn "f:"); \
	for (i = 0; i < NARGS; i++) printf(" %a", (double)fn##f((float)args[i], (float)(second))); \
	printf("\n" #fn "l:"); \
	for (i = 0; i < NARGS; i++) printf(" %La", fn##l((long double)args[i] * ldscale, (long double)(second))); \
	printf("\n"); \
} while (0)

int main(void)
{
	/* Multiplying by 1 + 2^-60 gives the long double arguments bits a double lacks. */
	volatile long double ldscale = 1.0L + 0x1p-60L;
	size_t i;
	int e;

	UNARY(sin);
	UNARY(cos);
	UNARY(tan);
	UNARY(exp);
	UNARY(log);
	UNARY(log10);
	UNARY(sqrt);
	UNARY(floor);
	UNARY(ceil);
	UNARY(round);
	UNARY(trunc);
	UNARY(atan);
	UNARY(asin);
	UNARY(exp2);
	UNARY(log2);
	UNARY(log1p);
	UNARY(expm1);
	UNARY(sinh);
	UNARY(tanh);
	UNARY(cbrt);
	UNARY(rint);
	BINARY(pow, 2.5);
	BINARY(pow, -3.0);
	BINARY(pow, 0.5);
	BINARY(fmod, 0.75);
	BINARY(fmod, -3.0);
	BINARY(atan2, 1.0);
	BINARY(atan2, -2.0);
	BINARY(hypot, 3.0);
	BINARY(remainder, 0.75);
	BINARY(copysign, -1.0);
	printf("frexp:");
	for (i = 0; i < NARGS; i++) {
		double m = frexp(args[i], &e);
		printf(" %a/%d", m, isfinite(args[i]) ? e : 0);
	}
	printf("\nldexp: %a %a %a %a\n", ldexp(1.0, -1074), ldexp(1.0, 1024), ldexp(0x1.8p0, -1075),
	       ldexp(3.0, 10));
	printf("lrint: %ld %ld %ld %lld\n", lrint(2.5), lrint(-3.5), lrint(1e15 + 0.5), llround(-2.5));
	printf("classify: %d %d %d %d %d\n", fpclassify(0.0), fpclassify(1.0), fpclassify(4.9e-324),
	       fpclassify(INFINITY), fpclassify(NAN));
	printf("signbit: %d %d %d\n", signbit(-0.0) != 0, signbit(0.0) != 0, signbit(-NAN) != 0);
	printf("fma: %a %a\n", fma(0x1.0000001p0, 0x1.0000001p0, -1.0), fmaf(0x1.001p0f, 0x1.001p0f, -1.0f));
	return 0;
}
