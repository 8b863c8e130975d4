/* test_console.c — the console relay, driven for real (console-fixture.h):
 * the default mode, the interactive relay and its terminal settings, and the
 * escape. The other modes and the pty's events are in test_console_output.c,
 * its start, stop and window size and the container's side in
 * test_console_lifecycle.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console/console.h"
#include "console-fixture.h"

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
