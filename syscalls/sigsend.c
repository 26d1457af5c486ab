/* Pending signals and their senders: each thread's own set and the process's
 * (thread->pending, the_process.shared_pending: sigqueue.c), kill, tkill, tgkill,
 * rt_sigqueueinfo and rt_tgsigqueueinfo within the process, rt_sigtimedwait and
 * rt_sigpending. kernel/signal.c's rules: prepare_signal (ignored and unblocked dropped,
 * STOP/CONT flushes), __send_signal_locked (coalescing, RLIMIT_SIGPENDING), complete_signal
 * (which thread is woken), dequeue_signal (the thread's own set first).
 *
 * Signals to another process go to the host kernel. Signals from outside arrive as host
 * signals: the host handler of a guest handler queues them here; blocked ones stay pending in
 * the host kernel (the host mask mirrors the guest's) until unblocked, waited for or counted
 * by rt_sigpending.
 *
 * Waking a thread: a sender queues first, then, if the thread does not block the signal,
 * makes it leave its block (exit_reason) and interrupts a host call it may be blocked in by
 * sending it the same host signal, which the host handler recognises as sfdemu's (SI_TKILL
 * from this process: the guest's own tkill/tgkill to its threads never reach the host) and
 * drops. A thread in rt_sigtimedwait waits on the host for the same set, blocked there
 * beforehand, so such a wake-up is never lost: it takes the signal from the queues here.
 *
 * The pending sets have one lock, a spin lock the host handler of guest handlers takes too: a
 * host signal that comes while its own thread holds it is set aside (and blocked in the
 * context it interrupted) for sig_unlock to queue, so taking the lock costs no syscall. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "signal.h"
#include "sys_impl.h"
#include "../emu/host_alloc.h"

#define LINUX_SI_USER 0
#define LINUX_SI_KERNEL 0x80
#define LINUX_SI_TKILL (-6)
#define SI_HEAD_BYTES 48   /* what the kernel copies of a user siginfo (kernel_siginfo) */
#define SIGQ_READ_HOST_BELOW 4096

static int spin;

static int pid_cache;   /* this process's pid, 0 until known (a fork child forgets it) */

