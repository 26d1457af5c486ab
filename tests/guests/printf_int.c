/* printf of integers: every conversion, length modifier, flag, width and precision that
 * matters, on edge values. Also snprintf truncation and the %n count. */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

static const char *const int_formats[] = {
	"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-+8.3d|", "%.0d",
	"%u", "%x", "%X", "%#x", "%#X", "%o", "%#o", "%#.5o", "%08x", "%-#10x|", "%+.0i", "%c",
};
static const int int_values[] = { 0, 1, -1, 7, 42, -42, 255, 1000, 65535, -65536, 123456789,
	INT_MAX, INT_MIN, 'A' };

static const char *const ll_formats[] = {
	"%lld", "%lli", "%llu", "%llx", "%llX", "%llo", "%#llx", "%+lld", "%25lld", "%-25lld|",
	"%.20lld", "%025llu",
};
static const long long ll_values[] = { 0, 1, -1, 4294967296LL, -4294967297LL, 1234567890123LL,
	LLONG_MAX, LLONG_MIN, (long long)0x8000000000000001ULL };

static void small_types(void)
{
	printf("hh: %hhd %hhu %hhx %hhd\n", (signed char)-128, (unsigned char)200, 0x1ff, 300);
	printf("h: %hd %hu %hx %hd\n", (short)-32768, (unsigned short)65535, 0x12345, 70000);
	printf("l: %ld %lu %lx\n", LONG_MIN, ULONG_MAX, 0xdeadbeefcafeL);
	printf("z: %zd %zu %zx\n", (ssize_t)-5, (size_t)-1, (size_t)4096);
	printf("j: %jd %ju\n", INTMAX_MIN, UINTMAX_MAX);
	printf("t: %td\n", (ptrdiff_t)-123);
	printf("inttypes: %" PRId8 " %" PRIu16 " %" PRIx32 " %" PRId64 " %" PRIX64 "\n",
	       (int8_t)-8, (uint16_t)65000, (uint32_t)0xabcdef12, (int64_t)-9000000000LL,
	       (uint64_t)0xfedcba9876543210ULL);
}

static void star_and_misc(void)
{
	int n1 = 0, n2 = 0;
	char buf[16];
	int r;

	printf("star: [%*d] [%-*d] [%.*d] [%*.*d]\n", 6, 42, 6, 42, 4, 42, -8, 3, 7);
	printf("strings: [%s] [%10s] [%-10s] [%.3s] [%10.2s] [%%] [%c%c]\n",
	       "abc", "right", "left", "truncate", "xy z", 'o', 'k');
	printf("count:%n abc%n\n", &n1, &n2);
	printf("n1=%d n2=%d\n", n1, n2);
	r = snprintf(buf, sizeof buf, "%d-%d-%d-%d", 123456, 234567, 345678, 456789);
	printf("snprintf: %d [%s] %zu\n", r, buf, strlen(buf));
	r = snprintf(NULL, 0, "%lld", LLONG_MIN);
	printf("snprintf NULL: %d\n", r);
	r = snprintf(buf, 1, "xyz");
	printf("snprintf 1: %d [%s]\n", r, buf);
	printf("positional: %2$s %1$s %3$d\n", "world", "hello", 3);
}

int main(void)
{
	size_t f, v;

	for (f = 0; f < sizeof int_formats / sizeof *int_formats; f++) {
		printf("%-10s", int_formats[f]);
		for (v = 0; v < sizeof int_values / sizeof *int_values; v++) {
			if (int_formats[f][strlen(int_formats[f]) - 1] == 'c' && int_values[v] < 32)
				continue;
			if (int_formats[f][strlen(int_formats[f]) - 1] == 'c' && int_values[v] > 126)
				continue;
			putchar(' ');
			printf(int_formats[f], int_values[v]);
		}
		putchar('\n');
	}
	for (f = 0; f < sizeof ll_formats / sizeof *ll_formats; f++) {
		printf("%-10s", ll_formats[f]);
		for (v = 0; v < sizeof ll_values / sizeof *ll_values; v++) {
			putchar(' ');
			printf(ll_formats[f], ll_values[v]);
		}
		putchar('\n');
	}
	small_types();
	star_and_misc();
	return 0;
}
