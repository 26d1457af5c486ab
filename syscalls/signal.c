/* Guest signals: dispositions (the_process.sigactions), the blocked mask (thread->sigmask),
 * sigaltstack, running guest handlers (sigframe.c), and dying of a signal. The pending sets
 * and the senders are sigsend.c's.
 *
 * Signals from outside (a terminal, another process, a closed pipe, a child's exit) arrive as
 * host signals, so the guest's choices are mirrored on the host for every signal sfdemu does
 * not keep for itself: SIG_IGN and SIG_DFL as they are (a write to a closed pipe then gives
 * EPIPE, or kills the process, as natively), a guest handler as a host handler that queues
 * the signal, with its siginfo, for the thread it interrupted (which runs the guest's handler
 * at its next block boundary or syscall exit), and the blocked mask as the host mask (a
 * blocked signal from outside stays pending in the host kernel). sfdemu keeps SIGSEGV,
 * SIGBUS, SIGFPE, SIGILL and SIGTRAP (its guest fault handling, emu/fault.c).
 * Signals 32 and 33 (what the guest's libc uses for thread cancellation and set*id across
 * threads) are mirrored like the rest: sfdemu's own libc never needs them (it cancels no
 * thread, and the guest's set*id calls are its own).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "signal.h"
#include "sys_impl.h"

enum sig_dfl { DFL_TERM, DFL_CORE, DFL_IGN, DFL_STOP, DFL_CONT };

static enum sig_dfl sig_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return DFL_IGN;
	case SIGCONT:
		return DFL_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return DFL_STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return DFL_CORE;
	default:
		return DFL_TERM;
	}
}

static long host_tid(void) { return host_syscall0(SYS_gettid); }
static long host_pid(void) { return host_syscall0(SYS_getpid); }

void sig_host_setmask(uint64_t mask)
{
	mask &= MIRRORED;
	host_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof mask);
}

void sig_set_mask(struct thread *t, uint64_t mask)
{
	t->sigmask = mask & ~UNBLOCKABLE;
	sig_host_setmask(t->sigmask);
}

_Noreturn void sig_die(int signo)
{
	if (strace_on()) {
		char msg[64];
		const char *name = sys_signal_name(signo);
		int n = name ? snprintf(msg, sizeof msg, "+++ killed by %s +++\n", name)
			     : snprintf(msg, sizeof msg, "+++ killed by signal %d +++\n", signo);
		strace_write(msg, (size_t)n);
	}
	struct linux_sigaction dfl = { .handler = LINUX_SIG_DFL };
	host_syscall4(SYS_rt_sigaction, signo, &dfl, NULL, sizeof(linux_sigset_t));
	uint64_t m = SIGBIT(signo);
	host_syscall4(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, sizeof m);
	host_syscall3(SYS_tgkill, host_pid(), host_tid(), signo);
	for (;;)
		host_syscall1(SYS_exit_group, 128 + signo);
}

/* Stop the process by sig itself, as the kernel would (the parent's waitpid sees that
 * signal), and carry on when continued. */
static void sig_stop(int sig)
{
	struct linux_sigaction dfl = { .handler = LINUX_SIG_DFL }, old;
	uint64_t m = SIGBIT(sig), old_mask;
	host_syscall4(SYS_rt_sigaction, sig, &dfl, &old, sizeof(linux_sigset_t));
	host_syscall4(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, &old_mask, sizeof m);
	host_syscall3(SYS_tgkill, host_pid(), host_tid(), sig);
	host_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, &old_mask, NULL, sizeof m);
	host_syscall4(SYS_rt_sigaction, sig, &old, NULL, sizeof(linux_sigset_t));
}

/* The default action, for a signal that is being delivered now. */
static void sig_default(int sig)
{
	switch (sig_default_action(sig)) {
	case DFL_IGN:
	case DFL_CONT:
		return;
	case DFL_STOP:
		sig_stop(sig);
		return;
	default:
		sig_die(sig);
	}
}

