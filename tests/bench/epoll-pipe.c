/* epoll-pipe: 100k rounds of an 8-byte pipe write, epoll_wait on the read end, and a read. */
#include <sys/epoll.h>
#include <unistd.h>
#include "bench.h"

#define ROUNDS 100000

int main(int argc, char **argv)
{
	long n = ROUNDS * bench_scale(argc, argv), good = 0;
	int p[2];
	if (pipe(p))
		bench_fail("pipe");
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		bench_fail("epoll_create1");
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x7e7e };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev))
		bench_fail("epoll_ctl");
	uint64_t h = FNV_INIT;
	for (long i = 0; i < n; i++) {
		uint64_t v = (uint64_t)i * 0x9e3779b97f4a7c15ULL, got;
		struct epoll_event out;
		if (write(p[1], &v, sizeof v) != sizeof v)
			bench_fail("write pipe");
		if (epoll_wait(ep, &out, 1, -1) != 1)
			bench_fail("epoll_wait");
		if (read(p[0], &got, sizeof got) != sizeof got)
			bench_fail("read pipe");
		good += out.data.u64 == 0x7e7e && (out.events & EPOLLIN);
		h = fnv1a(h, &got, sizeof got);
	}
	printf("epoll-pipe %ld rounds, %ld seen by epoll, data %016llx\n", n, good,
	       (unsigned long long)h);
	return 0;
}
