/* console-relay.c — relaying between the container's pty master and the user's
 * terminal, one poll at a time. */
#include "console/console.h"
#include "console/console-term.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ESCAPE_BYTE 0x1D             /* ^] */
#define ESCAPE_NS 1000000000ULL      /* the three ^] fall within this of the first */
#define BACKOFF_NS 25000000ULL       /* a hung-up master stays out of poll this long */
#define FLUSH_NS 1000000000ULL       /* console_stop waits at most this for a slow terminal */
#define BANNER "Press ^] three times within 1s to kill container."

enum console_mode console_default_mode(void)
{
	return isatty(0) && isatty(1) ? CONSOLE_INTERACTIVE : CONSOLE_READ_ONLY;
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* ---- buffers ---------------------------------------------------------- */

static bool buf_full(const struct console_buf *b)
{
	return b->len == sizeof b->data;
}

/* Read what fits: bytes read, 0 at EOF, or -errno. */
static ssize_t buf_fill(struct console_buf *b, int fd)
{
	ssize_t n = read(fd, b->data + b->len, sizeof b->data - b->len);
	if (n < 0)
		return -errno;
	b->len += (size_t)n;
	return n;
}

/* Write what fd takes, keeping the rest: bytes written or -errno. *last
 * (if not NULL) gets the last byte written. */
static ssize_t buf_drain(struct console_buf *b, int fd, char *last)
{
	ssize_t n = write(fd, b->data, b->len);
	if (n < 0)
		return -errno;
	if (n > 0 && last)
		*last = b->data[n - 1];
	memmove(b->data, b->data + n, b->len - (size_t)n);
	b->len -= (size_t)n;
	return n;
}

/* ---- the four moves ---------------------------------------------------- */

static bool backing_off(const struct console *c)
{
	return c->backoff_until != 0;
}

/* EIO and POLLHUP mean no slave is open: not yet, or between two openers
 * (systemd opens and closes /dev/console, getty calls vhangup). The
 * container is not gone, but poll would report the hangup at once, every
 * time: so the master sits out a while instead. */
static void back_off(struct console *c)
{
	c->backoff_until = c->now() + BACKOFF_NS;
}

static bool transient(ssize_t n)
{
	return n == -EAGAIN || n == -EINTR;
}

/* Output of the container into to_out (dropped if the user's side is gone,
 * so the container never blocks on its console). */
static int master_read(struct console *c, short revents)
{
	ssize_t n = -EAGAIN;
	if (!buf_full(&c->to_out))
		n = buf_fill(&c->to_out, c->master);
	if (n > 0 && c->out_done)
		c->to_out.len = 0;
	if (n > 0 || (transient(n) && !(revents & (POLLHUP | POLLERR))))
		return 0;
	if (n == 0 || n == -EIO || transient(n)) {
		back_off(c);
		return 0;
	}
	return (int)n;
}

static int master_write(struct console *c)
{
	ssize_t n = buf_drain(&c->to_master, c->master, NULL);
	if (n == -EIO)
		back_off(c);
	else if (n < 0 && !transient(n))
		return (int)n;
	return 0;
}

/* ^] three times, each within a second of the first, as systemd-nspawn.
 * The bytes still go to the container, as there: a lone ^] is a key like
 * any other, and holding it back would need a timer to let it go. */
static bool look_for_escape(struct console *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != ESCAPE_BYTE) {
			c->escape_count = 0;
			continue;
		}
		uint64_t now = c->now();
		if (c->escape_count == 0 || now - c->escape_first > ESCAPE_NS) {
			c->escape_first = now;
			c->escape_count = 1;
		} else if (++c->escape_count == 3) {
			c->escape_count = 0;
			return true;
		}
	}
	return false;
}

/* EOF, or EIO of a terminal hung up: stdin is done with, output goes on. */
static int in_read(struct console *c)
{
	size_t before = c->to_master.len;
	ssize_t n = buf_fill(&c->to_master, c->in);
	if (transient(n))
		return 0;
	if (n <= 0) {
		c->in_done = true;
		return 0;
	}
	return look_for_escape(c, c->to_master.data + before, (size_t)n) ? CONSOLE_ESCAPE : 0;
}

/* EPIPE, EIO: nobody is reading any more; output is dropped from now on. */
static void out_write(struct console *c)
{
	ssize_t n = buf_drain(&c->to_out, c->out, &c->last_out);
	if (n > 0)
		c->wrote_out = true;
	if (n < 0 && !transient(n)) {
		c->out_done = true;
		c->to_out.len = 0;
	}
}

/* ---- the poll loop's side ---------------------------------------------- */

static void add_slot(struct console *c, struct pollfd *fds, int max, int fd, short events,
		     enum console_role role)
{
	if (c->n_slots >= max)
		return;
	fds[c->n_slots] = (struct pollfd){ .fd = fd, .events = events };
	c->slots[c->n_slots++] = role;
}

/* Passive mode polls nothing: the pty just fills up until console_stop. */
int console_pollfds(struct console *c, struct pollfd *fds, int max)
{
	c->n_slots = 0;
	if (!c->running || c->mode == CONSOLE_PASSIVE)
		return 0;
	if (backing_off(c) && c->now() >= c->backoff_until)
		c->backoff_until = 0;
	if (max > CONSOLE_POLLFDS)
		max = CONSOLE_POLLFDS;
	short master_events = (buf_full(&c->to_out) ? 0 : POLLIN) | (c->to_master.len ? POLLOUT : 0);
	if (!backing_off(c) && master_events)
		add_slot(c, fds, max, c->master, master_events, CONSOLE_SLOT_MASTER);
	if (c->to_out.len)
		add_slot(c, fds, max, c->out, POLLOUT, CONSOLE_SLOT_OUT);
	if (c->mode == CONSOLE_INTERACTIVE && !c->in_done && !buf_full(&c->to_master))
		add_slot(c, fds, max, c->in, POLLIN, CONSOLE_SLOT_IN);
	return c->n_slots;
}

