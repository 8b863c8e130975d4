/* test_console_output.c — the container's output through the console
 * relay (console-fixture.h): the read-only and passive modes, what is left
 * on stop, a reader gone, and a master before and between the openers of its
 * slave. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "console/console.h"
#include "console-fixture.h"

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

int main(void)
{
	/* a reader gone must show as EPIPE, as the front arranges too */
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		T(test_read_only_never_reads_stdin),
		T(test_passive_forwards_nothing_until_stop),
		T(test_stop_flushes_and_ends_line),
		T(test_output_hangup_drops_output),
		T(test_hangup_does_not_spin),
		T(test_output_before_hangup_arrives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
