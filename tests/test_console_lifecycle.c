/* test_console_lifecycle.c — the console relay (console-fixture.h) from
 * start to stop: the window size passed on, a relay never started, stopped
 * twice or failing to start; and the container's side, its pty opened and
 * made stdio. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console/console.h"
#include "console-fixture.h"

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

int main(void)
{
	/* a reader gone must show as EPIPE, as the front arranges too */
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		T(test_winsize_at_start_and_on_winch),
		T(test_winsize_fallback),
		cmocka_unit_test(test_never_started_is_inert),
		T(test_stop_is_idempotent),
		T(test_start_pipe_refused),
		T(test_start_failure_leaves_terminal),
		cmocka_unit_test(test_open_pty),
		cmocka_unit_test(test_attach_stdio),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