int console_timeout_ms(const struct console *c)
{
	if (!c->running || !backing_off(c))
		return -1;
	uint64_t now = c->now();
	if (now >= c->backoff_until)
		return 0;
	return (int)((c->backoff_until - now + 999999) / 1000000);
}

/* Whatever is ready moves; writes are tried at once, without waiting for a
 * poll to say they would succeed, which they mostly do. */
int console_dispatch(struct console *c, const struct pollfd *fds, int n, struct err *e)
{
	short revents[CONSOLE_POLLFDS] = { 0 };
	int r = 0, escape = 0;
	if (!c->running)
		return 0;
	for (int i = 0; i < n && i < c->n_slots; i++)
		revents[c->slots[i]] |= fds[i].revents;
	if (revents[CONSOLE_SLOT_MASTER] & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
		r = master_read(c, revents[CONSOLE_SLOT_MASTER]);
	if (revents[CONSOLE_SLOT_IN])
		escape = in_read(c);
	if (r == 0 && c->to_master.len && !backing_off(c))
		r = master_write(c);
	if (c->to_out.len)
		out_write(c);
	if (r < 0)
		return err_sys(e, -r, "the container's console");
	return escape;
}

void console_winch(struct console *c)
{
	if (c->running)
		console_copy_winsize(c->out, c->master);
}

/* ---- start and stop ---------------------------------------------------- */

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* Stdin only when it is to be read: read-only must leave it quite alone. */
static int open_user_side(struct console *c, const struct console_opts *o, struct err *e)
{
	int fd = console_fd_open(o->out_fd, O_WRONLY, &c->out_flags);
	if (fd < 0)
		return err_sys(e, -fd, "cannot use fd %d for the console's output", o->out_fd);
	c->out = fd;
	if (c->mode != CONSOLE_INTERACTIVE)
		return 0;
	fd = console_fd_open(o->in_fd, O_RDONLY, &c->in_flags);
	if (fd < 0)
		return err_sys(e, -fd, "cannot use fd %d for the console's input", o->in_fd);
	c->in = fd;
	return 0;
}

/* What start did, undone in reverse (the flags of a shared fd last put
 * back by whoever first took them). */
static void teardown(struct console *c)
{
	console_unraw(c);
	if (c->in >= 0)
		console_fd_close(c->in, c->in_flags);
	if (c->out >= 0)
		console_fd_close(c->out, c->out_flags);
	if (c->master >= 0)
		close(c->master);
	c->in = c->out = c->master = -1;
	c->running = false;
}

int console_start(struct console *c, int master, enum console_mode mode,
		  const struct console_opts *o, struct err *e)
{
	static const struct console_opts stdio = CONSOLE_OPTS_STDIO;
	if (!o)
		o = &stdio;
	*c = (struct console){ .mode = mode, .master = master, .in = -1, .out = -1,
			       .now = o->now ? o->now : monotonic_ns };
	if (mode == CONSOLE_PIPE) {
		close(master);
		return err_set(e, EINVAL, "--console=pipe has no pty to relay");
	}
	c->running = true;   /* from here on teardown undoes what was done */
	int r = set_nonblock(master);
	if (r < 0)
		r = err_sys(e, -r, "cannot use the container's console");
	else
		r = open_user_side(c, o, e);
	if (r == 0)
		console_copy_winsize(c->out, c->master);
	if (r == 0 && mode == CONSOLE_INTERACTIVE) {
		if (!o->quiet)
			notice(BANNER);
		r = console_raw(c, e);
	}
	if (r < 0)
		teardown(c);
	return r;
}

/* The last of the output is the end of the container's story, its last
 * words if it failed: worth a short wait for a slow terminal, not forever.
 * EAGAIN on the master means nothing is queued, EIO that the slave is gone
 * and all it wrote was read. */
static void flush(struct console *c)
{
	uint64_t deadline = monotonic_ns() + FLUSH_NS;
	bool drained = false;
	for (;;) {
		if (!drained && !buf_full(&c->to_out)) {
			ssize_t n = buf_fill(&c->to_out, c->master);
			drained = n <= 0 && n != -EINTR;
		}
		if (c->to_out.len)
			out_write(c);
		if (c->out_done || (drained && !c->to_out.len))
			return;
		uint64_t now = monotonic_ns();
		if (now >= deadline)
			return;
		if (drained || buf_full(&c->to_out))
			poll(&(struct pollfd){ .fd = c->out, .events = POLLOUT }, 1,
			     (int)((deadline - now) / 1000000 + 1));
	}
}

/* The container's last line may lack its newline; the user's prompt
 * should not start there. A raw terminal (OPOST off) needs the \r too. */
static void end_line(struct console *c)
{
	if (!c->wrote_out || c->out_done || c->last_out == '\n')
		return;
	const char *s = c->out_raw && c->last_out != '\r' ? "\r\n" : "\n";
	ssize_t n = write(c->out, s, strlen(s));
	(void)n;
}

void console_stop(struct console *c)
{
	if (!c->running)
		return;
	flush(c);
	end_line(c);
	teardown(c);
}

bool console_hung_up(const struct console *c)
{
	return c->running && c->mode == CONSOLE_INTERACTIVE && c->in_done;
}
