/* sfdemu [options] program [args...]: parse options, load the guest, run its first thread.
 * A guest's execve comes back here in a new sfdemu (syscalls/exec.h), with the guest's
 * argv[0] apart and the state Linux keeps across exec in an inherited fd. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"
#include "thread.h"
#include "../loader/loader.h"
#include "../syscalls/exec.h"

extern char **environ;

struct start_args {
	const char *argv0;   /* -0: the guest's argv[0], when not the program's path */
	int state_fd;        /* --exec-state: the exec state channel, or -1 */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: sfdemu [options] program [args...]\n"
		"Run an x86-64 Linux program under emulation. Programs it executes run under\n"
		"emulation too; a #! script runs its interpreter as the kernel would.\n"
		"\n"
		"options:\n"
		"  --strace      print each guest syscall to stderr, as strace does\n"
		"  -L DIR        look for absolute paths under DIR first: the program's\n"
		"                interpreter, its libraries, any file the guest opens or runs\n"
		"  -0 ARGV0      give the program ARGV0 as argv[0] (default: the program's path)\n"
		"  --no-thunks   run the guest's libc string functions as guest code, never as\n"
		"                the host code that gives their results\n"
		"  --exec-state FD\n"
		"                internal: state a guest keeps across execve, from the sfdemu\n"
		"                that ran the execve\n"
		"  --help        show this help\n"
		"  --version     show the version\n"
		"\n"
		"environment:\n"
		"  SFDEMU_DEBUG=1  print emulator diagnostics (unsupported instructions, guest faults)\n");
}

/* Returns the index of the guest program in argv. */
static int parse_options(int argc, char **argv, struct options *opt, struct start_args *sa)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--strace")) {
			opt->strace = true;
		} else if (!strcmp(a, "--no-thunks")) {
			opt->no_thunks = true;
		} else if (!strcmp(a, "-L") && i + 1 < argc) {
			opt->root = argv[++i];
		} else if (!strcmp(a, "-0") && i + 1 < argc) {
			sa->argv0 = argv[++i];
		} else if (!strcmp(a, "--exec-state") && i + 1 < argc) {
			sa->state_fd = atoi(argv[++i]);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			puts("sfdemu 0.1");
			exit(0);
		} else {
			fprintf(stderr, "sfdemu: unknown option '%s'\n", a);
			usage(stderr);
			exit(2);
		}
	}
	if (i >= argc) {
		usage(stderr);
		exit(2);
	}
	const char *dbg = getenv("SFDEMU_DEBUG");
	opt->debug = dbg && *dbg && strcmp(dbg, "0") != 0;
	return i;
}

/* The guest's argv, and the program to load: a #! script named on the command line runs
 * as execve would run it. Returns 0, or the exit status a shell would give. */
static int guest_program(int argc, char **argv, int prog, const struct start_args *sa,
			 struct exec_image *ex)
{
	const char *path = argv[prog];
	int err = exec_image_push(ex, sa->argv0 ? sa->argv0 : path);
	for (int i = prog + 1; !err && i < argc; i++)
		err = exec_image_push(ex, argv[i]);
	if (!err && exec_is_script(path))
		err = exec_resolve(path, path, ex);
	else if (!err && !(ex->path = strdup(path)))
		err = -ENOMEM;
	if (err) {
		fprintf(stderr, "sfdemu: %s: %s\n", path, strerror(-err));
		return err == -ENOENT ? 127 : 126;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct thread main_thread;
	struct process *p = &the_process;
	struct start_args sa = { .state_fd = -1 };
	exec_init();
	int prog = parse_options(argc, argv, &p->opt, &sa);

	struct exec_image ex = { 0 };
	int status = guest_program(argc, argv, prog, &sa, &ex);
	struct ldr_image img;
	if (status == 0)
		status = ldr_load(p, ex.path, ex.argv, environ, &img);
	exec_image_free(&ex);
	if (status != 0)
		return status;

	thread_init(&main_thread, p);
	main_thread.cpu.rip = img.entry;
	main_thread.cpu.r[R_RSP] = img.stack;
	if (sa.state_fd >= 0)
		exec_state_load(sa.state_fd, &main_thread);
	fault_init();
	thread_set_leader(&main_thread);
	run_thread(&main_thread);
}
