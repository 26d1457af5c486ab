/* What the files of syscalls/ share: the handler type and prototypes (from syscalls.def), raw
 * host syscalls, guest memory copies, the /proc/self/exe rewrite and the --strace printer.
 * Nothing outside syscalls/ includes this header. */
#ifndef SFDEMU_SYS_IMPL_H
#define SFDEMU_SYS_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "../emu/process.h"
#include "linux_abi.h"

/* A handler gets the six argument registers (rdi, rsi, rdx, r10, r8, r9) and returns the
 * guest's result: a value, or -errno. */
typedef long sys_fn(struct thread *t, long a0, long a1, long a2, long a3, long a4, long a5);

/* How --strace prints an argument or a result. */
enum sys_kind {
	K_NONE,
	K_INT,       /* int, decimal */
	K_UINT,      /* unsigned long, decimal (sizes, counts) */
	K_LONG,      /* long, decimal (offsets) */
	K_HEX,       /* hexadecimal, 0 as 0 */
	K_PTR,       /* an address: NULL or hexadecimal */
	K_FD,        /* file descriptor */
	K_DIRFD,     /* a dirfd: AT_FDCWD or a number */
	K_PATH,      /* NUL-terminated string, whole */
	K_OPATH,     /* NUL-terminated string the call wrote (getcwd) */
	K_IBUF,      /* bytes the call reads, length in the next argument */
	K_OBUF,      /* bytes the call wrote, length in the result */
	K_IOV_IN,    /* iovec array the call reads, count in the next argument */
	K_IOV_OUT,   /* iovec array the call fills, bytes in the result */
	K_OFLAGS,    /* open flags with the access mode */
	K_FDFLAGS,   /* O_CLOEXEC, O_NONBLOCK... alone (pipe2, dup3) */
	K_MODE,      /* a mode, octal */
	K_OMODE,     /* open's mode: printed only when the flags before it create a file */
	K_PROT,      /* PROT_* */
	K_MAPFLAGS,  /* MAP_* */
	K_MREMAP,    /* MREMAP_* */
	K_MADV,      /* MADV_* */
	K_ATFLAGS,   /* AT_* */
	K_AMODE,     /* F_OK, R_OK|W_OK|X_OK */
	K_WHENCE,    /* SEEK_* */
	K_CLOCK,     /* CLOCK_* */
	K_SIG,       /* SIG* */
	K_SIGHOW,    /* SIG_BLOCK... */
	K_SIGSET,    /* pointer to an 8-byte kernel sigset */
	K_FCNTL,     /* F_* command */
	K_FCNTLARG,  /* fcntl's third argument: printed only when the command takes one */
	K_IOCTL,     /* an ioctl request */
	K_TIMESPEC,  /* pointer to a struct timespec the call reads */
	K_OTIMESPEC, /* pointer to a struct timespec the call fills */
	K_STAT,      /* pointer to a struct stat the call fills */
	K_FDPAIR,    /* int[2] the call fills (pipe) */
	K_RLIMIT,    /* RLIMIT_* */
	K_ARCHPRCTL, /* ARCH_* */
	K_RANDBUF,   /* bytes the call wrote, in hex (getrandom) */
	K_GRND,      /* GRND_* */
	K_PRCTL,     /* PR_* */
	K_DIRENTS,   /* a getdents buffer: the pointer and how many entries it got */
	K_ORLIMIT,   /* pointer to a struct rlimit the call fills */
	K_OSIGSET,   /* pointer to a kernel sigset the call fills */
	K_SIGACTION, /* pointer to a struct sigaction the call reads */
	K_OSIGACTION,/* pointer to a struct sigaction the call fills */
	K_STACK,     /* pointer to a stack_t the call reads */
	K_OSTACK,    /* pointer to a stack_t the call fills */
	K_UTSNAME,   /* pointer to a struct utsname the call fills */
	K_FCNTLRES,  /* result only: fcntl's, with F_GETFD/F_GETFL flags decoded */
	K_NORET,     /* result only: the call does not return ("= ?") */
};

#define SYS_MAX_ARGS 6

/* One row of syscalls.def. fn NULL: pass the registers to the host kernel as they are. */
struct sys_entry {
	const char *name;
	sys_fn *fn;
	bool todo;                       /* known, not supported yet: -ENOSYS and a notice */
	uint8_t ret;                     /* enum sys_kind of the result */
	uint8_t args[SYS_MAX_ARGS];      /* enum sys_kind of each argument, K_NONE after the last */
};

#define SYS_TABLE_SIZE 512
extern const struct sys_entry sys_table[SYS_TABLE_SIZE];

/* Handler prototypes: every EMU row names sys_<name>. */
#define SC(nr, name, how, ret, ...) sys_fn sys_##name;
#include "syscalls.def"
#undef SC

/* A raw host syscall: the result, or -errno. No libc wrapper, so errno is untouched. */
static inline long host_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define host_syscall0(nr) host_syscall(nr, 0, 0, 0, 0, 0, 0)
#define host_syscall1(nr, a) host_syscall(nr, (long)(a), 0, 0, 0, 0, 0)
#define host_syscall2(nr, a, b) host_syscall(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define host_syscall3(nr, a, b, c) host_syscall(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define host_syscall4(nr, a, b, c, d) \
	host_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* guest_mem.c: copies between guest memory and sfdemu's, checked against the memory map.
 * Each returns 0, or -EFAULT when part of the guest range is not mapped with the needed
 * protection (nothing is copied then). */
int guest_read(void *dst, uint64_t src, size_t n);
int guest_write(uint64_t dst, const void *src, size_t n);
/* Copy a NUL-terminated guest string of at most max bytes with its NUL: the length, -EFAULT,
 * or -ENAMETOOLONG when there is no NUL in the first max bytes. */
long guest_strncpy(char *dst, uint64_t src, size_t max);
/* Whether [addr, addr+len) is wholly in the guest memory map (any protection). */
bool guest_owned(uint64_t addr, uint64_t len);
static inline void *gptr(uint64_t addr) { return (void *)(uintptr_t)addr; }

/* fs.c: whether path names the running program (/proc/self/exe and its aliases). */
bool path_is_self_exe(const char *path);
/* root.c: the host path for a guest path: under -L DIR when it is absolute and DIR has it
 * (in a buffer of the calling thread's, valid until the next call), else path itself. */
const char *sys_root_path(const char *path);

/* strace.c. */
void strace_init(void);
bool strace_on(void);
/* Print the syscall line for nr with its arguments and result (K_NORET rows: before). */
void strace_call(long nr, const long a[SYS_MAX_ARGS], long ret);
/* A one-line "sfdemu: ..." notice, printed under --strace only. */
void strace_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write a whole message to the trace stream (which is stderr, kept when the guest closes 2). */
void strace_write(const char *s, size_t n);

/* strace_names.c: names for printing. NULL when unknown. */
const char *sys_errno_name(long err);
const char *sys_signal_name(int sig);

/* signal.c: set up guest signal state from the host's, once, before the first guest syscall. */
void sig_init_thread(struct thread *t);

#endif
