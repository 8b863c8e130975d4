/* test_password.c — yescrypt hashes, passwords read from a terminal without
 * echo, and `volspawn hash-password`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "creds/password.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* hash is plain's, by crypt(3) itself. */
static void assert_verifies(const char *plain, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	assert_non_null(cd);
	const char *again = crypt_r(plain, hash, cd);
	assert_non_null(again);
	assert_string_equal(again, hash);
	free(cd);
}

static void assert_does_not_verify(const char *plain, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	assert_non_null(cd);
	const char *again = crypt_r(plain, hash, cd);
	assert_true(again == NULL || strcmp(again, hash) != 0);
	free(cd);
}

/* ---- password_hash ---------------------------------------------------- */

static void test_hash_is_yescrypt_and_verifies(void **state)
{
	struct err e = { 0 };
	char *hash = NULL;
	(void)state;
	assert_int_equal(password_hash("correct horse", &hash, &e), 0);
	assert_true(strncmp(hash, "$y$", 3) == 0);
	assert_verifies("correct horse", hash);
	assert_does_not_verify("correct hors", hash);
	assert_does_not_verify("Correct horse", hash);
	free(hash);
}

static void test_hash_salted_differently_each_time(void **state)
{
	struct err e = { 0 };
	char *a = NULL, *b = NULL;
	(void)state;
	assert_int_equal(password_hash("same", &a, &e), 0);
	assert_int_equal(password_hash("same", &b, &e), 0);
	assert_string_not_equal(a, b);
	assert_verifies("same", a);
	assert_verifies("same", b);
	free(a);
	free(b);
}

static void test_hash_longest_password(void **state)
{
	struct err e = { 0 };
	char plain[PASSWORD_MAX + 2], *hash = NULL;
	(void)state;
	memset(plain, 'p', PASSWORD_MAX);
	plain[PASSWORD_MAX] = '\0';
	assert_int_equal(password_hash(plain, &hash, &e), 0);
	assert_verifies(plain, hash);
	free(hash);
	plain[PASSWORD_MAX] = 'p';
	plain[PASSWORD_MAX + 1] = '\0';
	assert_int_equal(password_hash(plain, &hash, &e), -EINVAL);
	assert_contains(e.msg, "longer than 511 bytes");
}

static void test_hash_utf8_password(void **state)
{
	struct err e = { 0 };
	char *hash = NULL;
	(void)state;
	assert_int_equal(password_hash("p\xc3\xa4ssw\xc3\xb6rd \xe2\x82\xac", &hash, &e), 0);
	assert_verifies("p\xc3\xa4ssw\xc3\xb6rd \xe2\x82\xac", hash);
	free(hash);
}

/* ---- password_read on a pseudo-terminal ------------------------------ */

/* What the typist waits to see, then types; secret must never come back. */
struct typing {
	const char *prompt;
	const char *keys;
	const char *secret;
};

/* Read the terminal's output into out until needle shows after *from;
 * *from then points past it. */
static bool await(int master, char *out, size_t *len, size_t *from, const char *needle)
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
static void typist(int master, int slave, int done, const struct typing *t, size_t n)
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

static void pty_start(struct pty *p, const struct typing *t, size_t n)
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
static void pty_finish(struct pty *p)
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

/* password_read on a terminal where t is typed; returns its result. */
static int read_typed(const struct typing *t, size_t n, bool confirm, char **out, struct err *e)
{
	struct pty p;
	pty_start(&p, t, n);
	int r = password_read(p.slave, "Password: ", confirm, out, e);
	pty_finish(&p);
	return r;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_read_without_echo(void **state)
{
	const struct typing t[] = { { "Password: ", "s3cret\n", "s3cret" } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), 0);
	assert_string_equal(pw, "s3cret");
	password_free(pw);
}

static void test_read_carriage_return_ends_line(void **state)
{
	const struct typing t[] = { { "Password: ", "s3cret\r", "s3cret" } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), 0);
	assert_string_equal(pw, "s3cret");
	password_free(pw);
}

static void test_read_confirmed(void **state)
{
	const struct typing t[] = {
		{ "Password: ", "twice typed\n", "twice" },
		{ "Retype to confirm: ", "twice typed\n", "twice" },
	};
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), true, &pw, &e), 0);
	assert_string_equal(pw, "twice typed");
	password_free(pw);
}

