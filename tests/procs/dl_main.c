/* Dynamic linking under emulation: a program linked lazily (-z lazy) against libc, libm and
 * libpthread opens a library at run time (dlopen, dlsym, dlerror), uses its thread-local
 * variables from several threads (each thread gets its own copy, set up on first use), calls
 * through its IFUNC, opens libm by soname, and closes both. argv[1] is the library's path. */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *(*describe)(int);
static int *tls_var;

static void *thread_fn(void *p)
{
	int id = (int)(long)p;
	const char *d = describe(id * 10);
	char copy[64];
	snprintf(copy, sizeof copy, "%s", d);
	int *mine = dlsym(RTLD_DEFAULT, "plugin_tls");
	return (void *)(long)(strlen(copy) * 1000 + (mine ? *mine : -1));
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (dlopen("/nonexistent/libnothing.so", RTLD_NOW))
		return 3;
	printf("dlerror for a missing library: %s\n", dlerror() ? "set" : "empty");
	void *h = dlopen(argv[1], RTLD_LAZY | RTLD_GLOBAL);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	describe = (const char *(*)(int))dlsym(h, "plugin_describe");
	int (*sum)(const int *, int) = (int (*)(const int *, int))dlsym(h, "plugin_sum");
	int (*sse2)(void) = (int (*)(void))dlsym(h, "plugin_sse2");
	int *ctor = dlsym(h, "plugin_ctor_ran");
	tls_var = dlsym(h, "plugin_tls");
	printf("symbols found: %d, constructor ran: %d, dlsym of a missing symbol: %s\n",
	       describe && sum && sse2 && ctor && tls_var, ctor ? *ctor : -1,
	       dlsym(h, "no_such_symbol") ? "found" : "NULL");
	int v[100];
	for (int i = 0; i < 100; i++)
		v[i] = i * i - 50;
	printf("ifunc sum: %d, cpuid says SSE2: %d\n", sum(v, 100), sse2());
	printf("main: %s\n", describe(1));
	pthread_t th[6];
	for (long i = 0; i < 6; i++)
		pthread_create(&th[i], NULL, thread_fn, (void *)i);
	for (int i = 0; i < 6; i++) {
		void *r;
		pthread_join(th[i], &r);
		printf("thread %d: %ld\n", i, (long)r);
	}
	printf("main tls after threads: %d\n", *tls_var);
	void *m = dlopen("libm.so.6", RTLD_NOW);
	double (*cbrt_fn)(double) = m ? (double (*)(double))dlsym(m, "cbrt") : NULL;
	printf("libm cbrt(27) = %.3f, exp(1) = %.6f\n", cbrt_fn ? cbrt_fn(27.0) : -1.0, exp(1.0));
	if (m)
		dlclose(m);
	printf("dlclose: %d\n", dlclose(h));
	return 0;
}
