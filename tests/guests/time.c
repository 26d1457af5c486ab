/* Time: time(), clock_gettime on several clocks, gettimeofday and nanosleep. Only facts
 * that hold on every run are printed (booleans), never the times themselves. */
#include <errno.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include "guest.h"

static long long ns_of(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns_of(t);
}

int main(void)
{
	struct timespec rt, mono1, mono2, res, req = { 0, 5 * 1000 * 1000 }, rem;
	struct timeval tv;
	time_t t1, t2, t3;
	long long before, after;
	int r, advancing = 1, i;

	/* time() may read a coarse clock a tick behind the others: allow a second either way. */
	t1 = time(NULL);
	time(&t2);
	r = gettimeofday(&tv, NULL);
	clock_gettime(CLOCK_REALTIME, &rt);
	t3 = time(NULL);
	printf("time after 2020: %d\n", t1 > 1577836800);
	printf("time(&t) agrees: %d\n", t2 >= t1 && t2 - t1 <= 1);
	printf("gettimeofday ok: %d usec in range: %d\n", r == 0, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	printf("gettimeofday near time(): %d\n", tv.tv_sec + 1 >= t1 && tv.tv_sec <= t3 + 1);
	printf("realtime near time(): %d nsec in range: %d\n", rt.tv_sec + 1 >= t1 && rt.tv_sec <= t3 + 1,
	       rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000);

	clock_gettime(CLOCK_MONOTONIC, &mono1);
	for (i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &mono2);
		if (ns_of(mono2) < ns_of(mono1))
			advancing = 0;
		mono1 = mono2;
	}
	printf("monotonic never goes back: %d\n", advancing);
	printf("monotonic res ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns_of(res) > 0 &&
	       ns_of(res) <= 1000000);

	before = mono_ns();
	r = nanosleep(&req, &rem);
	after = mono_ns();
	printf("nanosleep 5ms: ret=%d slept enough: %d not absurdly long: %d\n", r,
	       after - before >= 5000000, after - before < 5000000000LL);
	before = mono_ns();
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	after = mono_ns();
	printf("clock_nanosleep 5ms: ret=%d slept enough: %d\n", r, after - before >= 5000000);
	clock_gettime(CLOCK_MONOTONIC, &rt);
	rt.tv_nsec += 3000000;
	if (rt.tv_nsec >= 1000000000) {
		rt.tv_sec++;
		rt.tv_nsec -= 1000000000;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &rt, NULL);
	printf("clock_nanosleep abs: ret=%d reached: %d\n", r, mono_ns() >= ns_of(rt));
	req.tv_nsec = 1000000000;
	errno = 0;
	r = nanosleep(&req, NULL);
	printf("nanosleep bad nsec: ret=%d errno=%s\n", r, errno_name(errno));
	errno = 0;
	r = clock_gettime((clockid_t)12345, &rt);
	printf("bad clock: ret=%d errno=%s\n", r, errno_name(errno));
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &rt);
	printf("cputime nonneg: %d\n", ns_of(rt) >= 0);
	clock_gettime(CLOCK_BOOTTIME, &rt);
	printf("boottime positive: %d\n", ns_of(rt) > 0);
	{
		struct tm tm;
		time_t fixed = 1700000000;
		char buf[64];
		gmtime_r(&fixed, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %j", &tm);
		printf("gmtime: %s\n", buf);
	}
	return 0;
}
