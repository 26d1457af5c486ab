/* The x87 FPU as programs meet it: long double libm across its range (every result printed
 * with %La), the four rounding modes and the three precisions of the control word, the
 * exception flags through <fenv.h>, fegetenv/fesetenv and feholdexcept, fxsave/fxrstor and
 * fnsave/frstor round trips, strtold/printf round trips (argument "all"); and with the
 * argument "fpe", an unmasked divide by zero that must kill the program with SIGFPE. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

static uint64_t seed = 0x243f6a8885a308d3ull;

/* A long double from the whole range: random significand, exponent and sign. */
static long double rand_ld(int emin, int emax)
{
	uint64_t m = rng_next(&seed) | 1ull << 63;
	int e = emin + (int)(rng_next(&seed) % (uint64_t)(emax - emin + 1));
	long double v = ldexpl((long double)(m >> 11) / 9007199254740992.0L, e);
	v += ldexpl((long double)(m & 0x7ff), e - 64);
	return rng_next(&seed) & 1 ? -v : v;
}

static const long double specials[] = {
	0.0L, -0.0L, 1.0L, -1.0L, 0.5L, 2.0L, 3.0L, 0.1L, 1e-4930L, LDBL_MIN, LDBL_MAX,
	LDBL_EPSILON, 3.14159265358979323846264338327950288L, 1e19L, 9.2233720368547758e18L,
	1e4000L, -1e-300L, 710.5L, -11355.5L, 11356.0L, 0x1p63L, 0x1p64L, INFINITY, -INFINITY,
	NAN,
};
#define NSPEC (sizeof specials / sizeof *specials)

/* Print a line per function: its name, then every result on the specials and on random
 * arguments, each as %La (every bit shows). */
