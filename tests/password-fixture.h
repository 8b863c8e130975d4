/* password-fixture.h — what the test_password.c and test_hash_password.c
 * programs share: a pseudo-terminal with a typist at its master end, who
 * waits for each prompt, checks that echo is off, types, and checks that no
 * secret came back. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pty.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* What the typist waits to see, then types; secret must never come back. */
struct typing {
	const char *prompt;
	const char *keys;
	const char *secret;
};

/* Read the terminal's output into out until needle shows after *from;
 * *from then points past it. */
static inline bool await(int master, char *out, size_t *len, size_t *from, const char *needle)
{
	for (;;) {
		char *at = memmem(out + *from, *len - *from, needle, strlen(needle));
		if (at) {
			*from = (size_t)(at - out) + strlen(needle);
			return true;
		}
		ssize_t n = read(master, out + *len, 4095 - *len);
		if (n <= 0)
			return false;
		*len += (size_t)n;
	}
}

/* The typist's life, in a child: for each step, wait for the prompt, check
 * that echo is off, type. Then wait for the final newline, check that no
 * secret was echoed, and hold the terminal open until done closes. */
static inline void typist(int master, int slave, int done, const struct typing *t, size_t n)
{
	char out[4096] = { 0 }, c;
	size_t len = 0, from = 0;
	struct termios tio;

	alarm(20);
	for (size_t i = 0; i < n; i++) {
		if (!await(master, out, &len, &from, t[i].prompt))
			_exit(10);
		if (tcgetattr(slave, &tio) < 0 || (tio.c_lflag & ECHO))
			_exit(11);
		if (write(master, t[i].keys, strlen(t[i].keys)) != (ssize_t)strlen(t[i].keys))
			_exit(12);
	}
	if (!await(master, out, &len, &from, "\n"))
		_exit(13);
	for (size_t i = 0; i < n; i++)
		if (t[i].secret && memmem(out, len, t[i].secret, strlen(t[i].secret)))
			_exit(14);
	while (read(done, &c, 1) > 0)
		;
	_exit(0);
}

/* A pseudo-terminal with a typist at its master end. */
struct pty {
	int slave;
	int done;            /* close to let the typist go */
	pid_t typist;
	struct termios before;
};

static inline void pty_start(struct pty *p, const struct typing *t, size_t n)
{
	int master, done[2];
	assert_int_equal(openpty(&master, &p->slave, NULL, NULL, NULL), 0);
	assert_int_equal(pipe(done), 0);
	assert_int_equal(tcgetattr(p->slave, &p->before), 0);
	assert_true(p->before.c_lflag & ECHO);
	p->typist = fork();
	assert_true(p->typist >= 0);
	if (p->typist == 0) {
		close(done[1]);
		typist(master, p->slave, done[0], t, n);
	}
	/* Only the typist holds the master: if it dies, reads see EIO, no hang. */
	close(master);
	close(done[0]);
	p->done = done[1];
}

/* The terminal is as it was before, and the typist saw what it expected. */
static inline void pty_finish(struct pty *p)
{
	struct termios after;
	int status;
	assert_int_equal(tcgetattr(p->slave, &after), 0);
	assert_int_equal(after.c_lflag, p->before.c_lflag);
	assert_int_equal(after.c_iflag, p->before.c_iflag);
	assert_int_equal(after.c_cc[VMIN], p->before.c_cc[VMIN]);
	close(p->done);
	assert_int_equal(waitpid(p->typist, &status, 0), p->typist);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("typist failed (status %#x)", status);
	close(p->slave);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
