/* test_hash_password.c — `volspawn hash-password`: hash_password_main
 * hashing a line from a pipe, or a password asked twice on a terminal
 * (password-fixture.h types it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "creds/password.h"
#include "password-fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
