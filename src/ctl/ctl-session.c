/* ctl-session.c — the host's side of a worker inside a twin: the pty it
 * hands us relayed to the user's terminal as volspawn relays the console
 * (console/), signals passed on, its errors printed, its status ours. */
#include "console/console.h"
#include "ctl/ctl.h"
#include "lib/channel.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

struct session {
	pid_t worker;
	int sock;                 /* -1 once the worker closed its end */
	int escape_signal;
	const char *banner;
	bool left;                /* the user left, or their terminal went */
	struct console con;
	struct err err;           /* the worker's, printed once it is gone */
};

bool session_on_terminal(void)
{
	return isatty(0) && isatty(1);
}

static void on_message(struct session *s)
{
	int fd;
	struct err e = { 0 };
	int type = channel_recv(s->sock, &fd, NULL, &e);
	if (type == MSG_READY && fd >= 0) {
		struct console_opts o = CONSOLE_OPTS_STDIO;
		o.quiet = true;   /* the console's banner speaks of killing a container */
		if (s->banner)
			fprintf(stderr, "volspawnctl: %s\n", s->banner);
		if (console_start(&s->con, fd, CONSOLE_INTERACTIVE, &o, &s->err) < 0)
			kill(s->worker, SIGKILL);
		return;
	}
	if (fd >= 0)
		close(fd);
	if (type == MSG_ERROR)
		s->err = e;
	if (type <= 0) {
		close(s->sock);
		s->sock = -1;
	}
}

/* Leaving the pty closes it: the session inside is hung up, as by a
 * terminal that went away; the worker is told too. */
static void leave(struct session *s)
{
	if (s->left)
		return;
	s->left = true;
	console_stop(&s->con);
	kill(s->worker, s->escape_signal);
}

static void relay(struct session *s, struct pollfd *p, int n)
{
	struct err e = { 0 };
	int r = console_dispatch(&s->con, p, n, &e);
	if (r == CONSOLE_ESCAPE || r < 0 || console_hung_up(&s->con))
		leave(s);
}

static void on_signal(struct session *s, int sig)
{
	if (sig == SIGWINCH)
		console_winch(&s->con);
	else if (sig != SIGCHLD)
		kill(s->worker, sig);   /* a terminal's ^C too: the worker is a session of its own */
}

static int finish(struct session *s, int status)
{
	while (s->sock >= 0)   /* its last words may still be queued */
		on_message(s);
	console_stop(&s->con);
	if (s->err.code)
		ctl_print(&s->err);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int session_run(pid_t worker, int sock, int escape_signal, const char *banner)
{
	struct session s = { .worker = worker, .sock = sock, .escape_signal = escape_signal, .banner = banner };
	sigset_t mask;
	int status;
	sigemptyset(&mask);
	for (int i = 0, sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH }; i < 6; i++)
		sigaddset(&mask, sigs[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	for (;;) {
		if (waitpid(worker, &status, WNOHANG) == worker)
			break;
		struct pollfd p[2 + CONSOLE_POLLFDS] = { { sigfd, POLLIN, 0 }, { s.sock, POLLIN, 0 } };
		int n = console_pollfds(&s.con, p + 2, CONSOLE_POLLFDS);
		if (poll(p, 2 + n, console_timeout_ms(&s.con)) < 0 && errno != EINTR) {
			kill(worker, SIGKILL);   /* cannot happen: the fds are ours */
			while (waitpid(worker, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (s.sock >= 0 && p[1].revents)
			on_message(&s);
		relay(&s, p + 2, n);
		struct signalfd_siginfo si;
		if ((p[0].revents & POLLIN) && read(sigfd, &si, sizeof si) == sizeof si)
			on_signal(&s, (int)si.ssi_signo);
	}
	close(sigfd);
	return finish(&s, status);
}
