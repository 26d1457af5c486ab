/* execve: what main.c and the exec syscalls share. A guest execve re-executes sfdemu itself on
 * the new program, so the whole process tree stays emulated:
 *   sfdemu [--strace] [-L DIR] -0 ARGV0 --exec-state FD -- PROGRAM ARGS...
 * PROGRAM is the ELF file the kernel would end up loading (after #! scripts), ARGV0 the
 * guest's argv[0], FD an inherited memfd holding the emulator state Linux keeps across exec;
 * main.c reads and closes it before the guest runs. */
#ifndef SFDEMU_EXEC_H
#define SFDEMU_EXEC_H

#include <stdint.h>

struct thread;

/* What an execve loads: the program after #! resolution and its argument vector. */
struct exec_image {
	char *path;       /* the ELF file to load */
	char **argv;      /* argc strings, then NULL */
	int argc;
};

/* Remember sfdemu's own executable; first thing in main, before anything can change it. */
void exec_init(void);

/* Resolve `path` (the host path to open; `name` is how the guest named it) as the kernel's
 * execve does: the file must be a regular, executable file; a "#!" script is replaced by its
 * interpreter, with the interpreter's name, its optional argument and the script's name in
 * front of argv[1..], up to the kernel's nesting limit; an ELF file must be x86-64 and its
 * PT_INTERP must exist.
 * `img` holds the guest's argv on entry (argv[0] included) and the result on return; it owns
 * its strings. Returns 0 or -errno (ENOENT, EACCES, ENOEXEC, ELOOP, ...). */
int exec_resolve(const char *path, const char *name, struct exec_image *img);
/* Whether the file starts with "#!" (main.c resolves scripts named on its command line). */
int exec_is_script(const char *path);
void exec_image_free(struct exec_image *img);
/* Append a copy of s to img->argv; -ENOMEM on failure. */
int exec_image_push(struct exec_image *img, const char *s);

/* The state channel (exec_state.c). Save the calling thread's blocked mask and the
 * process's ignored signals (and whatever else Linux keeps across exec) into a new memfd
 * that survives exec, at a high fd number, with close_fd (if >= 0) to be closed once the
 * program is loaded; returns the fd or -errno. */
int exec_state_save(const struct thread *t, int close_fd);
/* A duplicate of fd that survives exec, at a high number out of the guest's way; or -errno. */
int exec_dup_high(int fd);
/* In the new sfdemu: read the state from fd into t and the process, close fd. Unknown
 * records are skipped, so an older reader ignores what a newer writer adds. */
void exec_state_load(int fd, struct thread *t);
/* Records of the channel: a tag and a length, then the data. */
enum exec_state_tag {
	EXEC_STATE_SIGMASK = 1,   /* uint64_t: the thread's blocked guest signals */
	EXEC_STATE_IGNORED = 2,   /* uint64_t: guest signals whose disposition is SIG_IGN */
	EXEC_STATE_CLOSE_FD = 3,  /* int32_t: an fd that carried the program (execveat) */
	EXEC_STATE_PENDING = 4,   /* struct linux_siginfo: a signal pending for the thread */
	EXEC_STATE_SHARED_PENDING = 5, /* struct linux_siginfo: a signal pending for the process */
	EXEC_STATE_PENDING_SETS = 6,   /* uint64_t[2]: the thread's and the process's pending sets */
};

#endif
