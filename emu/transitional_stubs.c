/* Weak fallbacks so the tree links while families land; each is replaced by its real one. */
#include <stdlib.h>
#include <signal.h>
#include "decode_internal.h"
#include "flags.h"
#include "process.h"
#include "../syscalls/syscall.h"
#include "../syscalls/signal.h"
#include "../loader/loader.h"
__attribute__((weak)) bool lower_int(const struct dinsn *d, struct op *op) { return false; }
__attribute__((weak)) bool lower_intx(const struct dinsn *d, struct op *op) { return false; }
__attribute__((weak)) bool lower_sse(const struct dinsn *d, struct op *op) { return false; }
__attribute__((weak)) bool lower_x87(const struct dinsn *d, struct op *op) { return false; }
__attribute__((weak)) uint64_t flags_get(struct cpu *cpu) { return cpu->rflags; }
__attribute__((weak)) void sys_dispatch(struct thread *t) { abort(); }
__attribute__((weak)) void sig_die(int signo) { signal(signo, SIG_DFL); raise(signo); abort(); }
__attribute__((weak)) int ldr_load(struct process *proc, const char *path, char *const argv[],
	char *const envp[], struct ldr_image *out) { return 126; }