static void test_read_confirm_mismatch_refused(void **state)
{
	const struct typing t[] = {
		{ "Password: ", "first1\n", "first1" },
		{ "Retype to confirm: ", "second2\n", "second2" },
	};
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), true, &pw, &e), -EINVAL);
	assert_string_equal(e.msg, "passwords do not match");
	assert_null(pw);
}

static void test_read_empty_refused(void **state)
{
	const struct typing t[] = { { "Password: ", "\n", NULL } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), -EINVAL);
	assert_contains(e.msg, "empty password");
	assert_null(pw);
}

/* Refused before a second prompt. */
static void test_read_empty_refused_before_confirming(void **state)
{
	const struct typing t[] = { { "Password: ", "\n", NULL } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), true, &pw, &e), -EINVAL);
	assert_contains(e.msg, "empty password");
}

static void test_read_backspace_and_kill_edit(void **state)
{
	const struct typing t[] = { { "Password: ", "junk\x15" "abX\x7f" "c\xc3\xa9\x7f" "d\b" "e\n", "abce" } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), 0);
	assert_string_equal(pw, "abce");
	password_free(pw);
}

/* ^C arrives as a byte and cancels: a signal would leave echo off. */
static void test_read_interrupt_cancels_and_restores(void **state)
{
	const struct typing t[] = { { "Password: ", "half\x03", "half" } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), -ECANCELED);
	assert_contains(e.msg, "cancelled");
	assert_null(pw);
}

static void test_read_eof_on_empty_line_cancels(void **state)
{
	const struct typing t[] = { { "Password: ", "\x04", NULL } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), -ECANCELED);
}

static void test_read_too_long_refused(void **state)
{
	char keys[PASSWORD_MAX + 8];
	memset(keys, 'k', PASSWORD_MAX + 5);
	strcpy(keys + PASSWORD_MAX + 5, "\n");
	const struct typing t[] = { { "Password: ", keys, "kkkk" } };
	struct err e = { 0 };
	char *pw = NULL;
	(void)state;
	assert_int_equal(read_typed(t, N(t), false, &pw, &e), -EINVAL);
	assert_contains(e.msg, "longer than 511 bytes");
}

static void test_read_not_a_terminal_refused(void **state)
{
	struct err e = { 0 };
	char *pw = NULL, buf[16];
	int fds[2];
	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(password_read(fds[1], "Password: ", false, &pw, &e), -ENOTTY);
	assert_contains(e.msg, "no terminal");
	close(fds[1]);
	assert_int_equal(read(fds[0], buf, sizeof buf), 0);   /* no prompt written */
	close(fds[0]);
}

/* ---- hash_password_main ---------------------------------------------- */

struct run {
	int status;
	char out[4096];
	char err[4096];
};

static void read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
}

/* Fork, with stdin from in_fd, stdout and stderr into pipes, and run
 * hash_password_main with args. The child closes other_fd (the writing end
 * of its stdin, when a pipe) so that it sees EOF. */
