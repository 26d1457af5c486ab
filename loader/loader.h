/* The ELF loader: validate, map, and build the initial stack as the kernel does. */
#ifndef SFDEMU_LOADER_H
#define SFDEMU_LOADER_H

#include <stdint.h>

struct process;

struct ldr_image {
	uint64_t entry;        /* where the guest starts: the interpreter's entry, if any */
	uint64_t stack;        /* initial rsp, pointing at argc */
	uint64_t brk;          /* first byte after the bss, page aligned: the guest brk start */
};

/* Load `path` into the process: validate it (and its PT_INTERP), map it, build the stack with
 * argv and envp. On failure prints one line "sfdemu: PATH: problem" to stderr and returns the
 * exit status a shell would give (126, or 127 when the file does not exist); 0 on success. */
int ldr_load(struct process *proc, const char *path, char *const argv[], char *const envp[],
	     struct ldr_image *out);

#endif