#define LINE1(fn, lo, hi)                                                          \
	do {                                                                       \
		printf("%s:", #fn);                                                \
		for (unsigned i = 0; i < NSPEC; i++)                               \
			printf(" %La", fn(specials[i]));                           \
		for (unsigned i = 0; i < 12; i++)                                  \
			printf(" %La", fn(rand_ld(lo, hi)));                       \
		printf("\n");                                                      \
	} while (0)

#define LINE2(fn, lo, hi)                                                          \
	do {                                                                       \
		printf("%s:", #fn);                                                \
		for (unsigned i = 0; i < NSPEC; i++)                               \
			printf(" %La", fn(specials[i], specials[(i * 7 + 3) % NSPEC])); \
		for (unsigned i = 0; i < 12; i++) {                                \
			long double a = rand_ld(lo, hi), b = rand_ld(lo, hi);      \
			printf(" %La", fn(a, b));                                  \
		}                                                                  \
		printf("\n");                                                      \
	} while (0)

static void libm_lines(void)
{
	LINE1(sinl, -20, 70);
	LINE1(cosl, -20, 70);
	LINE1(tanl, -20, 70);
	LINE1(asinl, -30, 0);
	LINE1(acosl, -30, 0);
	LINE1(atanl, -40, 40);
	LINE1(expl, -10, 13);
	LINE1(exp2l, -10, 13);
	LINE1(expm1l, -40, 6);
	LINE1(logl, -16000, 16000);
	LINE1(log2l, -16000, 16000);
	LINE1(log10l, -16000, 16000);
	LINE1(log1pl, -40, 10);
	LINE1(sqrtl, -16000, 16000);
	LINE1(cbrtl, -16000, 16000);
	LINE1(sinhl, -10, 13);
	LINE1(tanhl, -10, 5);
	LINE1(atanhl, -20, -1);
	LINE1(rintl, -5, 70);
	LINE1(floorl, -5, 70);
	LINE1(ceill, -5, 70);
	LINE1(truncl, -5, 70);
	LINE1(roundl, -5, 70);
	LINE1(logbl, -16000, 16000);
	LINE1(erfl, -5, 3);
	LINE1(lgammal, -5, 8);
	LINE2(powl, -4, 6);
	LINE2(atan2l, -100, 100);
	LINE2(fmodl, -100, 100);
	LINE2(remainderl, -100, 100);
	LINE2(hypotl, -8000, 8000);
	LINE2(fmaxl, -10, 10);
	LINE2(copysignl, -10, 10);
	LINE2(nextafterl, -10, 10);
	LINE2(fdiml, -10, 10);

	printf("frexpl/ilogbl/lrintl/remquol:");
	for (unsigned i = 0; i < 16; i++) {
		long double v = rand_ld(-70, 70), w = rand_ld(-5, 5);
		int e, q;
		long double f = frexpl(v, &e), r = remquol(v, w, &q);
		printf(" %La/%d/%d/%lld/%La/%d", f, e, ilogbl(v), (long long)llrintl(v * 1e-3L), r, q);
	}
	printf("\n");
}

/* The same computations under each rounding mode fesetround sets (it sets both the x87
 * control word and MXCSR). */
static void rounding_lines(void)
{
	static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
	static const char *const names[] = { "nearest", "down", "up", "zero" };
	for (unsigned m = 0; m < 4; m++) {
		fesetround(modes[m]);
		volatile long double one = 1.0L, three = 3.0L, big = 1e4000L;
		printf("round %s: %La %La %La %La %La %lld %La %La\n", names[m], one / three,
		       -one / three, big * big, sqrtl(three), rintl(2.5L * three),
		       (long long)llrintl(-2.5L), expl(one), (long double)(double)(one / three));
	}
	fesetround(FE_TONEAREST);
}

/* The precision control of the control word: 24, 53 and 64 bits. */
static void precision_lines(void)
{
	static const uint16_t pcs[] = { 0x007f, 0x027f, 0x037f };
	uint16_t saved;
	__asm__ volatile("fnstcw %0" : "=m"(saved));
	for (unsigned i = 0; i < 3; i++) {
		volatile long double one = 1.0L, three = 3.0L, seven = 7.0L;
		long double r[4];
		__asm__ volatile("fldcw %0" : : "m"(pcs[i]));
		r[0] = one / three;
		r[1] = seven * (one / three);
		r[2] = sqrtl(seven);
		r[3] = one / three + seven;
		__asm__ volatile("fldcw %0" : : "m"(saved));
		printf("precision %04x: %La %La %La %La\n", pcs[i], r[0], r[1], r[2], r[3]);
	}
}

static void flag_line(const char *what)
{
	int f = fetestexcept(FE_ALL_EXCEPT);
	printf("%s:%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
	       f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
	       f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "");
}

/* Exception flags raised by x87 arithmetic, seen through <fenv.h> (fnstsw and fnstenv). */
static void flag_lines(void)
{
	volatile long double zero = 0.0L, one = 1.0L, big = LDBL_MAX, tiny = LDBL_MIN, r;
	feclearexcept(FE_ALL_EXCEPT);
	flag_line("none");
	r = one / zero;
	flag_line("1/0");
	feclearexcept(FE_ALL_EXCEPT);
	r = zero / zero;
	flag_line("0/0");
	feclearexcept(FE_ALL_EXCEPT);
	r = big * 2.0L;
	flag_line("max*2");
	feclearexcept(FE_ALL_EXCEPT);
	r = tiny / 3.0L;
	flag_line("min/3");
	feclearexcept(FE_ALL_EXCEPT);
	r = one / 3.0L;
	flag_line("1/3");
	feclearexcept(FE_ALL_EXCEPT);
	r = sqrtl(-one);
	flag_line("sqrt(-1)");
	feclearexcept(FE_ALL_EXCEPT);
	r = (long double)(long long)(big / big);
	flag_line("int conversions");
	(void)r;

	fenv_t env, held;
	feclearexcept(FE_ALL_EXCEPT);
	r = one / zero;
	fegetenv(&env);
	feclearexcept(FE_ALL_EXCEPT);
	flag_line("cleared");
	fesetenv(&env);
	flag_line("fesetenv");
	feholdexcept(&held);
	flag_line("feholdexcept");
	r = one / 3.0L;
	feupdateenv(&held);
	flag_line("feupdateenv");
	feraiseexcept(FE_OVERFLOW | FE_INEXACT);
	flag_line("feraiseexcept");
	feclearexcept(FE_ALL_EXCEPT);
}

/* The state as fxsave and fnsave store it, after a few known operations; the parts the
 * CPU fills in from addresses (FIP, FDP, FOP, the selectors) are left out. */
static void state_lines(void)
{
	static uint8_t area[512] __attribute__((aligned(16)));
	static uint8_t save[108];
	long double x = 2.0L, y;
	__asm__ volatile("fninit\n\t"
			 "fldpi\n\t"
			 "fldt %1\n\t"
			 "fld1\n\t"
			 "fldz\n\t"
			 "fdivrp\n\t"          /* GNU's name for fdivp: st(1) = 1/0, divbyzero */
			 "fxsave64 %0\n\t"
			 : "=m"(area) : "m"(x));
	printf("fxsave: fcw %02x%02x fsw %02x%02x ftw %02x mxcsr %02x%02x", area[1], area[0],
	       area[3], area[2], area[4], area[25], area[24]);
	for (unsigned i = 0; i < 3; i++) {
		printf(" st%u ", i);
		for (unsigned j = 10; j-- > 0;)
			printf("%02x", area[32 + 16 * i + j]);
	}
	printf("\n");
	memset(area + 32, 0, 16);         /* st(0) becomes +0 */
	__asm__ volatile("fxrstor64 %1\n\t"
			 "faddp\n\t"
			 "fnsave %0\n\t"
			 : "=m"(save) : "m"(area));
	printf("fnsave: fcw %02x%02x fsw %02x%02x ftw %02x%02x", save[1], save[0], save[5],
	       save[4], save[9], save[8]);
	for (unsigned i = 0; i < 3; i++) {
		printf(" st%u ", i);
		for (unsigned j = 10; j-- > 0;)
			printf("%02x", save[28 + 10 * i + j]);
	}
	printf("\n");
	__asm__ volatile("frstor %1\n\t"
			 "fmulp\n\t"
			 "fstpt %0\n\t"
			 "fninit"
			 : "=m"(y) : "m"(save));
	printf("frstor: %La\n", y);
}

/* strtold and printf, both ways, on random long doubles. */
static void string_lines(void)
{
	uint64_t h = 0;
	char buf[128];
	unsigned bad = 0;
	for (unsigned i = 0; i < 300; i++) {
		long double v = rand_ld(-16300, 16300);
		snprintf(buf, sizeof buf, "%.21Lg", v);
		long double back = strtold(buf, NULL);
		if (back != v)
			bad++;
		h = fnv1a(h, buf, strlen(buf));
		snprintf(buf, sizeof buf, "%La|%.30Le|%Lf", v, v * 1e-10L, v * 1e-4900L);
		h = fnv1a(h, buf, strlen(buf));
	}
	printf("strings: hash %016llx, %u round trips lost\n", (unsigned long long)h, bad);
	printf("%.40Lf\n%.25Le\n%La\n", 1.0L / 7.0L, 2.0L / 3.0L, strtold("0x1.fffffffffffffffep16383", NULL));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "fpe")) {
		volatile long double zero = 0.0L, r;
		uint16_t cw;
		printf("unmasking divide by zero\n");
		fflush(stdout);
		__asm__ volatile("fnstcw %0" : "=m"(cw));
		cw &= (uint16_t)~0x04;
		__asm__ volatile("fldcw %0" : : "m"(cw));
		r = 1.0L / zero;
		r += 1.0L;
		printf("not reached: %La\n", r);
		return 0;
	}
	libm_lines();
	rounding_lines();
	precision_lines();
	flag_lines();
	state_lines();
	string_lines();
	return 0;
}
