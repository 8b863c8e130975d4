/* test_console.c — the console relay, driven for real: one openpty pair
 * stands in for the user's terminal (the relay gets the slave, the test
 * types on the master), another for the container (the relay gets the
 * master, the test plays PID 1 on the slave). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

static uint64_t fake_now(void)
{
	return fake_ns;
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void make_raw(int fd)
{
	struct termios t;
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

static void set_nonblock(int fd)
{
	assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

/* The test's ends are non-blocking; the container's slave is raw, so bytes
 * pass it unchanged (a real PID 1 gets a cooked one). */
static void pty_open(struct pty *p, bool raw_slave)
{
	assert_int_equal(openpty(&p->m, &p->s, p->name, NULL, NULL), 0);
	if (raw_slave)
		make_raw(p->s);
}

static void pty_close(struct pty *p)
{
	if (p->m >= 0)
		close(p->m);
	if (p->s >= 0)
		close(p->s);
	p->m = p->s = -1;
}

static int fx_setup(void **state)
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

static int fx_teardown(void **state)
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
static void start_io(struct fx *f, enum console_mode mode, int in, int out, uint64_t (*now)(void))
{
	struct console_opts o = { .in_fd = in, .out_fd = out, .quiet = true, .now = now };
	f->given = true;
	if (console_start(&f->c, f->cont.m, mode, &o, &f->e) < 0)
		fail_msg("console_start: %s", f->e.msg);
}

static void start(struct fx *f, enum console_mode mode)
{
	start_io(f, mode, f->term.s, f->term.s, NULL);
}

/* One turn of the caller's poll loop, waiting at most ms; returns how many
 * pollfds the relay asked for. */
static int step(struct fx *f, int ms)
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

static void pump(struct fx *f, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (now_ms() < end)
		step(f, 5);
}

static void put(int fd, const char *s)
{
	size_t len = strlen(s);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
}

/* Turn the loop until fd has given exactly want (compared as bytes). */
static void expect(struct fx *f, int fd, const char *want)
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
static void assert_nothing(int fd)
{
	char b[64];
	ssize_t r = read(fd, b, sizeof b);
	if (r > 0)
		fail_msg("unexpected %zd bytes: \"%.*s\"", r, (int)r, b);
	assert_true(r < 0 && errno == EAGAIN);
}

static void assert_termios_equal(const struct termios *a, const struct termios *b)
{
	assert_int_equal(a->c_iflag, b->c_iflag);
	assert_int_equal(a->c_oflag, b->c_oflag);
	assert_int_equal(a->c_cflag, b->c_cflag);
	assert_int_equal(a->c_lflag, b->c_lflag);
	assert_memory_equal(a->c_cc, b->c_cc, NCCS);
	assert_int_equal(cfgetispeed(a), cfgetispeed(b));
	assert_int_equal(cfgetospeed(a), cfgetospeed(b));
}

static struct termios attr(int fd)
{
	struct termios t;
	assert_int_equal(tcgetattr(fd, &t), 0);
	return t;
}

static void set_winsize(int fd, unsigned short cols, unsigned short rows)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	assert_int_equal(ioctl(fd, TIOCSWINSZ, &ws), 0);
}

