/* ctl-session.c — the host's side of a worker inside a twin: the pty it
 * hands us relayed to the user's terminal as volspawn relays the console
 * (console/), signals passed on, its errors printed, its status ours. */
#include "console/console.h"
#include "ctl/ctl.h"
#include "lib/channel.h"

#include <errno.h>
#include <fcntl.h>
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
	struct session_feed feed;
	char buf[4096];           /* read from feed.from, not yet written to feed.to */
	size_t len, off;
};

bool session_on_terminal(void)
{
	return isatty(0) && isatty(1);
}

int session_feed_start(struct session_feed *f, struct err *e)
{
	int p[2];
	*f = SESSION_FEED_NONE;
	if ((f->from = fcntl(0, F_DUPFD_CLOEXEC, 3)) < 0 || pipe2(p, O_CLOEXEC) < 0) {
		int r = err_sys(e, errno, "cannot pass on the terminal as a pipe");
		session_feed_stop(f);
		return r;
	}
	dup2(p[0], 0);   /* what a worker started now inherits */
	close(p[0]);
	f->to = p[1];
	fcntl(f->to, F_SETFL, O_NONBLOCK);   /* a command that reads nothing must not stall us */
	return 0;
}

void session_feed_stop(struct session_feed *f)
{
	if (f->from >= 0)
		close(f->from);
	if (f->to >= 0)
		close(f->to);
	*f = SESSION_FEED_NONE;
}

/* One step of the feed: its poll entry, by what it waits for. */
static void feed_pollfd(const struct session *s, struct pollfd *p)
{
	*p = (struct pollfd){ -1, 0, 0 };
	if (s->feed.to >= 0)
		*p = s->len ? (struct pollfd){ s->feed.to, POLLOUT, 0 } : (struct pollfd){ s->feed.from, POLLIN, 0 };
}

/* The terminal's end (^D) or the command's (it closed its stdin) ends the feed. */
static void feed_step(struct session *s, const struct pollfd *p)
{
	if (!p->revents)
		return;
	if (!s->len) {
		ssize_t n = read(s->feed.from, s->buf, sizeof s->buf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0)
			return session_feed_stop(&s->feed);
		s->len = (size_t)n, s->off = 0;
		return;
	}
	ssize_t n = write(s->feed.to, s->buf + s->off, s->len - s->off);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0)
		return session_feed_stop(&s->feed);
	s->off += (size_t)n;
	if (s->off == s->len)
		s->len = 0;
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

int session_run(pid_t worker, int sock, int escape_signal, const char *banner, struct session_feed feed)
{
	struct session s = { .worker = worker, .sock = sock, .escape_signal = escape_signal, .banner = banner, .feed = feed };
	sigset_t mask;
	int status;
	sigemptyset(&mask);
	for (int i = 0, sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH }; i < 6; i++)
		sigaddset(&mask, sigs[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);   /* the worker has its own: a feed whose reader went is an EPIPE */
	for (;;) {
		if (waitpid(worker, &status, WNOHANG) == worker)
			break;
		struct pollfd p[3 + CONSOLE_POLLFDS] = { { sigfd, POLLIN, 0 }, { s.sock, POLLIN, 0 } };
		feed_pollfd(&s, &p[2]);
		int n = console_pollfds(&s.con, p + 3, CONSOLE_POLLFDS);
		if (poll(p, 3 + n, console_timeout_ms(&s.con)) < 0 && errno != EINTR) {
			kill(worker, SIGKILL);   /* cannot happen: the fds are ours */
			while (waitpid(worker, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (s.sock >= 0 && p[1].revents)
			on_message(&s);
		feed_step(&s, &p[2]);
		relay(&s, p + 3, n);
		struct signalfd_siginfo si;
		if ((p[0].revents & POLLIN) && read(sigfd, &si, sizeof si) == sizeof si)
			on_signal(&s, (int)si.ssi_signo);
	}
	close(sigfd);
	session_feed_stop(&s.feed);
	return finish(&s, status);
}