static pid_t spawn(int in_fd, int other_fd, char **args, int *out_fd, int *err_fd)
{
	int out[2], err[2];
	int argc = 0;
	while (args[argc])
		argc++;
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(20);
		if (dup2(in_fd, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
			_exit(99);
		close(in_fd), close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		if (other_fd >= 0)
			close(other_fd);
		int status = hash_password_main(argc, args);
		fflush(NULL);   /* main's return would; _exit does not */
		_exit(status);
	}
	close(out[1]);
	close(err[1]);
	*out_fd = out[0];
	*err_fd = err[0];
	return pid;
}

static void finish(pid_t pid, int out_fd, int err_fd, struct run *r)
{
	read_all(out_fd, r->out, sizeof r->out);
	read_all(err_fd, r->err, sizeof r->err);
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
	assert_true(WIFEXITED(r->status));
	r->status = WEXITSTATUS(r->status);
}

/* hash_password_main with input on a pipe. */
static void run_piped(const char *input, size_t size, char **args, struct run *r)
{
	int in[2], out_fd, err_fd;
	assert_int_equal(pipe(in), 0);
	pid_t pid = spawn(in[0], in[1], args, &out_fd, &err_fd);
	close(in[0]);
	assert_int_equal(write(in[1], input, size), (ssize_t)size);
	close(in[1]);
	finish(pid, out_fd, err_fd, r);
}

#define RUN(input, r, ...) run_piped((input), sizeof(input) - 1, (char *[]){ "hash-password", __VA_ARGS__ }, (r))

/* Exit 0 and one line on stdout: a hash of plain. */
static void assert_hash_line(struct run *r, const char *plain)
{
	char *nl = strchr(r->out, '\n');
	if (r->status != 0)
		fail_msg("exit %d: %s", r->status, r->err);
	assert_string_equal(r->err, "");
	assert_non_null(nl);
	assert_string_equal(nl + 1, "");
	*nl = '\0';
	assert_true(strncmp(r->out, "$y$", 3) == 0);
	assert_verifies(plain, r->out);
}

/* Exit 1 and one line on stderr holding needle, nothing on stdout. */
static void assert_failed_with(const struct run *r, const char *needle)
{
	assert_int_equal(r->status, 1);
	assert_string_equal(r->out, "");
	assert_true(strncmp(r->err, "volspawn: ", 10) == 0);
	assert_contains(r->err, needle);
	assert_ptr_equal(strchr(r->err, '\n'), r->err + strlen(r->err) - 1);
}

static void test_main_hashes_stdin_line(void **state)
{
	struct run r;
	(void)state;
	RUN("from a pipe\n", &r, NULL);
	assert_hash_line(&r, "from a pipe");
}

static void test_main_line_without_newline(void **state)
{
	struct run r;
	(void)state;
	RUN("no newline", &r, NULL);
	assert_hash_line(&r, "no newline");
}

static void test_main_only_first_line(void **state)
{
	struct run r;
	(void)state;
	RUN("first\nsecond\n", &r, NULL);
	assert_hash_line(&r, "first");
}

static void test_main_keeps_spaces_and_carriage_return(void **state)
{
	struct run r;
	(void)state;
	RUN(" spaced \r\n", &r, NULL);
	assert_hash_line(&r, " spaced \r");
}

static void test_main_empty_stdin_refused(void **state)
{
	struct run r;
	(void)state;
	RUN("", &r, NULL);
	assert_failed_with(&r, "no password on stdin");
}

static void test_main_empty_line_refused(void **state)
{
	struct run r;
	(void)state;
	RUN("\nsecond\n", &r, NULL);
	assert_failed_with(&r, "no password on stdin");
}

static void test_main_nul_refused(void **state)
{
	struct run r;
	(void)state;
	RUN("ab\0cd\n", &r, NULL);
	assert_failed_with(&r, "NUL");
}

static void test_main_longest_line(void **state)
{
	char input[PASSWORD_MAX + 2];
	struct run r;
	(void)state;
	memset(input, 'l', PASSWORD_MAX);
	input[PASSWORD_MAX] = '\n';
	run_piped(input, PASSWORD_MAX + 1, (char *[]){ "hash-password", NULL }, &r);
	input[PASSWORD_MAX] = '\0';
	assert_hash_line(&r, input);
}

static void test_main_too_long_refused(void **state)
{
	char input[PASSWORD_MAX + 3];
	struct run r;
	(void)state;
	memset(input, 'l', PASSWORD_MAX + 1);
	input[PASSWORD_MAX + 1] = '\n';
	run_piped(input, PASSWORD_MAX + 2, (char *[]){ "hash-password", NULL }, &r);
	assert_failed_with(&r, "longer than 511 bytes");
}

static void test_main_help(void **state)
{
	struct run r;
	(void)state;
	RUN("", &r, "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "Usage: volspawn hash-password");
	assert_contains(r.out, "passwd.hashed-password.root");
	RUN("", &r, "-h", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "Usage: volspawn hash-password");
}

static void test_main_argument_refused(void **state)
{
	struct run r;
	(void)state;
	RUN("pw\n", &r, "hunter2", NULL);
	assert_failed_with(&r, "unexpected argument 'hunter2'");
}

static void test_main_on_terminal_asks_twice(void **state)
{
	const struct typing t[] = {
		{ "Password: ", "on a tty\n", "on a tty" },
		{ "Retype to confirm: ", "on a tty\n", "on a tty" },
	};
	struct pty p;
	struct run r;
	int out_fd, err_fd;
	(void)state;
	pty_start(&p, t, N(t));
	pid_t pid = spawn(p.slave, p.done, (char *[]){ "hash-password", NULL }, &out_fd, &err_fd);
	finish(pid, out_fd, err_fd, &r);
	pty_finish(&p);
	assert_hash_line(&r, "on a tty");
}

static void test_main_on_terminal_mismatch_fails(void **state)
{
	const struct typing t[] = {
		{ "Password: ", "one\n", NULL },
		{ "Retype to confirm: ", "two\n", NULL },
	};
	struct pty p;
	struct run r;
	int out_fd, err_fd;
	(void)state;
	pty_start(&p, t, N(t));
	pid_t pid = spawn(p.slave, p.done, (char *[]){ "hash-password", NULL }, &out_fd, &err_fd);
	finish(pid, out_fd, err_fd, &r);
	pty_finish(&p);
	assert_failed_with(&r, "passwords do not match");
}

/* The terminal's keys as a Linux console has them. */
static struct termios console_keys(void)
{
	struct termios t = { 0 };
	t.c_cc[VINTR] = 0x03;
	t.c_cc[VQUIT] = 0x1c;
	t.c_cc[VERASE] = 0x7f;
	t.c_cc[VKILL] = 0x15;
	t.c_cc[VEOF] = 0x04;
	return t;
}

static int type_into(const struct termios *t, const char *keys, size_t n, struct password_line *l)
{
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = password_edit(t, (unsigned char)keys[i], l);
	return r;
}

/* Found by fuzz/password: a typed ^@ went into the line, which then ended
 * early as a C string, and password_free left what followed unwiped. */
static void test_edit_nul_refused(void **state)
{
	static const char keys[] = "ab\0cd\n";
	struct termios t = console_keys();
	char buf[PASSWORD_MAX + 1] = { 0 };
	struct password_line l = { .buf = buf };
	(void)state;
	assert_int_equal(type_into(&t, keys, sizeof keys - 1, &l), 1);
	assert_true(l.nul);
	assert_int_equal(l.len, 4);
	assert_string_equal(buf, "abcd");
}

/* ^U forgets a NUL typed before it, as it forgets the rest of the line. */
static void test_edit_kill_forgets_nul(void **state)
{
	static const char keys[] = "a\0\x15ok\n";
	struct termios t = console_keys();
	char buf[PASSWORD_MAX + 1] = { 0 };
	struct password_line l = { .buf = buf };
	(void)state;
	assert_int_equal(type_into(&t, keys, sizeof keys - 1, &l), 1);
	assert_false(l.nul);
	assert_string_equal(buf, "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_yescrypt_and_verifies),
		cmocka_unit_test(test_hash_salted_differently_each_time),
		cmocka_unit_test(test_hash_longest_password),
		cmocka_unit_test(test_hash_utf8_password),

		cmocka_unit_test(test_read_without_echo),
		cmocka_unit_test(test_read_carriage_return_ends_line),
		cmocka_unit_test(test_read_confirmed),
		cmocka_unit_test(test_read_confirm_mismatch_refused),
		cmocka_unit_test(test_read_empty_refused),
		cmocka_unit_test(test_read_empty_refused_before_confirming),
		cmocka_unit_test(test_read_backspace_and_kill_edit),
		cmocka_unit_test(test_read_interrupt_cancels_and_restores),
		cmocka_unit_test(test_read_eof_on_empty_line_cancels),
		cmocka_unit_test(test_read_too_long_refused),
		cmocka_unit_test(test_edit_nul_refused),
		cmocka_unit_test(test_edit_kill_forgets_nul),
		cmocka_unit_test(test_read_not_a_terminal_refused),

		cmocka_unit_test(test_main_hashes_stdin_line),
		cmocka_unit_test(test_main_line_without_newline),
		cmocka_unit_test(test_main_only_first_line),
		cmocka_unit_test(test_main_keeps_spaces_and_carriage_return),
		cmocka_unit_test(test_main_empty_stdin_refused),
		cmocka_unit_test(test_main_empty_line_refused),
		cmocka_unit_test(test_main_nul_refused),
		cmocka_unit_test(test_main_longest_line),
		cmocka_unit_test(test_main_too_long_refused),
		cmocka_unit_test(test_main_help),
		cmocka_unit_test(test_main_argument_refused),
		cmocka_unit_test(test_main_on_terminal_asks_twice),
		cmocka_unit_test(test_main_on_terminal_mismatch_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
