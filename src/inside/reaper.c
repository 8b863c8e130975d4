/* reaper.c — PID 1 of a command-mode container, and the exec of the command. */
#include "inside/reaper.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int payload_exec(const struct config *c, char **env, const struct run_as *who)
{
	environ = env;   /* execvp searches the container's PATH, not ours */
	umask(022);
	if (c->command) {
		execvp(c->command[0], c->command);
		int err = errno;
		fprintf(stderr, "volspawn: cannot run %s: %s\n", c->command[0], strerror(err));
		return err == ENOENT ? 127 : 126;
	}
	/* the user's login shell, as nspawn starts it */
	char *bash[] = { "-bash", NULL }, *sh[] = { "-sh", NULL }, login[256];
	if (who) {
		const char *base = strrchr(who->shell, '/');
		snprintf(login, sizeof login, "-%s", base ? base + 1 : who->shell);
		execv(who->shell, (char *[]){ login, NULL });
	}
	execv("/bin/bash", bash);
	execv("/bin/sh", sh);
	fprintf(stderr, "volspawn: cannot run /bin/bash or /bin/sh: %s\n", strerror(errno));
	return 127;
}

static int forwarded(int sig)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigs[i] == sig)
			return 1;
	return 0;
}

/* The command's side of the fork: its session on the console, then the
 * user it runs as. */
static int become_payload(bool on_pty, const struct run_as *who)
{
	/* a session of its own on the console, for job control */
	if (on_pty && (setsid() < 0 || ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0))
		fprintf(stderr, "volspawn: cannot take the console as controlling terminal: %s\n", strerror(errno));
	/* the console is theirs, as login makes it */
	if (who && on_pty && fchown(STDIN_FILENO, who->uid, (gid_t)-1) < 0)
		fprintf(stderr, "volspawn: cannot give the console to %s: %s\n", who->name, strerror(errno));
	if (who && run_as_become(who) < 0) {
		fprintf(stderr, "volspawn: cannot become %s: %s\n", who->name, strerror(errno));
		return 126;
	}
	return 0;
}

void reaper_run(const struct config *c, char **env, bool on_pty, const struct run_as *who)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "volspawn: cannot start the command: %s\n", strerror(errno));
		_exit(1);
	}
	if (pid == 0) {
		sigset_t none;   /* the command starts with no signal blocked */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int r = become_payload(on_pty, who);
		_exit(r ? r : payload_exec(c, env, who));
	}
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si), status;
		if (sig == SIGCHLD) {
			pid_t p;
			while ((p = waitpid(-1, &status, WNOHANG)) > 0)
				if (p == pid)
					_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		} else if (sig > 0 && forwarded(sig) && si.si_code != SI_KERNEL) {
			/* a terminal's ^C (SI_KERNEL) reached the command's process group already */
			kill(pid, sig);
		}
	}
}
