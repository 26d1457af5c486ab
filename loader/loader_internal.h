/* Inside the loader: an opened and validated ELF file, a mapped image, and the undo list that
 * takes a half-done load back out of memory. Only the loader includes this. */
#ifndef SFDEMU_LOADER_INTERNAL_H
#define SFDEMU_LOADER_INTERNAL_H

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include "../emu/mm.h"

#define LDR_PAGE       4096ull
#define LDR_PAGESTART(v) ((uint64_t)(v) & ~(LDR_PAGE - 1))
#define LDR_PAGEOFF(v)   ((uint64_t)(v) & (LDR_PAGE - 1))
#define LDR_PAGEALIGN(v) (((uint64_t)(v) + LDR_PAGE - 1) & ~(LDR_PAGE - 1))
/* The x86-64 user address space with 4-level paging (the kernel's TASK_SIZE). */
#define LDR_TASK_SIZE  0x7ffffffff000ull
/* Where the kernel puts a PIE program before randomisation: 2/3 of the 47-bit window. */
#define LDR_ET_DYN_BASE LDR_PAGESTART((0x800000000000ull - LDR_PAGE) / 3 * 2)

/* A validated ELF file, still open. */
struct ldr_file {
	char *label;          /* what error messages name: "PATH" or "PATH: interpreter IPATH" */
	int fd;
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;       /* eh.e_phnum entries */
	char *interp;         /* the PT_INTERP path, or NULL */
	int stack_flags;      /* PT_GNU_STACK p_flags, or -1 without PT_GNU_STACK */
};

/* Where an image landed. */
struct ldr_mapped {
	uint64_t bias;        /* memory address = p_vaddr + bias */
	uint64_t entry;       /* e_entry + bias */
	uint64_t phdr;        /* the program headers in memory (AT_PHDR) */
	uint64_t end;         /* page-aligned end of the highest segment, bss included */
	uint64_t start_data, end_data;   /* the kernel's mm->start_data/end_data, biased */
};

/* Host mappings made so far, unmapped (and forgotten by mm) if the load fails. */
struct ldr_undo {
	struct ldr_range { uint64_t start, len; } *r;
	int n, cap;
};

/* What the stack builder needs to know. */
struct ldr_stack_info {
	const char *execfn;   /* AT_EXECFN: the program's name as it was given */
	uint64_t phdr, phnum, entry, base;
	bool exec_stack;      /* PT_GNU_STACK asked for PF_X */
};

/* loader/elf_check.c */
int ldr_open(struct ldr_file *f, const char *path, const char *label, bool is_interp);
void ldr_close(struct ldr_file *f);
int ldr_fail(const char *label, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* loader/elf_map.c */
int ldr_map(struct ldr_file *f, struct mm *mm, bool main_prog, struct ldr_mapped *out,
	    struct ldr_undo *undo);
void ldr_undo_add(struct ldr_undo *undo, uint64_t start, uint64_t len);
void ldr_undo_all(struct ldr_undo *undo, struct mm *mm);
void ldr_undo_free(struct ldr_undo *undo);
bool ldr_randomize(void);
uint64_t ldr_random64(void);

/* loader/stack.c */
int ldr_build_stack(struct mm *mm, const char *label, const struct ldr_stack_info *info,
		    char *const argv[], char *const envp[], uint64_t *rsp, struct ldr_undo *undo);

#endif
