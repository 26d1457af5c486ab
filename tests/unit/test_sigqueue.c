/* The pending-signal queues (syscalls/sigqueue.c) on their own: kernel/signal.c's rules of
 * __send_signal_locked (legacy_queue, RLIMIT_SIGPENDING with its override), next_signal and
 * collect_signal (SEMANTICS.md "Dequeue" and "An RT signal over RLIMIT_SIGPENDING"). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "syscalls/signal.h"
#include "syscalls/sigqueue.h"

#define RT(n) (SIGQ_RTMIN + (n))

static const struct sigq_limit unlimited = { .limit = ~0ull };

static struct linux_siginfo info_of(int sig, int code, int value)
{
	struct linux_siginfo si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.u.kill.pid = 1234;
	memcpy(si.u.bytes + 8, &value, sizeof value);   /* si_value at offset 24 */
	return si;
}

static int value_of(const struct linux_siginfo *si)
{
	int v;
	memcpy(&v, si->u.bytes + 8, sizeof v);
	return v;
}

static void test_rt_fifo_lowest_first(void)
{
	struct sigq q = { 0 };
	uint64_t base = sigq_in_use();
	for (int v = 0; v < 3; v++) {
		struct linux_siginfo a = info_of(RT(2), SI_QUEUE, v), b = info_of(RT(0), SI_QUEUE, 10 + v);
		CU_ASSERT_EQUAL(sigq_send(&q, RT(2), &a, &unlimited), 1);
		CU_ASSERT_EQUAL(sigq_send(&q, RT(0), &b, &unlimited), 1);
	}
	CU_ASSERT_EQUAL(sigq_in_use(), base + 6);
	struct linux_siginfo out;
	for (int v = 0; v < 3; v++) {
		CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(0));
		CU_ASSERT_EQUAL(value_of(&out), 10 + v);
	}
	/* The bit stays while another instance is queued. */
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(2));
	CU_ASSERT((q.bits & SIGQ_BIT(RT(2))) != 0);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, SIGQ_BIT(RT(0)), &out), 0);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(2));
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(2));
	CU_ASSERT_EQUAL(value_of(&out), 2);
	CU_ASSERT_EQUAL(q.bits, 0);
	CU_ASSERT_PTR_NULL(q.head);
	CU_ASSERT_EQUAL(sigq_in_use(), base);
}

static void test_standard_coalesce(void)
{
	struct sigq q = { 0 };
	struct linux_siginfo first = info_of(SIGUSR1, SI_QUEUE, 5), second = info_of(SIGUSR1, SI_USER, 6);
	CU_ASSERT_EQUAL(sigq_send(&q, SIGUSR1, &first, &unlimited), 1);
	CU_ASSERT_EQUAL(sigq_send(&q, SIGUSR1, &second, &unlimited), 0);
	struct linux_siginfo out;
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), SIGUSR1);
	CU_ASSERT_EQUAL(out.si_code, SI_QUEUE);
	CU_ASSERT_EQUAL(value_of(&out), 5);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), 0);
}

static void test_synchronous_first(void)
{
	struct sigq q = { 0 };
	struct linux_siginfo a = info_of(SIGHUP, SI_USER, 0), b = info_of(SIGSEGV, SI_USER, 0);
	sigq_send(&q, SIGHUP, &a, &unlimited);
	sigq_send(&q, SIGSEGV, &b, &unlimited);
	struct linux_siginfo out;
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), SIGSEGV);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), SIGHUP);
	CU_ASSERT_EQUAL(sigq_next(SIGQ_BIT(SIGSYS) | SIGQ_BIT(SIGINT)), SIGSYS);
	CU_ASSERT_EQUAL(sigq_next(0), 0);
}

static void test_limit(void)
{
	struct sigq q = { 0 };
	uint64_t base = sigq_in_use();
	/* Four slots, one of them taken outside the queues. */
	struct sigq_limit lim = { .limit = base + 4, .taken_elsewhere = 1 };
	struct linux_siginfo si;
	for (int v = 0; v < 3; v++) {
		si = info_of(RT(0), SI_QUEUE, v);
		CU_ASSERT_EQUAL(sigq_send(&q, RT(0), &si, &lim), 1);
	}
	si = info_of(RT(0), SI_QUEUE, 3);
	CU_ASSERT_EQUAL(sigq_send(&q, RT(0), &si, &lim), -EAGAIN);
	si = info_of(RT(1), SI_TKILL, 0);
	CU_ASSERT_EQUAL(sigq_send(&q, RT(1), &si, &lim), -EAGAIN);
	CU_ASSERT((q.bits & SIGQ_BIT(RT(1))) == 0);
	/* kill(): pending without its siginfo. */
	si = info_of(RT(1), SI_USER, 0);
	CU_ASSERT_EQUAL(sigq_send(&q, RT(1), &si, &lim), 1);
	/* A standard signal with si_code >= 0 overrides the limit; one with si_code < 0 is
	 * pending without its siginfo. */
	si = info_of(SIGUSR1, SI_USER, 0);
	CU_ASSERT_EQUAL(sigq_send(&q, SIGUSR1, &si, &lim), 1);
	si = info_of(SIGUSR2, SI_QUEUE, 9);
	CU_ASSERT_EQUAL(sigq_send(&q, SIGUSR2, &si, &lim), 1);
	CU_ASSERT_EQUAL(sigq_in_use(), base + 4);
	struct linux_siginfo out;
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), SIGUSR1);
	CU_ASSERT_EQUAL(out.u.kill.pid, 1234);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), SIGUSR2);
	CU_ASSERT_EQUAL(out.si_code, SI_USER);
	CU_ASSERT_EQUAL(out.u.kill.pid, 0);
	CU_ASSERT_EQUAL(value_of(&out), 0);
	/* Forced (queued by the host already): over the limit all the same. */
	const struct sigq_limit force = { .limit = 0, .force = true };
	si = info_of(RT(0), SI_QUEUE, 50);
	CU_ASSERT_EQUAL(sigq_send(&q, RT(0), &si, &force), 1);
	for (int v = 0; v < 3; v++) {
		CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(0));
		CU_ASSERT_EQUAL(value_of(&out), v);
	}
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(0));
	CU_ASSERT_EQUAL(value_of(&out), 50);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(1));
	CU_ASSERT_EQUAL(out.si_code, SI_USER);
	CU_ASSERT_EQUAL(out.u.kill.pid, 0);
	CU_ASSERT_EQUAL(q.bits, 0);
	CU_ASSERT_EQUAL(sigq_in_use(), base);
}