static void mirror_disposition(int sig);

/* The calls signal(7) says are never restarted, SA_RESTART or not: they give EINTR. */
static bool never_restarted(long nr)
{
	switch (nr) {
	case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6:
	case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_epoll_pwait2:
	case SYS_msgrcv: case SYS_msgsnd: case SYS_semop: case SYS_semtimedop:
	case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_io_getevents:
	case SYS_io_pgetevents: case SYS_pause: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait:
		return true;
	default:
		return false;
	}
}

/* A host syscall came back with EINTR because a signal arrived (the host actions of guest
 * handlers have no SA_RESTART, so the host never restarts behind the guest's back). With an
 * SA_RESTART handler, the call runs again once the handler returns: the frame saves the
 * syscall instruction and the call number, as the kernel's -ERESTARTSYS handling does. */
static void restart_syscall(struct thread *t, const struct linux_sigaction *k)
{
	long nr = t->interrupted_nr - 1;
	if (!(k->flags & LINUX_SA_RESTART) || never_restarted(nr))
		return;
	t->cpu.r[R_RAX] = (uint64_t)nr;
	t->cpu.rip -= 2;   /* syscall is 0f 05 */
}

/* Deliver sig now (it is not blocked): its default action, or the guest's handler with the
 * handler's mask added and SA_RESETHAND applied. */
static void sig_act(struct thread *t, int sig, const struct linux_siginfo *info, bool fault)
{
	if (strace_on()) {
		char msg[160];
		const char *name = sys_signal_name(sig);
		int code = info->si_code;
		int n = code != SI_USER && code != SI_TKILL
			? snprintf(msg, sizeof msg, "--- %s {si_signo=%s, ...} ---\n", name, name)
			: snprintf(msg, sizeof msg, "--- %s {si_signo=%s, si_code=%s, si_pid=%d, "
				   "si_uid=%u} ---\n", name, name, code ? "SI_TKILL" : "SI_USER",
				   info->u.kill.pid, info->u.kill.uid);
		strace_write(msg, (size_t)n);
	}
	struct linux_sigaction *k = &the_process.sigactions[sig];
	uint64_t h = k->handler;
	if (sig == SIGKILL || sig == SIGSTOP)
		h = LINUX_SIG_DFL;
	if (h == LINUX_SIG_IGN)
		return;
	if (h == LINUX_SIG_DFL) {
		sig_default(sig);
		return;
	}
	if (t->interrupted_nr) {
		restart_syscall(t, k);
		t->interrupted_nr = 0;
	}
	uint64_t saved = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	if (!sig_setup_frame(t, sig, info, k, saved, fault))
		sig_die(SIGSEGV);
	t->restore_sigmask = false;
	uint64_t add = k->mask | ((k->flags & LINUX_SA_NODEFER) ? 0 : SIGBIT(sig));
	if (k->flags & LINUX_SA_RESETHAND) {
		k->handler = LINUX_SIG_DFL;
		mirror_disposition(sig);
	}
	sig_set_mask(t, t->sigmask | add);
}

/* A host signal for which the guest has a handler: queued for the thread it interrupted,
 * which acts on it at its next block boundary (or when its syscall returns). The host action
 * blocks every mirrored signal while this runs, so it never interrupts itself, and sfdemu
 * holds the queues' lock only with them blocked. */
