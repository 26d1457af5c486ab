/* sig_uid: the si_uid of a signal sent to oneself with kill() is the sender's real uid at the
 * time of sending, also after set*uid calls changed it (SEMANTICS.md case 46 and the SIL_KILL
 * layout: kill's siginfo carries SI_USER, the sender's pid and uid). Run as root, the real uid
 * goes to 1000 and back (the effective uid stays 0 so it can come back); as another user,
 * setuid to the same uid. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static volatile long got_uid = -1, got_pid = -1;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	got_uid = si->si_uid;
	got_pid = si->si_pid;
}

static void send_and_show(const char *what)
{
	got_uid = got_pid = -1;
	kill(getpid(), SIGUSR1);
	printf("%-36s si_uid %s real uid, si_pid %s\n", what,
	       got_uid == (long)getuid() ? "==" : "!=", got_pid == getpid() ? "ok" : "wrong");
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	int root = getuid() == 0;
	send_and_show("at start");
	send_and_show("again");
	if (root) {
		printf("setresuid(1000, 0, 0): %d\n", setresuid(1000, 0, 0));
		send_and_show("real uid 1000");
		printf("uid in siginfo: %ld\n", got_uid);
		printf("setresuid(0, 0, 0): %d\n", setresuid(0, 0, 0));
		send_and_show("real uid 0 again");
		printf("setreuid(1001, -1): %d\n", setreuid(1001, -1));
		send_and_show("real uid 1001");
		printf("uid in siginfo: %ld\n", got_uid);
		printf("raw setuid(0): %ld\n", syscall(SYS_setuid, 0));
		send_and_show("real uid 0, raw syscall");
	} else {
		printf("setuid(own uid): %d\n", setuid(getuid()));
		send_and_show("after setuid");
	}
	return 0;
}