static void test_flush(void)
{
	struct sigq q = { 0 };
	uint64_t base = sigq_in_use();
	struct linux_siginfo si;
	for (int v = 0; v < 4; v++) {
		int sig = v & 1 ? RT(3) : RT(4);
		si = info_of(sig, SI_QUEUE, v);
		sigq_send(&q, sig, &si, &unlimited);
	}
	sigq_flush(&q, SIGQ_BIT(RT(3)));
	CU_ASSERT_EQUAL(q.bits, SIGQ_BIT(RT(4)));
	CU_ASSERT_EQUAL(sigq_in_use(), base + 2);
	struct linux_siginfo out;
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(4));
	CU_ASSERT_EQUAL(value_of(&out), 0);
	si = info_of(RT(5), SI_QUEUE, 7);
	sigq_send(&q, RT(5), &si, &unlimited);   /* after a flush the tail is right */
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(4));
	CU_ASSERT_EQUAL(value_of(&out), 2);
	CU_ASSERT_EQUAL(sigq_dequeue(&q, ~0ull, &out), RT(5));
	sigq_flush(&q, ~0ull);
	CU_ASSERT_EQUAL(sigq_in_use(), base);
}

/* Many entries: the allocator grows past its first chunk and gives every slot back. */
static void test_many(void)
{
	struct sigq q = { 0 };
	uint64_t base = sigq_in_use();
	struct linux_siginfo si, out;
	for (int v = 0; v < 2000; v++) {
		si = info_of(RT(6), SI_QUEUE, v);
		CU_ASSERT_EQUAL_FATAL(sigq_send(&q, RT(6), &si, &unlimited), 1);
	}
	int ok = 1;
	for (int v = 0; v < 2000; v++)
		ok &= sigq_dequeue(&q, ~0ull, &out) == RT(6) && value_of(&out) == v;
	CU_ASSERT(ok);
	CU_ASSERT_EQUAL(q.bits, 0);
	CU_ASSERT_EQUAL(sigq_in_use(), base);
}

/* A host signal for a guest handler that comes while its own thread holds the queues' lock
 * (syscalls/sigsend.c): left to sig_unlock, which queues it, and blocked in the context it
 * interrupted until then. */
static void test_host_signal_while_locked(void)
{
	struct thread *t = calloc(1, sizeof *t), *saved = current;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	current = t;
	sigset_t before;
	sigprocmask(SIG_BLOCK, NULL, &before);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = RT(10);
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 77;
	ucontext_t uc;
	memset(&uc, 0, sizeof uc);
	sig_lock();
	sig_queue_from_host(t, RT(10), &si, &uc);
	CU_ASSERT(sigismember(&uc.uc_sigmask, RT(10)));
	CU_ASSERT((t->pending.bits | the_process.shared_pending.bits) == 0);
	sig_unlock();
	CU_ASSERT_EQUAL(t->sigq_deferred, 0);
	struct linux_siginfo out;
	CU_ASSERT_EQUAL(sig_dequeue(t, ~0ull, &out), RT(10));
	CU_ASSERT_EQUAL(value_of(&out), 77);
	/* Not held: queued at once. */
	sig_queue_from_host(t, RT(10), &si, &uc);
	CU_ASSERT_EQUAL(sig_dequeue(t, ~0ull, &out), RT(10));
	sigprocmask(SIG_SETMASK, &before, NULL);
	current = saved;
	free(t);
}

void register_sigqueue_tests(void)
{
	CU_pSuite s = CU_add_suite("sigqueue", NULL, NULL);
	CU_add_test(s, "RT signals: every instance, in order, lowest first", test_rt_fifo_lowest_first);
	CU_add_test(s, "standard signals coalesce, the first siginfo kept", test_standard_coalesce);
	CU_add_test(s, "synchronous signals dequeued first", test_synchronous_first);
	CU_add_test(s, "RLIMIT_SIGPENDING: EAGAIN, override, pending without siginfo", test_limit);
	CU_add_test(s, "flush drops the signals and frees their slots", test_flush);
	CU_add_test(s, "thousands queued and drained", test_many);
	CU_add_test(s, "a host signal while its thread holds the lock", test_host_signal_while_locked);
}
