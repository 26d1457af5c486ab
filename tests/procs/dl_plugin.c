/* A library for dl_main: dlopen'ed at run time. It has thread-local variables (the dynamic
 * TLS model), an IFUNC whose resolver asks the CPU (cpuid) which body to use, a constructor,
 * and calls into libc and libm through lazily bound PLT entries. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cpuid.h>

__thread int plugin_tls = 11;
static __thread char plugin_buf[64];
int plugin_ctor_ran;

__attribute__((constructor)) static void plugin_init(void)
{
	plugin_ctor_ran = 1;
}

static int sum_plain(const int *v, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int sum_sse2(const int *v, int n)
{
	int s = 0;
	for (int i = n - 1; i >= 0; i--)
		s += v[i];
	return s;
}

/* Picks a body by what cpuid reports: both give the same sums, and which one ran is
 * reported separately only as "SSE2 present", which every x86-64 CPU has. */
static int (*resolve_sum(void))(const int *, int)
{
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	return (d & bit_SSE2) ? sum_sse2 : sum_plain;
}
int plugin_sum(const int *v, int n) __attribute__((ifunc("resolve_sum")));

int plugin_sse2(void)
{
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	return (d & bit_SSE2) != 0;
}

const char *plugin_describe(int x)
{
	plugin_tls += x;
	snprintf(plugin_buf, sizeof plugin_buf, "tls=%d sqrt=%.6f len=%zu", plugin_tls,
		 sqrt((double)plugin_tls), strlen(plugin_buf));
	return plugin_buf;
}
