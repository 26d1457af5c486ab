/* strtod, strtof and strtold on many strings: decimal and hex floats, rounding edge cases
 * (halfway cases, long digit strings), overflow and underflow with their errno, special
 * words, leading junk and the end pointer. Results are printed exactly with %a. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest.h"

static const char *const inputs[] = {
	"0", "-0", "+0.0", "1", "-1", "0.1", "0.2", "0.3", ".5", "5.", "1e10", "1E-10", "  42xyz",
	"3.14159265358979323846264338327950288419716939937510", "2.718281828459045235360287471",
	"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
	"-1e400", "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324",
	"2.4703282292062327e-324", "2.4703282292062328e-324", "1e-330", "-1e-400",
	"9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000001",
	"0.500000000000000166533453693773481063544750213623046875",
	"123456789012345678901234567890", "1e23", "8.5e-323",
	"0x1p0", "0x1.8p1", "0X1.FFFFFFFFFFFFFP+1023", "0x1p-1074", "0x1p-1075", "0x1.0000000000000801p0",
	"0x.8p1", "0x10", "-0x1.abcdefp-3", "0x1p+2000", "0xp1",
	"inf", "-INF", "infinity", "+Infinity", "infin", "nan", "-NaN", "nan(123)", "NAN(0x1f)",
	"", "   ", "abc", "-", "+.", "e5", "1e", "1e+", "1.5e+x", "00000000000000000000001.5",
	"0.000000000000000000000000000000000000000000000000000000000001",
	"1.18973149535723176502e+4932", "3.36210314311209350626e-4932", "1e4933", "1e-4951",
	"1e-4960",
};

static void show_end(const char *s, const char *end)
{
	printf(" end=%td", end - s);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		const char *s = inputs[i];
		char *end;
		double d;
		float f;
		long double ld;

		printf("[%s]\n", s);
		errno = 0;
		d = strtod(s, &end);
		printf("  d  %a %.17g errno=%s", d, d, errno_name(errno));
		show_end(s, end);
		errno = 0;
		f = strtof(s, &end);
		printf("\n  f  %a %.9g errno=%s", f, f, errno_name(errno));
		show_end(s, end);
		errno = 0;
		ld = strtold(s, &end);
		printf("\n  ld %La %.21Lg errno=%s", ld, ld, errno_name(errno));
		show_end(s, end);
		putchar('\n');
	}
	printf("atof: %a %a\n", atof("1.25"), atof("-7e-3"));
	printf("strtol: %ld %ld %ld %lu\n", strtol("-0x7fff", NULL, 0), strtol("0777", NULL, 0),
	       strtol("zz", NULL, 36), strtoul("18446744073709551615", NULL, 10));
	errno = 0;
	printf("strtol overflow: %ld %s\n", strtol("99999999999999999999", NULL, 10), errno_name(errno));
	return 0;
}
