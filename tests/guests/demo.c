/* The demo guest of `make run`: a greeting, its arguments, a table of primes and powers,
 * and the Mandelbrot set in ASCII. It prints the same natively and under sfdemu. */
#include <stdio.h>

static int is_prime(unsigned n)
{
	unsigned d;
	if (n < 2)
		return 0;
	for (d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

static void table(void)
{
	unsigned n, found = 0;

	printf("\n   n   n^2      n^3    2^n        sqrt(n)  prime?\n");
	for (n = 1; n <= 12; n++) {
		double r = n, x = n;
		int i;
		for (i = 0; i < 30; i++)        /* Newton's method, no libm needed */
			r = (r + x / r) / 2;
		printf("%4u %5u %8u %6llu %14.10f  %s\n", n, n * n, n * n * n, 1ULL << n, r,
		       is_prime(n) ? "yes" : "");
	}
	printf("\nprimes below 100:");
	for (n = 0; n < 100; n++)
		if (is_prime(n)) {
			printf(" %u", n);
			found++;
		}
	printf("  (%u of them)\n", found);
}

static void mandelbrot(void)
{
	static const char shades[] = " .,:;-=+*#%";
	int row, col;

	printf("\n");
	for (row = 0; row <= 24; row++) {
		for (col = 0; col < 72; col++) {
			double cr = -2.2 + col * 3.0 / 72, ci = -1.2 + row * 2.4 / 24;
			double zr = 0, zi = 0;
			int k = 0;
			while (k < 200 && zr * zr + zi * zi < 4) {
				double t = zr * zr - zi * zi + cr;
				zi = 2 * zr * zi + ci;
				zr = t;
				k++;
			}
			putchar(k == 200 ? '@' : shades[k / 3 < 10 ? k / 3 : 10]);
		}
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	int i;

	printf("Hello from a static x86-64 program.\n");
	printf("I was started with %d argument%s:", argc - 1, argc == 2 ? "" : "s");
	for (i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	table();
	mandelbrot();
	printf("\nlong double says 1/3 = %.20Lf\n", 1.0L / 3);
	return 0;
}
