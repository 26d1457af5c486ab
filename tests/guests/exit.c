/* Exit codes: `exit MODE CODE` leaves with CODE by returning from main, by exit() (atexit
 * handlers run, stdio is flushed) or by _exit() (neither happens). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void at_exit_handler(void)
{
	printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
	int code = argc > 2 ? atoi(argv[2]) : 3;
	const char *mode = argc > 1 ? argv[1] : "return";

	atexit(at_exit_handler);
	printf("mode=%s code=%d\n", mode, code);       /* buffered: lost on _exit to a file */
	if (!strcmp(mode, "exit"))
		exit(code);
	if (!strcmp(mode, "_exit"))
		_exit(code);
	if (!strcmp(mode, "flush_exit")) {
		fflush(stdout);
		_exit(code);
	}
	return code;
}
