/* printf of doubles and floats: %e %f %g %a and their upper-case forms with widths,
 * precisions and flags, on ordinary, rounding-edge and special values (inf, nan, -0,
 * denormals, DBL_MAX). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const formats[] = {
	"%e", "%E", "%f", "%F", "%g", "%G", "%a", "%A",
	"%.0e", "%.3e", "%+.10e", "%#.0e", "%.0f", "%#.0f", "%.2f", "%.17g", "%.3g", "%#g",
	"%.0g", "%.13a", "%.1a", "%.0a", "%#a", "%15.4f|", "%-15.4e|", "%015.5g", "%+015.3f",
	"% .6e", "% g", "%20a|", "%-20A|",
};

static double values[40];
static int nvalues;

static void add(double v)
{
	values[nvalues++] = v;
}

static void build_values(void)
{
	volatile double zero = 0.0, one = 1.0, three = 3.0;

	add(0.0);
	add(-zero);
	add(one);
	add(-one);
	add(0.1);
	add(one / three);
	add(2.0 / three);
	add(0.5);
	add(1.5);
	add(2.5);
	add(-3.5);
	add(0.125);
	add(123456789.125);
	add(9.999999999e-5);
	add(999999.5);
	add(1e21);
	add(1e22);
	add(1e100);
	add(-1e-100);
	add(3.141592653589793);
	add(2.718281828459045);
	add(DBL_MIN);
	add(DBL_MIN / 2);               /* denormal */
	add(DBL_TRUE_MIN);
	add(-DBL_TRUE_MIN * 12345);
	add(DBL_MAX);
	add(-DBL_MAX);
	add(DBL_EPSILON);
	add(one / zero);
	add(-one / zero);
	add(zero / zero);
	add(-(zero / zero));
	add(0x1.fffffffffffffp-1);
	add(5e-324 * 3);
	add(1.0 / 1024);
	add(4503599627370497.0);        /* 2^52 + 1 */
}

static void long_expansions(void)
{
	volatile double tenth = 0.1, tiny = DBL_TRUE_MIN, big = DBL_MAX;

	printf("%.60f\n", tenth);
	printf("%.70e\n", tenth);
	printf("%.1080f\n", tiny);
	printf("%f\n", big);
	printf("%.400e\n", big);
	printf("%.30g\n", 1.0 / 7);
}

static void floats(void)
{
	static const float fv[] = { 0.0f, 1.0f, 0.1f, 1.0f / 3, FLT_MAX, FLT_MIN, FLT_MIN / 8,
		FLT_EPSILON, 16777217.0f, -2.5f, 3.14159265f };
	size_t i;

	for (i = 0; i < sizeof fv / sizeof *fv; i++)
		printf("float %zu: %a %.9g %e %f %.0f\n", i, fv[i], fv[i], fv[i], fv[i], fv[i]);
}

int main(void)
{
	size_t f;
	int v;

	build_values();
	for (f = 0; f < sizeof formats / sizeof *formats; f++) {
		printf("%s:\n", formats[f]);
		for (v = 0; v < nvalues; v++) {
			if (values[v] > 1e30 && formats[f][1] != '.' && formats[f][strlen(formats[f]) - 1] == 'f')
				continue;
			printf("  ");
			printf(formats[f], values[v]);
			putchar('\n');
		}
	}
	long_expansions();
	floats();
	return 0;
}
