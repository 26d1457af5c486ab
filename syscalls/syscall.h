/* The guest's `syscall` instruction lands here, from the run loop only. */
#ifndef SFDEMU_SYSCALL_H
#define SFDEMU_SYSCALL_H

struct thread;

/* Run the syscall described by the thread's registers (rax, rdi, rsi, rdx, r10, r8, r9) and
 * put the result in rax. Does not return when the guest exits. */
void sys_dispatch(struct thread *t);

#endif