static void assert_winsize(int fd, unsigned short cols, unsigned short rows)
{
	struct winsize ws;
	assert_int_equal(ioctl(fd, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_col, cols);
	assert_int_equal(ws.ws_row, rows);
}

/* So what the test types does not come back as output. */
static void no_echo(int fd)
{
	struct termios t = attr(fd);
	t.c_lflag &= ~(tcflag_t)ECHO;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

/* ---- modes ------------------------------------------------------------- */

/* With stdin and stdout swapped for a terminal, then stdin for a pipe. */
static void test_default_mode(void **state)
{
	struct fx *f = *state;
	int saved0 = dup(0), saved1 = dup(1), p[2];
	assert_true(saved0 >= 0 && saved1 >= 0);
	assert_int_equal(pipe(p), 0);
	fflush(stdout);
	dup2(f->term.s, 0);
	dup2(f->term.s, 1);
	enum console_mode both = console_default_mode();
	dup2(p[0], 0);
	enum console_mode in_pipe = console_default_mode();
	dup2(f->term.s, 0);
	dup2(p[1], 1);
	enum console_mode out_pipe = console_default_mode();
	dup2(saved0, 0);
	dup2(saved1, 1);
	close(saved0);
	close(saved1);
	close(p[0]);
	close(p[1]);
	assert_int_equal(both, CONSOLE_INTERACTIVE);
	assert_int_equal(in_pipe, CONSOLE_READ_ONLY);
	assert_int_equal(out_pipe, CONSOLE_READ_ONLY);
}

/* ---- interactive ------------------------------------------------------- */

static void test_interactive_both_ways(void **state)
{
	struct fx *f = *state;
	start(f, CONSOLE_INTERACTIVE);
	put(f->term.m, "hello");
	expect(f, f->cont.s, "hello");
	put(f->cont.s, "world\n");
	expect(f, f->term.m, "world\n");   /* raw: no \r added on our side */
	put(f->term.m, "\x03\x1a\x04");    /* ^C ^Z ^D are bytes for the container */
	expect(f, f->cont.s, "\x03\x1a\x04");
	assert_int_equal(f->escapes, 0);
}

/* One terminal for both: wholly raw while running, exactly as before after. */
static void test_raw_mode_one_terminal(void **state)
{
	struct fx *f = *state;
	struct termios before = attr(f->term.s), raw = before;
	cfmakeraw(&raw);
	start(f, CONSOLE_INTERACTIVE);
	struct termios during = attr(f->term.s);
	assert_termios_equal(&during, &raw);
	console_stop(&f->c);
	struct termios after = attr(f->term.s);
	assert_termios_equal(&after, &before);
}

/* Two terminals: stdin keeps its output flags, stdout its input and local
 * flags, as in systemd-nspawn. */
static void test_raw_mode_two_terminals(void **state)
{
	struct fx *f = *state;
	struct pty out;
	pty_open(&out, false);
	struct termios in_before = attr(f->term.s), out_before = attr(out.s);
	struct termios in_raw = in_before, out_raw = out_before;
	cfmakeraw(&in_raw);
	in_raw.c_oflag = in_before.c_oflag;
	cfmakeraw(&out_raw);
	out_raw.c_iflag = out_before.c_iflag;
	out_raw.c_lflag = out_before.c_lflag;

	start_io(f, CONSOLE_INTERACTIVE, f->term.s, out.s, NULL);
	struct termios in_during = attr(f->term.s), out_during = attr(out.s);
	assert_termios_equal(&in_during, &in_raw);
	assert_termios_equal(&out_during, &out_raw);
	console_stop(&f->c);
	struct termios in_after = attr(f->term.s), out_after = attr(out.s);
	assert_termios_equal(&in_after, &in_before);
	assert_termios_equal(&out_after, &out_before);
	pty_close(&out);
}

/* Restored after an escape too, and O_NONBLOCK never reaches the
 * terminal's own file description (the user's shell shares it). */
static void test_terminal_restored_after_escape(void **state)
{
	struct fx *f = *state;
	struct termios before = attr(f->term.s);
	int flags = fcntl(f->term.s, F_GETFL);
	start(f, CONSOLE_INTERACTIVE);
	assert_int_equal(fcntl(f->term.s, F_GETFL), flags);
	put(f->term.m, ESC ESC ESC);
	expect(f, f->cont.s, ESC ESC ESC);
	assert_int_equal(f->escapes, 1);
	console_stop(&f->c);
	struct termios after = attr(f->term.s);
	assert_termios_equal(&after, &before);
	assert_int_equal(fcntl(f->term.s, F_GETFL), flags);
}

/* A socket cannot be opened anew: its flags are switched and put back. */
static void test_socket_flags_restored(void **state)
{
	struct fx *f = *state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	int flags = fcntl(sv[0], F_GETFL);
	assert_false(flags & O_NONBLOCK);
	start_io(f, CONSOLE_READ_ONLY, -1, sv[0], NULL);
	assert_true(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	put(f->cont.s, "via socket");
	set_nonblock(sv[1]);
	expect(f, sv[1], "via socket");
	console_stop(&f->c);
	assert_int_equal(fcntl(sv[0], F_GETFL), flags);
	close(sv[0]);
	close(sv[1]);
}

/* Stdin at EOF is no longer read (or polled); output still flows. */
static void test_stdin_eof_keeps_output(void **state)
{
	struct fx *f = *state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	start_io(f, CONSOLE_INTERACTIVE, p[0], f->term.s, NULL);
	put(p[1], "last words");
	close(p[1]);
	expect(f, f->cont.s, "last words");
	pump(f, 30);
	struct pollfd fds[CONSOLE_POLLFDS];
	int n = console_pollfds(&f->c, fds, CONSOLE_POLLFDS);
	assert_int_equal(n, 1);
	assert_int_equal(fds[0].fd, f->cont.m);
	put(f->cont.s, "still here");
	expect(f, f->term.m, "still here");
	close(p[0]);
}

/* Both directions at once, more than every buffer on the way holds, while
 * the test reads the terminal slowly: partial writes and EAGAIN on every
 * fd, neither direction waiting for the other. */
static void test_bulk_both_ways(void **state)
{
	struct fx *f = *state;
	enum { SIZE = 256 * 1024 };
	char *up = malloc(SIZE), *down = malloc(SIZE), *got_up = malloc(SIZE), *got_down = malloc(SIZE);
	assert_true(up && down && got_up && got_down);
	for (size_t i = 0; i < SIZE; i++) {
		up[i] = (char)('a' + i % 26);          /* no ^] */
		down[i] = (char)('A' + (i * 7) % 26);
	}
	start(f, CONSOLE_INTERACTIVE);
	size_t sent_up = 0, sent_down = 0, n_up = 0, n_down = 0;
	uint64_t end = now_ms() + 20000;
	for (int turn = 0; (n_up < SIZE || n_down < SIZE) && now_ms() < end; turn++) {
		ssize_t r;
		if (sent_up < SIZE && (r = write(f->term.m, up + sent_up, SIZE - sent_up)) > 0)
			sent_up += (size_t)r;
		if (sent_down < SIZE && (r = write(f->cont.s, down + sent_down, SIZE - sent_down)) > 0)
			sent_down += (size_t)r;
		step(f, 5);
		if ((r = read(f->cont.s, got_up + n_up, SIZE - n_up)) > 0)
			n_up += (size_t)r;
		if (turn % 4 == 0 && (r = read(f->term.m, got_down + n_down, (SIZE - n_down) < 1000 ? SIZE - n_down : 1000)) > 0)
			n_down += (size_t)r;
	}
	assert_int_equal(n_up, SIZE);
	assert_int_equal(n_down, SIZE);
	assert_memory_equal(got_up, up, SIZE);
	assert_memory_equal(got_down, down, SIZE);
	assert_int_equal(f->escapes, 0);
	free(up);
	free(down);
	free(got_up);
	free(got_down);
}

static void test_banner(void **state)
{
	struct fx *f = *state;
	int p[2], saved = dup(2);
	char buf[256] = "";
	assert_int_equal(pipe(p), 0);
	set_nonblock(p[0]);
	dup2(p[1], 2);
	struct console_opts o = { .in_fd = f->term.s, .out_fd = f->term.s };
	f->given = true;
	int r = console_start(&f->c, f->cont.m, CONSOLE_INTERACTIVE, &o, &f->e);
	dup2(saved, 2);
	close(saved);
	close(p[1]);
	assert_int_equal(r, 0);
	size_t n = 0;
	ssize_t got;
	while (n < sizeof buf - 1 && (got = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)got;
	close(p[0]);
	assert_string_equal(buf, "volspawn: " BANNER "\n");
}

static void test_quiet_no_banner(void **state)
{
	struct fx *f = *state;
	int p[2], saved = dup(2);
	assert_int_equal(pipe(p), 0);
	set_nonblock(p[0]);
	dup2(p[1], 2);
	start(f, CONSOLE_INTERACTIVE);   /* quiet */
	dup2(saved, 2);
	close(saved);
	close(p[1]);
	char b;
	assert_int_equal(read(p[0], &b, 1), 0);
	close(p[0]);
}

/* ---- the escape -------------------------------------------------------- */

/* Type one byte at the fake time t (in ms), let it through; true if it
 * made the relay return CONSOLE_ESCAPE. */
static bool type_at(struct fx *f, const char *s, uint64_t t_ms)
{
	int before = f->escapes;
	fake_ns = 100 * SEC + t_ms * 1000000;
	put(f->term.m, s);
	expect(f, f->cont.s, s);   /* ^] goes to the container too */
	return f->escapes > before;
}

static void test_escape_three_within_a_second(void **state)
{
	struct fx *f = *state;
	start_io(f, CONSOLE_INTERACTIVE, f->term.s, f->term.s, fake_now);
	assert_false(type_at(f, ESC, 0));
	assert_false(type_at(f, ESC, 400));
	assert_true(type_at(f, ESC, 1000));   /* within 1 s of the first, just */
}

static void test_escape_too_slow(void **state)
{
	struct fx *f = *state;
	start_io(f, CONSOLE_INTERACTIVE, f->term.s, f->term.s, fake_now);
	assert_false(type_at(f, ESC, 0));
	assert_false(type_at(f, ESC, 500));
	assert_false(type_at(f, ESC, 1001));  /* more than 1 s after the first: a new first */
	assert_false(type_at(f, ESC, 1500));
	assert_true(type_at(f, ESC, 2000));
}

static void test_escape_reset_by_other_byte(void **state)
{
	struct fx *f = *state;
	start_io(f, CONSOLE_INTERACTIVE, f->term.s, f->term.s, fake_now);
	assert_false(type_at(f, ESC, 0));
	assert_false(type_at(f, ESC, 100));
	assert_false(type_at(f, "x", 200));
	assert_false(type_at(f, ESC, 300));
	assert_false(type_at(f, ESC, 400));
	assert_true(type_at(f, ESC, 500));
	/* counting starts over after an escape */
	assert_false(type_at(f, ESC, 600));
	assert_false(type_at(f, "y" ESC ESC, 700));
	assert_int_equal(f->escapes, 1);
}

/* Read in one go, as a paste or a fast typist delivers them. */
static void test_escape_in_one_read(void **state)
{
	struct fx *f = *state;
	start_io(f, CONSOLE_INTERACTIVE, f->term.s, f->term.s, fake_now);
	assert_true(type_at(f, "ls" ESC ESC ESC, 0));
}

/* ---- read-only and passive --------------------------------------------- */

/* Stdin is never polled nor read, and the terminal keeps its settings. */
static void test_read_only_never_reads_stdin(void **state)
{
	struct fx *f = *state;
	no_echo(f->term.s);
	struct termios t = attr(f->term.s);
	start(f, CONSOLE_READ_ONLY);
	struct termios during = attr(f->term.s);
	assert_termios_equal(&during, &t);
	put(f->term.m, "typed\n");
	put(f->cont.s, "out\n");
	expect(f, f->term.m, "out\r\n");   /* the terminal's own ONLCR */
	for (int i = 0; i < 20; i++) {
		struct pollfd fds[CONSOLE_POLLFDS];
		int n = console_pollfds(&f->c, fds, CONSOLE_POLLFDS);
		for (int j = 0; j < n; j++)
			assert_true(fds[j].fd == f->cont.m || !(fds[j].events & POLLIN));
		step(f, 5);
	}
	assert_nothing(f->cont.s);
	console_stop(&f->c);
	char buf[16];
	set_nonblock(f->term.s);
	assert_int_equal(read(f->term.s, buf, sizeof buf), 6);   /* still there for the shell */
	assert_memory_equal(buf, "typed\n", 6);
}

static void test_passive_forwards_nothing_until_stop(void **state)
{
	struct fx *f = *state;
	no_echo(f->term.s);
	start(f, CONSOLE_PASSIVE);
	put(f->cont.s, "boot\ntail");
	put(f->term.m, "typed");
	for (int i = 0; i < 10; i++)
		assert_int_equal(step(f, 5), 0);   /* nothing to poll */
	assert_int_equal(console_timeout_ms(&f->c), -1);
	assert_nothing(f->term.m);
	assert_nothing(f->cont.s);
	console_stop(&f->c);
	expect(f, f->term.m, "boot\r\ntail\r\n");   /* and the missing newline */
}

/* The last output is copied out on stop in the other modes too, and a
 * raw terminal gets \r\n after an unfinished line. */
static void test_stop_flushes_and_ends_line(void **state)
{
	struct fx *f = *state;
	start(f, CONSOLE_INTERACTIVE);
	put(f->cont.s, "poweroff");
	console_stop(&f->c);
	expect(f, f->term.m, "poweroff\r\n");
	assert_nothing(f->term.m);
}

/* Nobody reads our output any more: it is dropped, and the container's
 * console still drains instead of blocking. */
static void test_output_hangup_drops_output(void **state)
{
	struct fx *f = *state;
	int p[2];
	char chunk[4096];
	memset(chunk, 'z', sizeof chunk);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	start_io(f, CONSOLE_READ_ONLY, -1, p[1], NULL);
	size_t written = 0;
	uint64_t end = now_ms() + 5000;
	while (written < 512 * 1024 && now_ms() < end) {
		ssize_t r = write(f->cont.s, chunk, sizeof chunk);
		if (r > 0)
			written += (size_t)r;
		step(f, 5);
	}
	assert_true(written >= 512 * 1024);
	console_stop(&f->c);
	close(p[1]);
}

/* ---- window size ------------------------------------------------------- */

static void test_winsize_at_start_and_on_winch(void **state)
{
	struct fx *f = *state;
	set_winsize(f->term.m, 132, 43);
	start(f, CONSOLE_INTERACTIVE);
	assert_winsize(f->cont.s, 132, 43);
	set_winsize(f->term.m, 100, 30);
	assert_winsize(f->cont.s, 132, 43);
	console_winch(&f->c);
	assert_winsize(f->cont.s, 100, 30);
}

/* No terminal on stdout: $COLUMNS and $LINES, else 80x24. */
static void test_winsize_fallback(void **state)
{
	struct fx *f = *state;
	char *cols = getenv("COLUMNS"), *lines = getenv("LINES");
	cols = cols ? strdup(cols) : NULL;
	lines = lines ? strdup(lines) : NULL;
	int p[2];
	assert_int_equal(pipe(p), 0);

	setenv("COLUMNS", "90", 1);
	setenv("LINES", "33", 1);
	start_io(f, CONSOLE_READ_ONLY, -1, p[1], NULL);
	assert_winsize(f->cont.s, 90, 33);
	unsetenv("COLUMNS");
	setenv("LINES", "junk", 1);
	console_winch(&f->c);
	assert_winsize(f->cont.s, 80, 24);

	if (cols)
		setenv("COLUMNS", cols, 1);
	if (lines)
		setenv("LINES", lines, 1);
	else
		unsetenv("LINES");
	free(cols);
	free(lines);
	console_stop(&f->c);
	close(p[0]);
	close(p[1]);
}

/* ---- a master without a slave ------------------------------------------ */

/* Before PID 1 opens its console, and between two openers, poll reports
 * POLLHUP on the master at once, every time: the relay must sleep, not
 * spin, and pick up again when a slave is opened. */
static void test_hangup_does_not_spin(void **state)
{
	struct fx *f = *state;
	close(f->cont.s);
	f->cont.s = -1;
	start(f, CONSOLE_INTERACTIVE);

	struct rusage ru0, ru1;
	getrusage(RUSAGE_SELF, &ru0);
	uint64_t t0 = now_ms();
	int turns = 0;
	while (now_ms() - t0 < 300) {
		step(f, 1000);   /* the caller would sleep long: the relay sets the pace */
		turns++;
	}
	getrusage(RUSAGE_SELF, &ru1);
	long cpu_us = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1000000L + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) +
		      (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1000000L + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec);
	if (turns > 60)
		fail_msg("%d turns of the loop in 300 ms: it spins", turns);
	assert_true(turns >= 4);          /* but it does come back to the master */
	assert_true(cpu_us < 150000);     /* half the time, generous for valgrind */

	make_raw(f->cont.m);   /* termios on a master set its slave's: no echo on reopening */
	put(f->term.m, "typed early");  /* queued in the pty meanwhile */
	pump(f, 30);
	f->cont.s = open(f->cont.name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(f->cont.s >= 0);
	make_raw(f->cont.s);
	expect(f, f->cont.s, "typed early");
	put(f->cont.s, "booted");
	expect(f, f->term.m, "booted");
	put(f->term.m, "login");
	expect(f, f->cont.s, "login");
}

/* The slave opened then closed again (systemd does so with /dev/console):
 * what was written before the close still comes through. */
static void test_output_before_hangup_arrives(void **state)
{
	struct fx *f = *state;
	start(f, CONSOLE_READ_ONLY);
	put(f->cont.s, "goodbye");
	close(f->cont.s);
	f->cont.s = -1;
	expect(f, f->term.m, "goodbye");
}

/* ---- lifecycle --------------------------------------------------------- */

static void test_never_started_is_inert(void **state)
{
	(void)state;
	struct console c = { 0 };
	struct pollfd fds[CONSOLE_POLLFDS];
	struct err e = { 0 };
	assert_int_equal(console_pollfds(&c, fds, CONSOLE_POLLFDS), 0);
	assert_int_equal(console_timeout_ms(&c), -1);
	assert_int_equal(console_dispatch(&c, fds, 0, &e), 0);
	console_winch(&c);
	console_stop(&c);
}

static void test_stop_is_idempotent(void **state)
{
	struct fx *f = *state;
	start(f, CONSOLE_INTERACTIVE);
	console_stop(&f->c);
	console_stop(&f->c);
	assert_int_equal(console_pollfds(&f->c, (struct pollfd[CONSOLE_POLLFDS]){ 0 }, CONSOLE_POLLFDS), 0);
	assert_int_equal(fcntl(f->cont.m, F_GETFD), -1);   /* master closed */
}

static void test_start_pipe_refused(void **state)
{
	struct fx *f = *state;
	struct console_opts o = { .in_fd = f->term.s, .out_fd = f->term.s, .quiet = true };
	f->given = true;
	assert_int_equal(console_start(&f->c, f->cont.m, CONSOLE_PIPE, &o, &f->e), -EINVAL);
	assert_int_equal(f->e.code, EINVAL);
	assert_int_equal(fcntl(f->cont.m, F_GETFD), -1);
}

/* A failing start leaves the terminal and its flags as they were. */
static void test_start_failure_leaves_terminal(void **state)
{
	struct fx *f = *state;
	struct termios before = attr(f->term.s);
	int flags = fcntl(f->term.s, F_GETFL), bad = 1000;   /* stdin closed */
	assert_int_equal(fcntl(bad, F_GETFD), -1);
	struct console_opts o = { .in_fd = bad, .out_fd = f->term.s, .quiet = true };
	f->given = true;
	assert_int_equal(console_start(&f->c, f->cont.m, CONSOLE_INTERACTIVE, &o, &f->e), -EBADF);
	assert_non_null(strstr(f->e.msg, "input"));
	assert_false(f->c.running);
	struct termios after = attr(f->term.s);
	assert_termios_equal(&after, &before);
	assert_int_equal(fcntl(f->term.s, F_GETFL), flags);
	assert_int_equal(fcntl(f->cont.m, F_GETFD), -1);
}

/* ---- the container's side ---------------------------------------------- */

static void test_open_pty(void **state)
{
	(void)state;
	struct err e = { 0 };
	int m = -1;
	char path[64];
	if (console_open_pty(&m, path, sizeof path, &e) < 0)
		fail_msg("console_open_pty: %s", e.msg);
	assert_true(fcntl(m, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(strncmp(path, "/dev/pts/", 9), 0);
	char name[64];
	assert_int_equal(ptsname_r(m, name, sizeof name), 0);
	assert_string_equal(path, name);
	int s = open(path, O_RDWR | O_NOCTTY);   /* unlocked */
	assert_true(s >= 0);
	make_raw(s);
	put(s, "hi");
	char b[2];
	assert_int_equal(read(m, b, 2), 2);
	assert_memory_equal(b, "hi", 2);
	close(s);
	close(m);

	assert_int_equal(console_open_pty(&m, path, 8, &e), -ENAMETOOLONG);
}

/* In a child: the slave becomes stdio and the controlling terminal of a
 * new session; what it writes reaches the master. */
static void test_attach_stdio(void **state)
{
	(void)state;
	struct err e = { 0 };
	int m;
	char path[64];
	assert_int_equal(console_open_pty(&m, path, sizeof path, &e), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(m);
		if (console_attach_stdio(path, &e) < 0)
			_exit(10);
		if (!isatty(0) || !isatty(1) || !isatty(2))
			_exit(11);
		pid_t sid = -1;   /* not tcgetsid(): valgrind knows no TIOCGSID */
		if (getsid(0) != getpid() || ioctl(0, TIOCGSID, &sid) < 0 || sid != getpid())
			_exit(12);
		int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);   /* only with a controlling terminal */
		if (tty < 0)
			_exit(15);
		close(tty);
		if (fcntl(0, F_GETFD) & FD_CLOEXEC)
			_exit(13);
		if (write(1, "up", 2) != 2 || write(2, "!", 1) != 1)
			_exit(14);
		_exit(0);
	}
	char b[3];
	size_t n = 0;
	uint64_t end = now_ms() + 3000;
	set_nonblock(m);
	while (n < 3 && now_ms() < end) {
		ssize_t r = read(m, b + n, 3 - n);
		if (r > 0)
			n += (size_t)r;
		else
			usleep(1000);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(b, "up!", 3);
	close(m);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	/* a reader gone must show as EPIPE, as the front arranges too */
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		T(test_default_mode),
		T(test_interactive_both_ways),
		T(test_raw_mode_one_terminal),
		T(test_raw_mode_two_terminals),
		T(test_terminal_restored_after_escape),
		T(test_socket_flags_restored),
		T(test_stdin_eof_keeps_output),
		T(test_bulk_both_ways),
		T(test_banner),
		T(test_quiet_no_banner),
		T(test_escape_three_within_a_second),
		T(test_escape_too_slow),
		T(test_escape_reset_by_other_byte),
		T(test_escape_in_one_read),
		T(test_read_only_never_reads_stdin),
		T(test_passive_forwards_nothing_until_stop),
		T(test_stop_flushes_and_ends_line),
		T(test_output_hangup_drops_output),
		T(test_winsize_at_start_and_on_winch),
		T(test_winsize_fallback),
		T(test_hangup_does_not_spin),
		T(test_output_before_hangup_arrives),
		cmocka_unit_test(test_never_started_is_inert),
		T(test_stop_is_idempotent),
		T(test_start_pipe_refused),
		T(test_start_failure_leaves_terminal),
		cmocka_unit_test(test_open_pty),
		cmocka_unit_test(test_attach_stdio),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
