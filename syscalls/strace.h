/* Name tables for --strace (strace_names.c), used by the printer (strace.c). */
#ifndef SFDEMU_STRACE_H
#define SFDEMU_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sys_impl.h"

/* One named value. A flag table lists wider masks before the bits they contain. */
struct sys_name {
	uint64_t value;
	const char *name;
};

#define SYS_NAMES_END { 0, NULL }

extern const struct sys_name names_open_flags[];  /* without the access mode */
extern const struct sys_name names_prot[];
extern const struct sys_name names_map_flags[];   /* without the mapping type */
extern const struct sys_name names_map_type[];
extern const struct sys_name names_mremap[];
extern const struct sys_name names_madv[];
extern const struct sys_name names_at_flags[];
extern const struct sys_name names_amode[];
extern const struct sys_name names_whence[];
extern const struct sys_name names_clock[];
extern const struct sys_name names_sighow[];
extern const struct sys_name names_fcntl[];
extern const struct sys_name names_ioctl[];
extern const struct sys_name names_rlimit[];
extern const struct sys_name names_arch_prctl[];
extern const struct sys_name names_grnd[];
extern const struct sys_name names_prctl[];

/* The name of value in an enum table, or NULL. */
const char *sys_name_of(const struct sys_name *t, uint64_t value);

/* A trace line being built (strace.c); output past the buffer is cut. */
struct line {
	char buf[8192];
	size_t n;
};
void put(struct line *l, const char *s);
void putf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void put_ptr(struct line *l, uint64_t v);          /* NULL or hex */
void put_flags(struct line *l, const struct sys_name *t, uint64_t v);
void put_sigmask(struct line *l, uint64_t set);    /* [INT CHLD] or ~[...] */
void put_quoted(struct line *l, const unsigned char *s, size_t n, bool more);

/* strace_structs.c: structures read from guest memory (a pointer if unreadable). */
void put_sigaction(struct line *l, uint64_t addr);
void put_stack(struct line *l, uint64_t addr);
void put_utsname(struct line *l, uint64_t addr);

#endif
