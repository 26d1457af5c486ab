/* The syscall table, built from syscalls.def, and sys_dispatch(): look the number up, run the
 * handler or pass the registers to the host kernel, trace, and put the result in rax. */
#include <errno.h>
#include "syscall.h"
#include "signal.h"
#include "sys_impl.h"
#include "../emu/flags.h"
#include "../emu/block.h"

#define SC_FN_PASS(name) NULL
#define SC_FN_EMU(name)  sys_##name
#define SC_FN_TODO(name) NULL
#define SC_TODO_PASS false
#define SC_TODO_EMU  false
#define SC_TODO_TODO true

const struct sys_entry sys_table[SYS_TABLE_SIZE] = {
#define SC(nr, nm, how, ret_kind, ...)                                          \
	[nr] = { .name = #nm, .fn = SC_FN_##how(nm), .todo = SC_TODO_##how, \
		 .ret = ret_kind, .args = { __VA_ARGS__ } },
#include "syscalls.def"
#undef SC
};

/* Once, before the first guest syscall: state that mirrors the host's at exec time. */
static void sys_first_call(struct thread *t)
{
	static bool done;
	if (done)
		return;
	done = true;
	strace_init();
	sig_init_thread(t);
}

static long sys_unknown(long nr, const struct sys_entry *e)
{
	if (e)
		strace_notice("%s is not supported yet (-ENOSYS)", e->name);
	else
		strace_notice("unknown syscall %ld (-ENOSYS)", nr);
	return -ENOSYS;
}

void sys_dispatch(struct thread *t)
{
	struct cpu *c = &t->cpu;
	long nr = (long)c->r[R_RAX];
	long a[SYS_MAX_ARGS] = { (long)c->r[R_RDI], (long)c->r[R_RSI], (long)c->r[R_RDX],
				 (long)c->r[R_R10], (long)c->r[R_R8],  (long)c->r[R_R9] };
	sys_first_call(t);

	/* As the kernel's syscall entry: rcx is the return address, r11 the flags. Set before the
	 * handler, so a handler that loads a whole register set (sigreturn) has the last word. */
	c->r[R_RCX] = c->rip;
	c->r[R_R11] = flags_get_fast(c);

	const struct sys_entry *e = NULL;
	if (nr >= 0 && nr < SYS_TABLE_SIZE && sys_table[nr].name)
		e = &sys_table[nr];
	/* Tracing is off on the hot path: test it here rather than call into strace.c twice. */
	bool trace = the_process.opt.strace;
	long ret;
	if (!e) {
		ret = sys_unknown(nr, e);
	} else if (e->todo) {
		ret = sys_unknown(nr, e);
		strace_call(nr, a, ret);
	} else {
		if (unlikely(trace) && e->ret == K_NORET)
			strace_call(nr, a, 0);
		if (e->fn)
			ret = e->fn(t, a[0], a[1], a[2], a[3], a[4], a[5]);
		else
			ret = host_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		/* The kernel cannot write into a code page kept read-only for self-modifying
		 * code detection: make such pages writable and try once more. */
		if (ret == -EFAULT && !e->fn && blk_unprotect_all())
			ret = host_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (unlikely(trace) && e->ret != K_NORET)
			strace_call(nr, a, ret);
	}
	c->r[R_RAX] = (uint64_t)ret;
	/* A host call a signal interrupted: its handler may restart it (SA_RESTART). */
	if (ret == -EINTR && e && !e->fn)
		t->interrupted_nr = nr + 1;
	if (sig_pending_unblocked(t) || t->restore_sigmask)
		sig_deliver_pending(t);
	t->interrupted_nr = 0;
}
