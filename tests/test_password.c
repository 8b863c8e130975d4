/* test_password.c — yescrypt hashes, and passwords read from a terminal
 * without echo (password-fixture.h types them) and edited as they are typed.
 * `volspawn hash-password` is test_hash_password.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
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

/* password_read on a terminal where t is typed; returns its result. */
static int read_typed(const struct typing *t, size_t n, bool confirm, char **out, struct err *e)
{
	struct pty p;
	pty_start(&p, t, n);
	int r = password_read(p.slave, "Password: ", confirm, out, e);
	pty_finish(&p);
	return r;
}

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

/* ---- password_edit --------------------------------------------------- */

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