static void host_on_guest_handler(int sig, siginfo_t *si, void *uc)
{
	struct thread *t = current;
	if (!t)
		return;
	sig_queue_from_host(t, sig, si, uc);
	uint32_t none = EXIT_NONE;
	__atomic_compare_exchange_n(&t->cpu.exit_reason, &none, EXIT_SIGNAL, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* The host action is set with the raw syscall: the host libc refuses 32 and 33 (its own
 * internal signals). The return trampoline is the host libc's, as it set it for SIGSEGV.
 * Never SA_RESTART on the host: an interrupted call comes back to sfdemu, which restarts it
 * for the guest after its handler if the guest asked (restart_syscall). */
static void mirror_disposition(int sig)
{
	if (!(MIRRORED & SIGBIT(sig)))
		return;
	static uint64_t restorer;
	if (!restorer) {
		struct linux_sigaction segv;
		if (host_syscall4(SYS_rt_sigaction, SIGSEGV, NULL, &segv, sizeof(linux_sigset_t)) == 0)
			restorer = segv.restorer;
	}
	const struct linux_sigaction *g = &the_process.sigactions[sig];
	struct linux_sigaction k = {
		.flags = LINUX_SA_RESTORER | (g->flags & (LINUX_SA_NOCLDSTOP | LINUX_SA_NOCLDWAIT)),
		.restorer = restorer,
		.mask = MIRRORED,
	};
	if (g->handler == LINUX_SIG_DFL || g->handler == LINUX_SIG_IGN) {
		k.handler = g->handler;
	} else {
		k.handler = (uint64_t)(uintptr_t)host_on_guest_handler;
		k.flags |= LINUX_SA_SIGINFO;
	}
	host_syscall4(SYS_rt_sigaction, sig, &k, NULL, sizeof(linux_sigset_t));
}

void sig_host_thread_created(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	/* The host libc installs its own set*id handler on its first thread (signal 33 is
	 * internal to it): the guest's disposition goes back on. */
	mirror_disposition(32);
	mirror_disposition(33);
}

bool sig_ignored(int sig)
{
	uint64_t h = the_process.sigactions[sig].handler;
	return h == LINUX_SIG_IGN || (h == LINUX_SIG_DFL && (KERNEL_IGNORE & SIGBIT(sig)));
}

void sig_deliver_pending(struct thread *t)
{
	struct linux_siginfo info;
	int sig;
	while (sig_pending_unblocked(t) && (sig = sig_dequeue(t, ~t->sigmask, &info)))
		sig_act(t, sig, &info, false);
	/* sigsuspend's mask goes once no handler has taken it over. */
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		sig_set_mask(t, t->saved_sigmask);
	}
}

void sig_deliver_fault(struct thread *t)
{
	const struct cpu_fault *f = &t->cpu.fault;
	int sig = f->signo;
	/* As force_sig_fault(): blocked or ignored, it takes its default action. */
	if (the_process.sigactions[sig].handler <= LINUX_SIG_IGN || (t->sigmask & SIGBIT(sig)))
		sig_die(sig);
	struct linux_siginfo info = { .si_signo = sig, .si_code = f->code, .u.addr = f->addr };
	sig_act(t, sig, &info, true);
}

void sig_init_thread(struct thread *t)
{
	for (int sig = 1; sig <= LINUX_NSIG; sig++) {
		struct linux_sigaction old;
		if (UNBLOCKABLE & SIGBIT(sig))
			continue;
		if (host_syscall4(SYS_rt_sigaction, sig, NULL, &old, sizeof(linux_sigset_t)) == 0 &&
		    old.handler == LINUX_SIG_IGN)
			the_process.sigactions[sig].handler = LINUX_SIG_IGN;
		else if ((MIRRORED & SIGBIT(sig)) && old.handler > LINUX_SIG_IGN)
			mirror_disposition(sig);   /* a handler of sfdemu's libc: the guest's is SIG_DFL */
	}
	uint64_t host_mask = 0;
	host_syscall4(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &host_mask, sizeof host_mask);
	t->sigmask |= host_mask & ~UNBLOCKABLE;
	sig_host_setmask(t->sigmask);
}

long sys_rt_sigaction(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	int sig = (int)a0;
	struct linux_sigaction act, old;
	if ((uint64_t)a3 != sizeof(linux_sigset_t))
		return -EINVAL;
	if (a1 && guest_read(&act, (uint64_t)a1, sizeof act) < 0)
		return -EFAULT;
	if (sig < 1 || sig > LINUX_NSIG || (a1 && (UNBLOCKABLE & SIGBIT(sig))))
		return -EINVAL;
	struct linux_sigaction *k = &the_process.sigactions[sig];
	old = *k;
	if (a1) {
		act.flags &= LINUX_SA_UAPI_FLAGS;
		act.mask &= ~UNBLOCKABLE;
		*k = act;
		if (sig_ignored(sig))
			sig_flush_all(SIGBIT(sig));
		mirror_disposition(sig);
	}
	if (a2 && guest_write((uint64_t)a2, &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t old = t->sigmask, set;
	if ((uint64_t)a3 != sizeof(linux_sigset_t))
		return -EINVAL;
	if (a1) {
		if (guest_read(&set, (uint64_t)a1, sizeof set) < 0)
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		switch (a0) {
		case SIG_BLOCK: t->sigmask |= set; break;
		case SIG_UNBLOCK: t->sigmask &= ~set; break;
		case SIG_SETMASK: t->sigmask = set; break;
		default: return -EINVAL;
		}
		sig_host_setmask(t->sigmask);
	}
	if (a2 && guest_write((uint64_t)a2, &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

/* Wait with the given mask until a signal it lets through is pending: one already pending,
 * or one from outside (the host waits with the same mask; the host handler makes it
 * pending). The handler runs with the given mask in force and the old one saved in its frame,
 * as the kernel's restore-sigmask does: the syscall exit (sys_dispatch) delivers, and puts
 * the old mask back if no handler took it (sig_deliver_pending). */
long sys_rt_sigsuspend(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t mask;
	if ((uint64_t)a1 != sizeof(linux_sigset_t))
		return -EINVAL;
	if (guest_read(&mask, (uint64_t)a0, sizeof mask) < 0)
		return -EFAULT;
	/* Every mirrored signal blocked on the host first: one that comes after the check
	 * below stays pending there until the host sigsuspend lets it in. */
	sig_host_setmask(~0ull);
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	t->sigmask = mask & ~UNBLOCKABLE;
	while (!sig_pending_unblocked(t)) {
		uint64_t host_mask = t->sigmask & MIRRORED;
		host_syscall2(SYS_rt_sigsuspend, &host_mask, sizeof host_mask);
	}
	return -EINTR;
}

static bool on_sig_stack(const struct linux_stack *ss, uint64_t sp)
{
	if ((uint32_t)ss->ss_flags & LINUX_SS_AUTODISARM)
		return false;
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* kernel/signal.c do_sigaltstack(), with the guest's rsp as the current stack pointer. */
long sys_sigaltstack(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct linux_stack ss, old = { 0 }, *cur = &t->sigaltstack;
	uint64_t sp = t->cpu.r[R_RSP];
	if (a0 && guest_read(&ss, (uint64_t)a0, sizeof ss) < 0)
		return -EFAULT;
	old.ss_sp = cur->ss_sp;
	old.ss_size = cur->ss_size;
	old.ss_flags = (int32_t)(((uint32_t)cur->ss_flags & LINUX_SS_AUTODISARM) |
				 (!cur->ss_size ? LINUX_SS_DISABLE
				  : on_sig_stack(cur, sp) ? LINUX_SS_ONSTACK : 0));
	if (a0) {
		if (on_sig_stack(cur, sp))
			return -EPERM;
		uint32_t mode = (uint32_t)ss.ss_flags & ~LINUX_SS_AUTODISARM;
		if (mode != LINUX_SS_DISABLE && mode != LINUX_SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (cur->ss_sp != ss.ss_sp || cur->ss_size != ss.ss_size ||
		    cur->ss_flags != ss.ss_flags) {
			if (mode == LINUX_SS_DISABLE) {
				ss.ss_size = 0;
				ss.ss_sp = 0;
			} else if (ss.ss_size < LINUX_MINSIGSTKSZ) {
				return -ENOMEM;
			}
			cur->ss_sp = ss.ss_sp;
			cur->ss_size = ss.ss_size;
			cur->ss_flags = ss.ss_flags;
		}
	}
	if (a1 && guest_write((uint64_t)a1, &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

