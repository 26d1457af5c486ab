/* ldr_load: validate the program and its interpreter completely, then map the program and
 * the interpreter, and build the stack. Nothing is mapped before both files have passed
 * every check; if mapping fails half-way, what was mapped is unmapped and forgotten by the
 * memory map. The guest's break starts at the end of the program, with nothing reserved. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "loader.h"
#include "loader_internal.h"
#include "../emu/process.h"

/* /proc/self/exe names the guest: its absolute path with symlinks resolved. */
static void ldr_set_exe_path(struct process *proc, const char *path)
{
	char buf[PATH_MAX], *abs = NULL;
	if (realpath(path, buf))
		abs = strdup(buf);
	else if (path[0] != '/' && getcwd(buf, sizeof(buf)) && asprintf(&abs, "%s/%s", buf, path) < 0)
		abs = NULL;
	const char *s = abs ? abs : path;
	size_t n = strlen(s);
	if (n >= sizeof(proc->exe_path))
		n = sizeof(proc->exe_path) - 1;
	memcpy(proc->exe_path, s, n);
	proc->exe_path[n] = '\0';
	free(abs);
}

/* Open the program's interpreter (under the -L root when it is there). */
static int ldr_open_interp(struct process *proc, const struct ldr_file *prog, const char *path,
			   struct ldr_file *interp)
{
	const char *root = proc->opt.root;
	size_t n = (root ? strlen(root) : 0) + strlen(prog->interp) + 1;
	char *ipath = malloc(n), *label = malloc(strlen(path) + n + 16);
	int rc = 126;
	if (!ipath || !label) {
		rc = ldr_fail(path, 126, "out of memory");
	} else {
		snprintf(ipath, n, "%s%s", root ? root : "", prog->interp);
		/* As every absolute path under -L: DIR's file if it has one, else the host's. */
		if (root && access(ipath, F_OK) != 0)
			snprintf(ipath, n, "%s", prog->interp);
		sprintf(label, "%s: interpreter %s", path, ipath);
		/* A missing interpreter is ENOENT from execve: 127 from a shell, as a missing file. */
		rc = ldr_open(interp, ipath, label, true);
	}
	free(ipath);
	free(label);
	return rc;
}

static int ldr_load_images(struct process *proc, const char *path, struct ldr_file *prog,
			   struct ldr_file *interp, char *const argv[], char *const envp[],
			   struct ldr_image *out, struct ldr_undo *undo)
{
	struct mm *mm = &proc->mm;
	struct ldr_mapped pm, im = { 0 };
	int rc = ldr_map(prog, mm, true, &pm, undo);
	if (rc)
		return rc;
	if (prog->interp && (rc = ldr_map(interp, mm, false, &im, undo)))
		return rc;
	struct ldr_stack_info info = {
		.execfn = path,
		.phdr = pm.phdr,
		.phnum = prog->eh.e_phnum,
		.entry = pm.entry,
		.base = prog->interp ? im.bias : 0,   /* the kernel's interp_load_addr */
		/* elf_read_implies_exec() is false for x86-64 programs: without PT_GNU_STACK
		 * the stack is not executable; with it, PF_X decides. */
		.exec_stack = prog->stack_flags >= 0 && (prog->stack_flags & PF_X),
	};
	uint64_t rsp;
	if ((rc = ldr_build_stack(mm, path, &info, argv, envp, &rsp, undo)))
		return rc;
	mm->brk_start = mm->brk_cur = pm.end;
	mm->start_data = pm.start_data;
	mm->end_data = pm.end_data;
	out->entry = prog->interp ? im.entry : pm.entry;
	out->stack = rsp;
	out->brk = pm.end;
	return 0;
}

int ldr_load(struct process *proc, const char *path, char *const argv[], char *const envp[],
	     struct ldr_image *out)
{
	struct ldr_file prog, interp;
	struct ldr_undo undo = { .r = NULL };
	memset(&interp, 0, sizeof(interp));
	interp.fd = -1;
	int rc = ldr_open(&prog, path, path, false);
	if (rc == 0 && prog.interp)
		rc = ldr_open_interp(proc, &prog, path, &interp);
	if (rc == 0) {
		ldr_set_exe_path(proc, path);
		rc = ldr_load_images(proc, path, &prog, &interp, argv, envp, out, &undo);
		if (rc)
			ldr_undo_all(&undo, &proc->mm);
		ldr_undo_free(&undo);
	}
	ldr_close(&prog);
	ldr_close(&interp);
	return rc;
}
