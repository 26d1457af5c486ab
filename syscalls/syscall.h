/* The guest's `syscall` instruction lands here, from the run loop only. */
#ifndef SFDEMU_SYSCALL_H
#define SFDEMU_SYSCALL_H

struct thread;

/* Run the syscall described by the thread's registers (rax, rdi, rsi, rdx, r10, r8, r9) and
 * put the result in rax. Does not return when the guest exits. */
void sys_dispatch(struct thread *t);

/* --strace (strace.c): the guest made a thread or a process, so from now on each trace line
 * names its thread ("[pid N] ", as strace -f); and whether lines do so now. */
void strace_new_tracee(void);
_Bool strace_names_threads(void);

#endif
