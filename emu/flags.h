/* Lazy RFLAGS. A flag-setting op records what it did (cpu->fl_kind and operands); the
 * arithmetic flags are computed only when something reads them. */
#ifndef SFDEMU_FLAGS_H
#define SFDEMU_FLAGS_H

#include <stdbool.h>
#include "cpu.h"

/* The full RFLAGS value the guest would see (pushfq, signal frames). */
uint64_t flags_get(struct cpu *cpu);
/* Set every RFLAGS bit the guest may change (popfq, sigreturn, an op that sets flags
 * eagerly: comisd, fcomi, sahf). */
void flags_set(struct cpu *cpu, uint64_t rflags);
/* Evaluate x86 condition code cc (0..15, as in jcc/setcc/cmovcc: o, no, b, ae, e, ne, be, a,
 * s, ns, p, np, l, ge, le, g). */
bool flags_cond(struct cpu *cpu, unsigned cc);

#endif
