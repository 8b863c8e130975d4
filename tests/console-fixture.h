/* console-fixture.h — what the test_console*.c programs share: the console
 * relay, driven for real. One openpty pair stands in for the user's terminal
 * (the relay gets the slave, the test types on the master), another for the
 * container (the relay gets the master, the test plays PID 1 on the slave);
 * step() is one turn of the caller's poll loop. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "console/console.h"

#define ESC "\x1d"
#define SEC 1000000000ULL
#define BANNER "Press ^] three times within 1s to kill container."

struct pty {
	int m, s;          /* master, slave; -1 when closed */
	char name[64];     /* the slave's path */
};

struct fx {
	struct pty term;   /* the user's terminal */
	struct pty cont;   /* the container's console; cont.m goes to the relay */
	bool given;        /* cont.m is the relay's now (closed by it) */
	struct console c;
	struct err e;
	int escapes;       /* CONSOLE_ESCAPE seen by step() */
};

/* The injected clock of the escape tests; the only state outside a fixture. */
static uint64_t fake_ns;

static inline uint64_t fake_now(void)
{
	return fake_ns;
}

static inline uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static inline void make_raw(int fd)
{
	struct termios t;
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

static inline void set_nonblock(int fd)
{
	assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

/* The test's ends are non-blocking; the container's slave is raw, so bytes
 * pass it unchanged (a real PID 1 gets a cooked one). */
static inline void pty_open(struct pty *p, bool raw_slave)
{
	assert_int_equal(openpty(&p->m, &p->s, p->name, NULL, NULL), 0);
	if (raw_slave)
		make_raw(p->s);
}

static inline void pty_close(struct pty *p)
{
	if (p->m >= 0)
		close(p->m);
	if (p->s >= 0)
		close(p->s);
	p->m = p->s = -1;
}

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	pty_open(&f->term, false);
	pty_open(&f->cont, true);
	set_nonblock(f->term.m);
	set_nonblock(f->cont.s);
	fake_ns = 100 * SEC;
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	console_stop(&f->c);
	if (f->given)
		f->cont.m = -1;
	pty_close(&f->term);
	pty_close(&f->cont);
	free(f);
	return 0;
}

/* Start the relay with the fake terminal as stdin and stdout. */
static inline void start_io(struct fx *f, enum console_mode mode, int in, int out, uint64_t (*now)(void))
{
	struct console_opts o = { .in_fd = in, .out_fd = out, .quiet = true, .now = now };
	f->given = true;
	if (console_start(&f->c, f->cont.m, mode, &o, &f->e) < 0)
		fail_msg("console_start: %s", f->e.msg);
}

static inline void start(struct fx *f, enum console_mode mode)
{
	start_io(f, mode, f->term.s, f->term.s, NULL);
}

/* One turn of the caller's poll loop, waiting at most ms; returns how many
 * pollfds the relay asked for. */
static inline int step(struct fx *f, int ms)
{
	struct pollfd p[CONSOLE_POLLFDS];
	int n = console_pollfds(&f->c, p, CONSOLE_POLLFDS);
	int t = console_timeout_ms(&f->c);
	if (t < 0 || t > ms)
		t = ms;
	if (poll(p, (nfds_t)n, t) < 0)
		for (int i = 0; i < n; i++)
			p[i].revents = 0;
	int r = console_dispatch(&f->c, p, n, &f->e);
	if (r < 0)
		fail_msg("console_dispatch: %s", f->e.msg);
	if (r == CONSOLE_ESCAPE)
		f->escapes++;
	return n;
}

static inline void pump(struct fx *f, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (now_ms() < end)
		step(f, 5);
}

static inline void put(int fd, const char *s)
{
	size_t len = strlen(s);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
}

/* Turn the loop until fd has given exactly want (compared as bytes). */
static inline void expect(struct fx *f, int fd, const char *want)
{
	char got[512];
	size_t n = 0, len = strlen(want);
	uint64_t end = now_ms() + 3000;
	assert_true(len < sizeof got);
	while (n < len && now_ms() < end) {
		if (f->c.running)
			step(f, 5);
		ssize_t r = read(fd, got + n, len - n);
		if (r > 0)
			n += (size_t)r;
	}
	got[n] = '\0';
	if (n != len || memcmp(got, want, len) != 0)
		fail_msg("read \"%s\" (%zu bytes), expected \"%s\"", got, n, want);
}

/* Nothing is waiting on fd. */
static inline void assert_nothing(int fd)
{
	char b[64];
	ssize_t r = read(fd, b, sizeof b);
	if (r > 0)
		fail_msg("unexpected %zd bytes: \"%.*s\"", r, (int)r, b);
	assert_true(r < 0 && errno == EAGAIN);
}

static inline void assert_termios_equal(const struct termios *a, const struct termios *b)
{
	assert_int_equal(a->c_iflag, b->c_iflag);
	assert_int_equal(a->c_oflag, b->c_oflag);
	assert_int_equal(a->c_cflag, b->c_cflag);
	assert_int_equal(a->c_lflag, b->c_lflag);
	assert_memory_equal(a->c_cc, b->c_cc, NCCS);
	assert_int_equal(cfgetispeed(a), cfgetispeed(b));
	assert_int_equal(cfgetospeed(a), cfgetospeed(b));
}

static inline struct termios attr(int fd)
{
	struct termios t;
	assert_int_equal(tcgetattr(fd, &t), 0);
	return t;
}

static inline void set_winsize(int fd, unsigned short cols, unsigned short rows)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	assert_int_equal(ioctl(fd, TIOCSWINSZ, &ws), 0);
}

static inline void assert_winsize(int fd, unsigned short cols, unsigned short rows)
{
	struct winsize ws;
	assert_int_equal(ioctl(fd, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_col, cols);
	assert_int_equal(ws.ws_row, rows);
}

/* So what the test types does not come back as output. */
static inline void no_echo(int fd)
{
	struct termios t = attr(fd);
	t.c_lflag &= ~(tcflag_t)ECHO;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
