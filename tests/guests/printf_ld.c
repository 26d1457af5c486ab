/* printf of long doubles (x87 80-bit): %La %Lf %Le %Lg %.40Lg and friends, on ordinary,
 * rounding-edge and special values; plus arithmetic whose results only the 64-bit
 * mantissa can hold. */
#include <float.h>
#include <stdio.h>
#include <string.h>

static const char *const formats[] = {
	"%La", "%LA", "%Lf", "%Le", "%Lg", "%.40Lg", "%.25Le", "%.0Lf", "%#.0Le", "%.20Lf",
	"%+.5La", "%.0La", "%30.10Le|", "%-30.3Lf|", "%030Lg", "%.21Lg", "%LG",
};

static long double values[40];
static int nvalues;

static void add(long double v)
{
	values[nvalues++] = v;
}

static void build_values(void)
{
	volatile long double zero = 0.0L, one = 1.0L, three = 3.0L, seven = 7.0L;

	add(zero);
	add(-zero);
	add(one);
	add(-one);
	add(0.1L);
	add(one / three);
	add(one / seven);
	add(2.5L);
	add(0.5L);
	add(1e18L + 1);
	add(18446744073709551615.0L);   /* 2^64 - 1: exact in a long double */
	add(1e300L * 1e300L);           /* beyond double */
	add(1e-4000L);
	add(1e4000L);
	add(3.14159265358979323846264338327950288L);
	add(LDBL_MIN);
	add(LDBL_MIN / 4);              /* denormal */
	add(LDBL_TRUE_MIN);
	add(LDBL_MAX);
	add(-LDBL_MAX);
	add(LDBL_EPSILON);
	add(one / zero);
	add(-one / zero);
	add(zero / zero);
	add(-(zero / zero));
	add(123456789.987654321L);
	add((long double)0.1);          /* the double 0.1, widened */
}

static void arithmetic(void)
{
	volatile long double a = 1.0L, b = 3.0L, c = 1e-20L, d = 2.0L;
	long double x = a / b, acc = 0;
	unsigned long long big = 0xfffffffffffffffULL;
	int i;

	printf("a/b*b = %La\n", x * b);
	printf("1+eps = %La\n", a + LDBL_EPSILON);
	printf("1+1e-20 = %.30Lg\n", a + c);
	for (i = 1; i <= 50; i++)
		acc += a / (i * d);
	printf("harmonic/2 = %.25Lg %La\n", acc, acc);
	acc = 1;
	for (i = 1; i <= 25; i++)
		acc *= i;
	printf("25! = %.0Lf %La\n", acc, acc);
	printf("u64 -> ld = %La, back = %llu\n", (long double)big, (unsigned long long)(long double)big);
	printf("ld -> ll = %lld %lld\n", (long long)(-x * 1e18L), (long long)(x * 3e18L));
	printf("compare: %d %d %d\n", x < 0.34L, x == a / b, (double)x == 1.0 / 3);
	printf("to double: %a to float: %a\n", (double)x, (float)x);
}

int main(void)
{
	size_t f;
	int v;

	build_values();
	for (f = 0; f < sizeof formats / sizeof *formats; f++) {
		printf("%s:\n", formats[f]);
		for (v = 0; v < nvalues; v++) {
			const char *fmt = formats[f];
			if (values[v] > 1e100L && strchr(fmt, 'f') && !strstr(fmt, ".0"))
				continue;
			printf("  ");
			printf(fmt, values[v]);
			putchar('\n');
		}
	}
	printf("%.5000Lf\n", values[17]);
	printf("%.100Le\n", values[18]);
	arithmetic();
	return 0;
}
