/* sfdemu [options] program [args...]: parse options, load the guest, run its first thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"
#include "thread.h"
#include "../loader/loader.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: sfdemu [options] program [args...]\n"
		"Run an x86-64 Linux program under emulation.\n"
		"\n"
		"options:\n"
		"  --strace      print each guest syscall to stderr, as strace does\n"
		"  -L DIR        look for the program's interpreter under DIR\n"
		"  --help        show this help\n"
		"  --version     show the version\n"
		"\n"
		"environment:\n"
		"  SFDEMU_DEBUG=1  print emulator diagnostics (unsupported instructions, guest faults)\n");
}

/* Returns the index of the guest program in argv. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--strace")) {
			opt->strace = true;
		} else if (!strcmp(a, "-L") && i + 1 < argc) {
			opt->root = argv[++i];
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

int main(int argc, char **argv)
{
	static struct thread main_thread;
	struct process *p = &the_process;
	int prog = parse_options(argc, argv, &p->opt);

	struct ldr_image img;
	int status = ldr_load(p, argv[prog], argv + prog, environ, &img);
	if (status != 0)
		return status;

	thread_init(&main_thread, p);
	main_thread.cpu.rip = img.entry;
	main_thread.cpu.r[R_RSP] = img.stack;
	fault_init();
	thread_set_leader(&main_thread);
	run_thread(&main_thread);
}
