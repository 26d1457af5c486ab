/* The emulator state Linux keeps across execve, carried to the new sfdemu. The host kernel
 * keeps what it knows (open fds, the host blocked mask and SIG_IGN dispositions of the
 * signals sfdemu mirrors on the host); this channel carries the guest's own view, including
 * the signals sfdemu keeps for itself (SIGSEGV, SIGBUS, ...), which the host cannot hold for
 * the guest.
 *
 * Carried: the blocked mask, the ignored signals, the signals pending for the thread and for
 * the process (each queued siginfo in order, then the pending sets, which also hold signals
 * pending without a siginfo). The other threads' own signals go with them, as in de_thread().
 *
 * The channel is a memfd without close-on-exec at a high fd number, named to the new sfdemu
 * by --exec-state FD; it reads the records and closes the fd before the guest runs, so the
 * guest never sees it. Format: a header { magic, version }, then records { tag, length,
 * data } (enum exec_state_tag); a reader skips tags it does not know.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "exec.h"
#include "signal.h"
#include "sys_impl.h"

#define STATE_MAGIC 0x58445346u   /* "FSDX" */
#define STATE_VERSION 1u

struct rec_head {
	uint32_t tag, len;
};

static int put(int fd, uint32_t tag, const void *data, uint32_t len)
{
	struct rec_head h = { tag, len };
	if (write(fd, &h, sizeof h) != (ssize_t)sizeof h || write(fd, data, len) != (ssize_t)len)
		return -EIO;
	return 0;
}

/* Where sfdemu keeps its own fds: high, out of the guest's way. */
static int high_fd_floor(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 200)
		return (int)rl.rlim_cur - 60;
	return 100;
}

int exec_dup_high(int fd)
{
	int nfd = fcntl(fd, F_DUPFD, high_fd_floor());   /* without close-on-exec */
	return nfd < 0 ? -errno : nfd;
}

struct put_ctx {
	int fd;
	uint32_t tag;
	int err;
};

static void put_info(const struct linux_siginfo *info, void *arg)
{
	struct put_ctx *c = arg;
	if (!c->err)
		c->err = put(c->fd, c->tag, info, sizeof *info);
}

/* Pending signals stay pending across exec, each queued siginfo with them. */
static int put_pending(int fd, const struct thread *t)
{
	struct put_ctx c = { fd, EXEC_STATE_PENDING, 0 };
	const struct sigq *shared = t->vfork_child ? NULL : &the_process.shared_pending;
	sig_lock();
	sigq_each(&t->pending, put_info, &c);
	c.tag = EXEC_STATE_SHARED_PENDING;
	if (shared)
		sigq_each(shared, put_info, &c);
	uint64_t sets[2] = { t->pending.bits, shared ? shared->bits : 0 };
	sig_unlock();
	return c.err ? c.err : put(fd, EXEC_STATE_PENDING_SETS, sets, sizeof sets);
}

int exec_state_save(const struct thread *t, int close_fd)
{
	int mfd = (int)host_syscall2(SYS_memfd_create, "sfdemu-exec-state", MFD_CLOEXEC);
	if (mfd < 0)
		return mfd;
	int fd = exec_dup_high(mfd);
	close(mfd);
	if (fd < 0)
		return fd;
	uint64_t ignored = 0;
	for (int sig = 1; sig <= LINUX_NSIG; sig++)
		if (the_process.sigactions[sig].handler == LINUX_SIG_IGN)
			ignored |= SIGBIT(sig);
	uint32_t head[2] = { STATE_MAGIC, STATE_VERSION };
	int err = write(fd, head, sizeof head) == (ssize_t)sizeof head ? 0 : -EIO;
	if (!err)
		err = put(fd, EXEC_STATE_SIGMASK, &t->sigmask, sizeof t->sigmask);
	if (!err)
		err = put(fd, EXEC_STATE_IGNORED, &ignored, sizeof ignored);
	if (!err)
		err = put_pending(fd, t);
	if (!err && close_fd >= 0)
		err = put(fd, EXEC_STATE_CLOSE_FD, &close_fd, sizeof close_fd);
	if (err || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return err ? err : -EIO;
	}
	return fd;
}

static void apply(struct thread *t, uint32_t tag, const void *data, uint32_t len)
{
	uint64_t v;
	int32_t fd;
	switch (tag) {
	case EXEC_STATE_SIGMASK:
		if (len == sizeof v) {
			memcpy(&v, data, sizeof v);
			t->sigmask = v & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
		}
		break;
	case EXEC_STATE_IGNORED:
		if (len == sizeof v) {
			memcpy(&v, data, sizeof v);
			for (int sig = 1; sig <= LINUX_NSIG; sig++)
				if ((v & SIGBIT(sig)) && sig != SIGKILL && sig != SIGSTOP)
					the_process.sigactions[sig].handler = LINUX_SIG_IGN;
		}
		break;
	case EXEC_STATE_PENDING:
	case EXEC_STATE_SHARED_PENDING: {
		struct linux_siginfo si;
		const struct sigq_limit force = { .force = true };
		if (len == sizeof si) {
			memcpy(&si, data, sizeof si);
			if (si.si_signo >= 1 && si.si_signo <= LINUX_NSIG)
				sigq_send(tag == EXEC_STATE_PENDING ? &t->pending
					  : &the_process.shared_pending, si.si_signo, &si, &force);
		}
		break;
	}
	case EXEC_STATE_PENDING_SETS: {
		uint64_t sets[2];
		if (len == sizeof sets) {
			memcpy(sets, data, sizeof sets);
			t->pending.bits |= sets[0];
			the_process.shared_pending.bits |= sets[1];
		}
		break;
	}
	case EXEC_STATE_CLOSE_FD:
		if (len == sizeof fd) {
			memcpy(&fd, data, sizeof fd);
			close(fd);
		}
		break;
	default:
		break;
	}
}

void exec_state_load(int fd, struct thread *t)
{
	uint32_t head[2];
	if (read(fd, head, sizeof head) == (ssize_t)sizeof head && head[0] == STATE_MAGIC) {
		struct rec_head h;
		while (read(fd, &h, sizeof h) == (ssize_t)sizeof h && h.len <= (1u << 24)) {
			void *data = malloc(h.len ? h.len : 1);
			if (!data || read(fd, data, h.len) != (ssize_t)h.len) {
				free(data);
				break;
			}
			apply(t, h.tag, data, h.len);
			free(data);
		}
	}
	close(fd);
}
