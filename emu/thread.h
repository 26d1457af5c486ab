/* Guest threads: the process's thread list, guest threads on host threads, thread exit, and
 * asking another thread to do something at its next block boundary. */
#ifndef SFDEMU_THREAD_H
#define SFDEMU_THREAD_H

#include <stdint.h>
#include "process.h"

/* Add t to the process's thread list (a vfork child is listed but not counted as one of the
 * process's threads). t starts caught up with the block cache. */
void thread_register(struct thread *t);
void thread_unregister(struct thread *t);
/* The first thread: the thread group leader, whose exit status is the process's. */
void thread_set_leader(struct thread *t);

/* A new thread that continues where `parent` is: a copy of its CPU (the host MXCSR read back
 * first), blocked mask and signal state, an empty jump cache, no sigaltstack, no robust list.
 * calloc'd; NULL without memory. */
struct thread *thread_clone(struct thread *parent);

/* Run t on a new host thread. It calls init(t, arg) there first, then runs the guest. Returns
 * t's tid once init has run, or -errno (t is then freed). t must be registered. */
long thread_spawn(struct thread *t, void (*init)(struct thread *t, void *arg), void *arg);

/* End the calling guest thread t (exit(2)): its robust futexes are released and its
 * clear_child_tid cleared and woken, as the kernel does. Returns only when t is the last
 * thread of its process (or a vfork child): with the status the process must exit with. */
int thread_exit(struct thread *t, int status);

/* Set `what` (KICK_*) in every listed thread but `except`, and make each leave its block
 * loop at the next block boundary. */
void thread_kick_all(uint32_t what, struct thread *except);
/* At a block boundary of t: act on the kicks it got. */
void thread_catch_up(struct thread *t);
/* The lowest block-cache epoch among the listed threads that are running blocks, `except`
 * left out (UINT64_MAX if none). */
uint64_t thread_min_blk_epoch(const struct thread *except);

/* Around a host fork: hold every process lock so the child gets consistent tables; in the
 * child, the forking thread is the only thread and the leader. */
void thread_fork_prepare(void);
void thread_fork_parent(void);
void thread_fork_child(struct thread *self);

#endif