static long host_pid(void)
{
	struct thread *t = current;
	if (t && t->vfork_child)   /* the parent's memory: not its pid */
		return host_syscall0(SYS_getpid);
	int pid = __atomic_load_n(&pid_cache, __ATOMIC_RELAXED);
	if (!pid) {
		pid = (int)host_syscall0(SYS_getpid);
		__atomic_store_n(&pid_cache, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

/* The real uid, which kill's siginfo carries: kept until a set*uid call succeeds
 * (uid_changed). One word: bit 63 says it is known, bits 32-62 count the changes, so a
 * value read before a change is never kept after it. */
static uint64_t uid_word;
#define UID_KNOWN (1ull << 63)
#define UID_CHANGE (1ull << 32)

static uint32_t host_uid(void)
{
	uint64_t w = __atomic_load_n(&uid_word, __ATOMIC_ACQUIRE);
	if (w & UID_KNOWN)
		return (uint32_t)w;
	uint32_t uid = (uint32_t)host_syscall0(SYS_getuid);
	uint64_t known = (w & ~(uint64_t)UINT32_MAX) | UID_KNOWN | uid;
	__atomic_compare_exchange_n(&uid_word, &w, known, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
	return uid;
}

static void uid_changed(void)
{
	uint64_t w = __atomic_load_n(&uid_word, __ATOMIC_ACQUIRE), next;
	do
		next = ((w & ~UID_KNOWN & ~(uint64_t)UINT32_MAX) + UID_CHANGE) & ~UID_KNOWN;
	while (!__atomic_compare_exchange_n(&uid_word, &w, next, false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE));
}

static long host_tid(void)
{
	struct thread *t = current;
	return t && t->tid ? t->tid : host_syscall0(SYS_gettid);
}

static void spin_lock(void)
{
	while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
		host_syscall0(SYS_sched_yield);
}

static void spin_unlock(void) { __atomic_store_n(&spin, 0, __ATOMIC_RELEASE); }

/* The flag orders against a host handler on the same thread: set before the spin lock is
 * taken, cleared after it is released (signal fences keep the compiler to that order). */
static void set_locked(struct thread *t, bool on)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->sigq_locked, on, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void sig_lock(void)
{
	struct thread *t = current;
	if (t)
		set_locked(t, true);
	spin_lock();
}

static void queue_taken_from_host(struct thread *t, int sig, const void *host_siginfo);

/* The host signals that came while this thread held the lock: queued now, then let in
 * again (the host handler blocked each one in the context it interrupted). */
static void take_deferred(struct thread *t)
{
	uint64_t taken = 0, d;
	set_locked(t, true);
	spin_lock();
	while ((d = __atomic_load_n(&t->sigq_deferred, __ATOMIC_SEQ_CST))) {
		int sig = __builtin_ctzll(d) + 1;
		queue_taken_from_host(t, sig, &t->sigq_deferred_info[sig - 1]);
		__atomic_and_fetch(&t->sigq_deferred, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
		taken |= SIGBIT(sig);
	}
	spin_unlock();
	set_locked(t, false);
	host_syscall4(SYS_rt_sigprocmask, SIG_UNBLOCK, &taken, NULL, sizeof taken);
}

void sig_unlock(void)
{
	struct thread *t = current;
	spin_unlock();
	if (!t)
		return;
	set_locked(t, false);
	while (__atomic_load_n(&t->sigq_deferred, __ATOMIC_SEQ_CST))
		take_deferred(t);
}

static struct sigq *shared_of(struct thread *t)
{
	return t->vfork_child ? &t->pending : &the_process.shared_pending;
}

/* sig_dequeue, saying which set the signal came from. */
static int dequeue_from(struct thread *t, uint64_t allow, struct linux_siginfo *info,
			bool *shared)
{
	sig_lock();
	int sig = sigq_dequeue(&t->pending, allow, info);
	*shared = !sig && !t->vfork_child;
	if (!sig)
		sig = sigq_dequeue(shared_of(t), allow, info);
	sig_unlock();
	return sig;
}

int sig_dequeue(struct thread *t, uint64_t allow, struct linux_siginfo *info)
{
	bool shared;
	return dequeue_from(t, allow, info, &shared);
}

static bool is_wakeup(const siginfo_t *si)
{
	return si->si_code == LINUX_SI_TKILL && si->si_pid == host_pid();
}

/* A signal the host kernel had queued: it keeps its slot here, in the set the host most
 * likely held it in (thread-directed: tkill/tgkill, and SIGPIPE from a write; the rest for
 * the process), where a standard signal meets the instance sfdemu may hold already. */
static void queue_taken_from_host(struct thread *t, int sig, const void *host_siginfo)
{
	struct linux_siginfo info;
	memcpy(&info, host_siginfo, sizeof info);
	const struct sigq_limit force = { .force = true };
	bool own = info.si_code == LINUX_SI_TKILL || sig == SIGPIPE;
	sigq_send(own ? &t->pending : shared_of(t), sig, &info, &force);
}

void sig_queue_from_host(struct thread *t, int sig, const void *host_siginfo, void *host_uc)
{
	if (is_wakeup(host_siginfo))
		return;
	if (__atomic_load_n(&t->sigq_locked, __ATOMIC_RELAXED)) {
		/* The lock is this thread's: sig_unlock queues it. Blocked meanwhile, so this
		 * slot cannot be needed again before then. */
		memcpy(&t->sigq_deferred_info[sig - 1], host_siginfo, sizeof(struct linux_siginfo));
		__atomic_or_fetch(&t->sigq_deferred, SIGBIT(sig), __ATOMIC_SEQ_CST);
		ucontext_t *uc = host_uc;
		uint64_t mask;
		memcpy(&mask, &uc->uc_sigmask, sizeof mask);
		mask |= SIGBIT(sig);
		memcpy(&uc->uc_sigmask, &mask, sizeof mask);
		return;
	}
	spin_lock();   /* the host action blocks the other signals whose handler takes it */
	queue_taken_from_host(t, sig, host_siginfo);
	spin_unlock();
}

/* A field of a /proc status file (the text after "name:" and blanks), read into buf; NULL
 * if there is none. */
static const char *status_field(char *buf, size_t size, const char *path, const char *name)
{
	int fd = (int)host_syscall3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	long n = host_syscall3(SYS_read, fd, buf, size - 1);
	host_syscall1(SYS_close, fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	const char *p = strstr(buf, name);
	if (!p)
		return NULL;
	for (p += strlen(name); *p == ' ' || *p == '\t'; p++)
		;
	return p;
}

/* Queued signals of the calling user the host kernel holds (SigQ): they count against the
 * same limit. Read only when the limit is low enough to matter. */
static uint64_t host_queued(void)
{
	char buf[4096];
	const char *p = status_field(buf, sizeof buf, "/proc/self/status", "\nSigQ:");
	uint64_t v = 0;
	for (; p && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

static void read_limit(struct sigq_limit *lim)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	host_syscall4(SYS_prlimit64, 0, RLIMIT_SIGPENDING, NULL, &rl);
	*lim = (struct sigq_limit){ .limit = rl.rlim_cur };
	if (rl.rlim_cur < SIGQ_READ_HOST_BELOW)
		lim->taken_elsewhere = host_queued();
}

/* ---- generation (threads_lock and the queues' lock held) ---- */

static void flush_locked(uint64_t sigs)
{
	sigq_flush(&the_process.shared_pending, sigs);
	for (struct thread *t = the_process.threads; t; t = t->next)
		sigq_flush(&t->pending, sigs);
}

static bool wants(const struct thread *t, uint64_t bit)
{
	return !(t->sigmask & bit) || (__atomic_load_n(&t->waiting_set, __ATOMIC_SEQ_CST) & bit);
}

/* Make t act on sig (t wants it: see wants()). A thread waiting for it in rt_sigtimedwait
 * gets a host signal it waits for there (blocked on the host until then, so it is never
 * lost), counted in t->wakeups. Any other leaves its block, and is interrupted in a host call
 * by the same host signal: the host handler of a guest handler drops it, a default action
 * that ends the process ends it as sig would. The calling thread acts on it at its syscall
 * exit. */
static void wake_thread(struct thread *t, int sig)
{
	uint64_t bit = SIGBIT(sig);
	if (t == current)
		return;
	uint64_t w = __atomic_load_n(&t->waiting_set, __ATOMIC_SEQ_CST);
	if (w & bit) {
		int host_sig = (MIRRORED & bit) ? sig : sigq_next(w & MIRRORED);
		if (host_sig && host_syscall3(SYS_tgkill, host_pid(), t->tid, host_sig) == 0)
			__atomic_add_fetch(&t->wakeups, 1, __ATOMIC_SEQ_CST);
		return;
	}
	uint32_t none = EXIT_NONE;
	__atomic_compare_exchange_n(&t->cpu.exit_reason, &none, EXIT_SIGNAL, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	uint64_t h = the_process.sigactions[sig].handler;
	if ((MIRRORED & bit) && (h > LINUX_SIG_IGN || !(STOP_SIGS & bit)))
		host_syscall3(SYS_tgkill, host_pid(), t->tid, sig);
}

/* complete_signal(): the target if it takes the signal now, else any thread that does. */
static void wake(struct thread *target, bool group, int sig)
{
	uint64_t bit = SIGBIT(sig);
	if (!group || wants(target, bit) || target->vfork_child) {
		if (wants(target, bit))
			wake_thread(target, sig);
		return;
	}
	for (struct thread *t = the_process.threads; t; t = t->next)
		if (!t->vfork_child && wants(t, bit)) {
			wake_thread(t, sig);
			return;
		}
}

static long send_locked(struct thread *target, bool group, int sig,
			const struct linux_siginfo *info, const struct sigq_limit *lim)
{
	uint64_t bit = SIGBIT(sig);
	if (STOP_SIGS & bit)
		flush_locked(SIGBIT(SIGCONT));
	else if (sig == SIGCONT)
		flush_locked(STOP_SIGS);
	if (!(target->sigmask & bit) && sig_ignored(sig))
		return 0;
	int r = sigq_send(group ? shared_of(target) : &target->pending, sig, info, lim);
	if (r > 0)
		wake(target, group, sig);
	return r < 0 ? r : 0;
}

/* Checks of check_kill_permission() that apply within a process. */
static long bad_signal(long sig)
{
	return sig < 0 || sig > LINUX_NSIG ? -EINVAL : 0;
}

static void lock_threads(void) { pthread_mutex_lock(&the_process.threads_lock); }
static void unlock_threads(void) { pthread_mutex_unlock(&the_process.threads_lock); }

/* The guest thread tid of this process (threads_lock held), or NULL. */
static struct thread *find_thread(int tid)
{
	struct thread *self = current;
	if (tid == host_tid() || self->vfork_child)
		return tid == host_tid() ? self : NULL;
	for (struct thread *t = the_process.threads; t; t = t->next)
		if (t->tid == tid && !t->vfork_child)
			return t;
	return NULL;
}

static bool map_chunk(void *arg)
{
	void **p = arg;
	*p = mmap(NULL, SIGQ_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return *p != MAP_FAILED;
}

/* Entries for what is sent next, from sfdemu's own memory (emu/host_alloc.c): a guest that
 * used up its address space still gets its slots, as the kernel's come from its own memory.
 * Outside the lock: host_alloc takes locks of its own. */
static void ensure_entries(void)
{
	sig_lock();
	bool empty = sigq_free_count() == 0;
	sig_unlock();
	void *p;
	if (!empty || !ha_own_map(map_chunk, &p, SIGQ_CHUNK))
		return;
	sig_lock();
	sigq_add_chunk(p, SIGQ_CHUNK);
	sig_unlock();
}

#define NOT_OURS 1
/* Send sig with info to the thread tid of this process (group: to the process, through tid
 * as the target kill() names). NOT_OURS if tid is no thread of this process, else 0 or
 * -errno (check_kill_permission: EINVAL for a bad signal; signal 0 only checks). */
static long send_in_process(int tid, bool group, int sig, struct linux_siginfo *info)
{
	/* The limit binds all but a standard signal with si_code >= 0. */
	struct sigq_limit lim = { .force = true };
	if (!bad_signal(sig) && sig && (sig >= SIGQ_RTMIN || info->si_code < 0))
		read_limit(&lim);
	ensure_entries();
	lock_threads();
	struct thread *t = find_thread(tid);
	long r = NOT_OURS;
	if (t && (bad_signal(sig) || !sig)) {
		r = bad_signal(sig);
	} else if (t && sig == SIGKILL) {
		unlock_threads();
		sig_die(SIGKILL);
	} else if (t) {
		sig_lock();
		r = send_locked(t, group, sig, info, &lim);
		sig_unlock();
	}
	unlock_threads();
	return r;
}

void sig_flush_all(uint64_t sigs)
{
	lock_threads();
	sig_lock();
	flush_locked(sigs);
	sig_unlock();
	unlock_threads();
}

void sig_fork_child(struct thread *self)
{
	spin = 0;
	pid_cache = 0;
	sigq_flush(&self->pending, ~0ull);
	sigq_flush(&the_process.shared_pending, ~0ull);
	sigq_reset_count();
	self->waiting_set = 0;
}

void sig_thread_free(struct thread *t)
{
	sig_lock();
	sigq_flush(&t->pending, ~0ull);
	sig_unlock();
}

/* ---- senders ---- */

static struct linux_siginfo kill_info(int sig, int code)
{
	return (struct linux_siginfo){
		.si_signo = sig, .si_code = code,
		.u.kill = { .pid = (int32_t)host_pid(), .uid = host_uid() },
	};
}

/* setuid, setreuid and setresuid: the host's, after which the real uid is read again. */
#define SET_UID_CALL(name)                                                                 \
	long sys_##name(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5) \
	{                                                                                  \
		long r = host_syscall3(SYS_##name, a0, a1, a2);                            \
		if (r == 0)                                                                \
			uid_changed();                                                     \
		return r;                                                                  \
	}
SET_UID_CALL(setuid)
SET_UID_CALL(setreuid)
SET_UID_CALL(setresuid)

long sys_kill(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	int sig = (int)a1;
	if ((int)a0 != host_pid())
		return host_syscall2(SYS_kill, a0, a1);
	struct linux_siginfo info = kill_info(sig, LINUX_SI_USER);
	return send_in_process((int)host_tid(), true, sig, &info);
}

/* do_tkill(): tgid 0 for tkill. */
static long tkill_common(int tgid, int tid, int sig)
{
	if (tid <= 0 || (tgid != 0 && tgid <= 0))
		return -EINVAL;
	if (tgid == 0 || tgid == host_pid()) {
		struct linux_siginfo info = kill_info(sig, LINUX_SI_TKILL);
		long r = send_in_process(tid, false, sig, &info);
		if (r != NOT_OURS)
			return r;
	}
	return tgid ? host_syscall3(SYS_tgkill, tgid, tid, sig) : host_syscall2(SYS_tkill, tid, sig);
}

long sys_tkill(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return tkill_common(0, (int)a0, (int)a1);
}

long sys_tgkill(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if ((int)a0 <= 0)
		return -EINVAL;
	return tkill_common((int)a0, (int)a1, (int)a2);
}

/* kernel/signal.c known_siginfo_layout(): the si_codes whose siginfo fits the 48 bytes the
 * kernel copies; any other must have the rest zero (else E2BIG). */
static bool known_layout(int sig, int code)
{
	static const struct { int sig, limit; } specific[] = {
		{ SIGILL, 11 }, { SIGFPE, 15 }, { SIGSEGV, 10 }, { SIGBUS, 5 }, { SIGTRAP, 6 },
		{ SIGCHLD, 6 }, { SIGPOLL, 6 }, { SIGSYS, 2 },
	};
	if (code == LINUX_SI_KERNEL)
		return true;
	if (code > LINUX_SI_USER) {
		for (size_t i = 0; i < sizeof specific / sizeof specific[0]; i++)
			if (specific[i].sig == sig)
				return code <= specific[i].limit;
		return code <= 6;   /* NSIGPOLL */
	}
	return code >= -7 /* SI_DETHREAD */ || code == -60 /* SI_ASYNCNL */;
}

/* __copy_siginfo_from_user(): the siginfo as the kernel takes it, signo set to sig. */
static long copy_user_info(struct linux_siginfo *info, uint64_t src, int sig)
{
	memset(info, 0, sizeof *info);
	if (guest_read(info, src, SI_HEAD_BYTES) < 0)
		return -EFAULT;
	info->si_signo = sig;
	if (!known_layout(sig, info->si_code)) {
		uint8_t rest[sizeof *info - SI_HEAD_BYTES];
		if (guest_read(rest, src + SI_HEAD_BYTES, sizeof rest) < 0)
			return -EFAULT;
		for (size_t i = 0; i < sizeof rest; i++)
			if (rest[i])
				return -E2BIG;
	}
	return 0;
}

/* The caller may not pretend to be the kernel or kill()/tkill() unless it sends to itself. */
static bool forged(const struct linux_siginfo *info, int pid)
{
	return (info->si_code >= 0 || info->si_code == LINUX_SI_TKILL) && host_tid() != pid;
}

long sys_rt_sigqueueinfo(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	int pid = (int)a0, sig = (int)a1;
	if (pid != host_pid())
		return host_syscall3(SYS_rt_sigqueueinfo, a0, a1, a2);
	struct linux_siginfo info;
	long r = copy_user_info(&info, (uint64_t)a2, sig);
	if (r)
		return r;
	if (forged(&info, pid))
		return -EPERM;
	return send_in_process((int)host_tid(), true, sig, &info);
}

long sys_rt_tgsigqueueinfo(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	int tgid = (int)a0, tid = (int)a1, sig = (int)a2;
	if (tgid != host_pid() || tid <= 0)
		return host_syscall4(SYS_rt_tgsigqueueinfo, a0, a1, a2, a3);
	struct linux_siginfo info;
	long r = copy_user_info(&info, (uint64_t)a3, sig);
	if (r)
		return r;
	if (forged(&info, tid))
		return -EPERM;
	r = send_in_process(tid, false, sig, &info);
	return r == NOT_OURS ? host_syscall4(SYS_rt_tgsigqueueinfo, a0, a1, a2, a3) : r;
}

/* ---- waiting ---- */

static long host_wait(uint64_t set, struct linux_siginfo *info, const struct timespec *ts)
{
	uint64_t host_set = set & MIRRORED;
	return host_syscall4(SYS_rt_sigtimedwait, &host_set, info, ts, sizeof host_set);
}

/* What is left until deadline (false once it has passed). */
static bool remaining(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;
	host_syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_nsec += 1000000000;
		left->tv_sec--;
	}
	return left->tv_sec > 0 || (left->tv_sec == 0 && left->tv_nsec > 0);
}

static void set_waiting(struct thread *t, uint64_t set)
{
	sig_lock();
	__atomic_store_n(&t->waiting_set, set, __ATOMIC_SEQ_CST);
	sig_unlock();
}

/* Once t waits no more: the wake-ups sent to it that the host still holds are taken (a
 * signal from outside met on the way is queued for t). */
static void drain_wakeups(struct thread *t, uint64_t set)
{
	static const struct timespec zero;
	struct linux_siginfo hi;
	while (__atomic_load_n(&t->wakeups, __ATOMIC_SEQ_CST)) {
		long r = host_wait(set, &hi, &zero);
		if (r <= 0) {
			__atomic_store_n(&t->wakeups, 0, __ATOMIC_SEQ_CST);
			break;
		}
		if (is_wakeup((const siginfo_t *)&hi)) {
			__atomic_sub_fetch(&t->wakeups, 1, __ATOMIC_SEQ_CST);
		} else {
			sig_lock();
			queue_taken_from_host(t, (int)r, &hi);
			sig_unlock();
		}
	}
}

/* One host wait for set (ts NULL: no timeout): a signal from outside (its number), 0 for a
 * wake-up from sfdemu or an interruption, -EAGAIN at the timeout. */
static long wait_host_once(struct thread *t, uint64_t set, struct linux_siginfo *info,
			   const struct timespec *ts)
{
	long r = host_wait(set, info, ts);
	if (r > 0 && is_wakeup((const siginfo_t *)info)) {
		if (__atomic_load_n(&t->wakeups, __ATOMIC_SEQ_CST))
			__atomic_sub_fetch(&t->wakeups, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	return r == -EAGAIN || r > 0 ? r : 0;
}

/* The host's pending set of the calling thread (SigPnd) or of the process (ShdPnd). */
static uint64_t host_pending_set(bool shared)
{
	char buf[4096];
	const char *p = status_field(buf, sizeof buf, "/proc/thread-self/status",
				     shared ? "\nShdPnd:" : "\nSigPnd:");
	uint64_t v = 0;
	for (; p && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')); p++)
		v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	return v;
}

/* A standard signal taken from one of sfdemu's pending sets while the host holds one in the
 * same set (sent from outside while it was blocked): the two would have been one. */
static void drop_host_instance(struct thread *t, int sig, bool shared)
{
	static const struct timespec zero;
	struct linux_siginfo hi;
	uint64_t host_pending = 0;
	if (sig >= SIGQ_RTMIN || !(MIRRORED & SIGBIT(sig)))
		return;
	host_syscall2(SYS_rt_sigpending, &host_pending, sizeof host_pending);
	if (!(host_pending & SIGBIT(sig)) || !(host_pending_set(shared) & SIGBIT(sig)))
		return;
	if (host_wait(SIGBIT(sig), &hi, &zero) > 0 && is_wakeup((const siginfo_t *)&hi) &&
	    __atomic_load_n(&t->wakeups, __ATOMIC_SEQ_CST))
		__atomic_sub_fetch(&t->wakeups, 1, __ATOMIC_SEQ_CST);
}

/* do_sigtimedwait(): the first signal of set pending for t (sfdemu's queues, then the host's),
 * else sleep until one comes, an unblocked signal interrupts (-EINTR) or the deadline passes
 * (-EAGAIN). */
static long wait_for(struct thread *t, uint64_t set, const struct timespec *deadline,
		     struct linux_siginfo *info)
{
	static const struct timespec zero;
	sig_host_setmask(t->sigmask | set);
	set_waiting(t, set);
	long r;
	for (;;) {
		bool shared;
		if ((r = dequeue_from(t, set, info, &shared))) {
			drop_host_instance(t, (int)r, shared);
			break;
		}
		if ((r = wait_host_once(t, set, info, &zero)) > 0)
			break;
		if (r == 0)
			continue;   /* woken: the signal is in the queues now */
		if (sig_pending_unblocked(t)) {
			r = -EINTR;
			break;
		}
		struct timespec left;
		if (deadline && !remaining(deadline, &left)) {
			r = -EAGAIN;
			break;
		}
		if ((r = wait_host_once(t, set, info, deadline ? &left : NULL)) > 0)
			break;
	}
	set_waiting(t, 0);
	drain_wakeups(t, set);
	sig_host_setmask(t->sigmask);
	return r;
}

long sys_rt_sigtimedwait(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t set;
	struct timespec ts, deadline;
	if ((uint64_t)a3 != sizeof(linux_sigset_t))
		return -EINVAL;
	if (guest_read(&set, (uint64_t)a0, sizeof set) < 0)
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (a2) {
		if (guest_read(&ts, (uint64_t)a2, sizeof ts) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || (uint64_t)ts.tv_nsec >= 1000000000)
			return -EINVAL;
		host_syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += ts.tv_sec;
		deadline.tv_nsec += ts.tv_nsec;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_nsec -= 1000000000;
			deadline.tv_sec++;
		}
	}
	struct linux_siginfo info;
	long sig = wait_for(t, set, a2 ? &deadline : NULL, &info);
	if (sig > 0 && a1 && guest_write((uint64_t)a1, &info, sizeof info) < 0)
		return -EFAULT;
	return sig;
}

/* do_sigpending(): (the thread's | the process's) & blocked, sfdemu's and the host's. */
long sys_rt_sigpending(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if ((uint64_t)a1 > sizeof(linux_sigset_t))
		return -EINVAL;
	uint64_t host_pending = 0;
	host_syscall2(SYS_rt_sigpending, &host_pending, sizeof host_pending);
	uint64_t mine = __atomic_load_n(&t->pending.bits, __ATOMIC_SEQ_CST) |
			__atomic_load_n(&shared_of(t)->bits, __ATOMIC_SEQ_CST);
	uint64_t set = (mine | (host_pending & MIRRORED)) & t->sigmask;
	return guest_write((uint64_t)a0, &set, (size_t)a1);
}
