/* --strace printing of the structures whose fields strace shows: struct sigaction, stack_t,
 * struct utsname. Read with guest_read; an unreadable one prints as its pointer. */
#include <string.h>
#include <sys/utsname.h>
#include "strace.h"

static const struct sys_name names_sa_flags[] = {
	{ LINUX_SA_NOCLDSTOP, "SA_NOCLDSTOP" }, { LINUX_SA_NOCLDWAIT, "SA_NOCLDWAIT" },
	{ LINUX_SA_SIGINFO, "SA_SIGINFO" }, { LINUX_SA_EXPOSE_TAGBITS, "SA_EXPOSE_TAGBITS" },
	{ LINUX_SA_RESTORER, "SA_RESTORER" }, { LINUX_SA_ONSTACK, "SA_ONSTACK" },
	{ LINUX_SA_RESTART, "SA_RESTART" }, { LINUX_SA_NODEFER, "SA_NODEFER" },
	{ LINUX_SA_RESETHAND, "SA_RESETHAND" }, SYS_NAMES_END,
};

static const struct sys_name names_ss_flags[] = {
	{ LINUX_SS_ONSTACK, "SS_ONSTACK" }, { LINUX_SS_DISABLE, "SS_DISABLE" },
	{ LINUX_SS_AUTODISARM, "SS_AUTODISARM" }, SYS_NAMES_END,
};

void put_sigaction(struct line *l, uint64_t addr)
{
	struct linux_sigaction sa;
	if (!addr || guest_read(&sa, addr, sizeof sa) < 0) {
		put_ptr(l, addr);
		return;
	}
	put(l, "{sa_handler=");
	if (sa.handler == LINUX_SIG_DFL)
		put(l, "SIG_DFL");
	else if (sa.handler == LINUX_SIG_IGN)
		put(l, "SIG_IGN");
	else
		putf(l, "%#llx", (unsigned long long)sa.handler);
	put(l, ", sa_mask=");
	put_sigmask(l, sa.mask);
	put(l, ", sa_flags=");
	put_flags(l, names_sa_flags, sa.flags);
	if (sa.flags & LINUX_SA_RESTORER)
		putf(l, ", sa_restorer=%#llx", (unsigned long long)sa.restorer);
	put(l, "}");
}

void put_stack(struct line *l, uint64_t addr)
{
	struct linux_stack ss;
	if (!addr || guest_read(&ss, addr, sizeof ss) < 0) {
		put_ptr(l, addr);
		return;
	}
	put(l, "{ss_sp=");
	put_ptr(l, ss.ss_sp);
	put(l, ", ss_flags=");
	put_flags(l, names_ss_flags, (uint32_t)ss.ss_flags);
	putf(l, ", ss_size=%llu}", (unsigned long long)ss.ss_size);
}

void put_utsname(struct line *l, uint64_t addr)
{
	struct utsname u;
	if (guest_read(&u, addr, sizeof u) < 0) {
		put_ptr(l, addr);
		return;
	}
	put(l, "{sysname=");
	put_quoted(l, (const unsigned char *)u.sysname, strnlen(u.sysname, sizeof u.sysname), false);
	put(l, ", nodename=");
	put_quoted(l, (const unsigned char *)u.nodename, strnlen(u.nodename, sizeof u.nodename),
		   false);
	put(l, ", ...}");
}
