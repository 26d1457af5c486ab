/* Host thunks: known libc leaf functions of the guest (memcmp, strcmp, memcpy, ...) run as
 * host code with exactly their results (emu/thunk.c). */
#ifndef SFDEMU_THUNK_H
#define SFDEMU_THUNK_H

#include <stdint.h>
#include "op.h"

/* The thunk op for a block starting at guest address pc, or NULL: pc is the entry of a libc
 * function whose code in guest memory is one the thunks know byte for byte. Called by the
 * decoder with mm_lock held (it reads the guest's code). The op goes first in the block; when
 * it declines a call (arguments whose result the host code would not give alike) it goes on
 * with the guest's own code after it. */
op_fn thunk_at(uint64_t pc);

#endif
