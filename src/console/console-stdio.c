/* console-stdio.c — stdin, stdout and stderr of a container without a pty,
 * where they are the user's terminal: relayed through pipes. */
#include "console/console-stdio.h"
#include "console/console-term.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BACKGROUND_MS 250         /* how often a job in the background looks again */
#define FLUSH_MS 1000             /* console_stdio_stop waits at most this for a slow terminal */

static bool same_terminal(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

static int open_one(struct console_stdio *s, int i)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	/* stdin's pipe is written by us; stdout's and stderr's read */
	s->child[i] = i == 0 ? p[0] : p[1];
	s->pipe[i] = i == 0 ? p[1] : p[0];
	int fl = fcntl(s->pipe[i], F_GETFL);
	if (fl < 0 || fcntl(s->pipe[i], F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	int fd = console_fd_open(i, i == 0 ? O_RDONLY : O_WRONLY, &s->flags[i]);
	if (fd < 0)
		return fd;
	s->term[i] = fd;
	return 0;
}

int console_stdio_open(struct console_stdio *s, struct err *e)
{
	*s = (struct console_stdio){ .child = { -1, -1, -1 }, .pipe = { -1, -1, -1 }, .term = { -1, -1, -1 } };
	for (int i = 0; i < 3; i++) {
		if (!isatty(i))
			continue;
		s->on = true;
		if (i == 2 && s->child[1] >= 0 && same_terminal(1, 2)) {
			s->child[2] = s->child[1];   /* one pipe keeps their order */
			s->shared = true;
			continue;
		}
		int r = open_one(s, i);
		if (r < 0) {
			console_stdio_started(s);
			console_stdio_stop(s);
			return err_sys(e, -r, "cannot relay the terminal on fd %d", i);
		}
	}
	return 0;
}

void console_stdio_child(const struct console_stdio *s)
{
	if (!s->on)
		return;
	for (int i = 0; i < 3; i++)
		if (s->child[i] >= 0)
			dup2(s->child[i], i);
}

void console_stdio_started(struct console_stdio *s)
{
	if (!s->on)
		return;
	for (int i = 0; i < 3; i++) {
		if (s->child[i] >= 0 && !(i == 2 && s->shared))
			close(s->child[i]);
		s->child[i] = -1;
	}
}

/* Not our terminal's foreground: reading it would stop us (SIGTTIN), or
 * take what the user types to the shell. A terminal that is not ours to
 * control (no job control over it) is read. */
static bool foreground(int fd)
{
	pid_t fg = tcgetpgrp(fd);
	return fg < 0 || fg == getpgrp();
}

static void add_slot(struct console_stdio *s, struct pollfd *fds, int max, int fd, short events, int i)
{
	if (s->n_slots >= max)
		return;
	fds[s->n_slots] = (struct pollfd){ .fd = fd, .events = events };
	s->slots[s->n_slots++] = i;
}

int console_stdio_pollfds(struct console_stdio *s, struct pollfd *fds, int max)
{
	s->n_slots = 0;
	if (!s->on)
		return 0;
	if (max > CONSOLE_STDIO_POLLFDS)
		max = CONSOLE_STDIO_POLLFDS;
	if (s->pipe[0] >= 0 && !s->done[0]) {
		if (s->buf[0].len)
			add_slot(s, fds, max, s->pipe[0], POLLOUT, 0);
		else if (foreground(s->term[0]))
			add_slot(s, fds, max, s->term[0], POLLIN, 0);
	}
	for (int i = 1; i < 3; i++) {
		if (s->pipe[i] < 0 || s->done[i])
			continue;
		if (s->buf[i].len && !s->lost[i])
			add_slot(s, fds, max, s->term[i], POLLOUT, i);
		else
			add_slot(s, fds, max, s->pipe[i], POLLIN, i);
	}
	return s->n_slots;
}

int console_stdio_timeout_ms(const struct console_stdio *s)
{
	bool waiting = s->on && s->pipe[0] >= 0 && !s->done[0] && !s->buf[0].len && !foreground(s->term[0]);
	return waiting ? BACKGROUND_MS : -1;
}

static bool transient(ssize_t n)
{
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* What is left of buf after writing what fd takes; false when fd is gone. */
static bool drain(struct console_buf *b, int fd)
{
	ssize_t n = write(fd, b->data, b->len);
	if (n < 0)
		return transient(n);
	memmove(b->data, b->data + n, b->len - (size_t)n);
	b->len -= (size_t)n;
	return true;
}

static void end_input(struct console_stdio *s)
{
	s->done[0] = true;
	s->buf[0].len = 0;
	close(s->pipe[0]);   /* the container reads EOF */
	s->pipe[0] = -1;
}

/* The terminal's bytes to the container: EOF (^D) or a hangup ends its
 * stdin; a container that closed it takes no more. */
static void move_input(struct console_stdio *s)
{
	struct console_buf *b = &s->buf[0];
	if (!b->len) {
		ssize_t n = read(s->term[0], b->data, sizeof b->data);
		if (transient(n))
			return;
		if (n <= 0) {
			end_input(s);
			return;
		}
		b->len = (size_t)n;
	}
	if (!drain(b, s->pipe[0]))
		end_input(s);
}

/* The container's bytes to the terminal; a terminal gone drops them, so
 * that the container never blocks on a full pipe. */
static void move_output(struct console_stdio *s, int i)
{
	struct console_buf *b = &s->buf[i];
	if (!b->len || s->lost[i]) {
		ssize_t n = read(s->pipe[i], b->data, sizeof b->data);
		if (transient(n))
			return;
		if (n <= 0) {
			s->done[i] = true;
			return;
		}
		b->len = s->lost[i] ? 0 : (size_t)n;
	}
	if (b->len && !drain(b, s->term[i])) {
		s->lost[i] = true;
		b->len = 0;
	}
}

void console_stdio_dispatch(struct console_stdio *s, const struct pollfd *fds, int n)
{
	for (int k = 0; k < n && k < s->n_slots; k++) {
		if (!fds[k].revents)
			continue;
		if (s->slots[k] == 0)
			move_input(s);
		else
			move_output(s, s->slots[k]);
	}
}

static int elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)((now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000);
}

/* The container's last words, if it is gone (its ends closed): worth a
 * short wait for a slow terminal, not forever. */
static void flush(struct console_stdio *s)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p[CONSOLE_STDIO_POLLFDS];
		if (s->pipe[0] >= 0)
			end_input(s);
		int n = console_stdio_pollfds(s, p, CONSOLE_STDIO_POLLFDS), left = FLUSH_MS - elapsed_ms(&start);
		if (n == 0 || left <= 0 || poll(p, (nfds_t)n, left) <= 0)
			return;
		console_stdio_dispatch(s, p, n);
	}
}

void console_stdio_stop(struct console_stdio *s)
{
	if (!s->on)
		return;
	flush(s);
	for (int i = 0; i < 3; i++) {
		if (s->pipe[i] >= 0)
			close(s->pipe[i]);
		if (s->term[i] >= 0)
			console_fd_close(s->term[i], s->flags[i]);
		s->pipe[i] = s->term[i] = -1;
	}
	s->on = false;
}
