/* test_values_names.c — the names checked by cli/values.c: host names,
 * valid and cleaned up, and user names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cli/values.h"

/* ---- value_hostname_valid / value_hostname_cleanup ---------------------- */

static void test_hostname_valid_accepts(void **state)
{
	char max[65];
	(void)state;
	memset(max, 'a', 64);
	max[64] = '\0';
	assert_true(value_hostname_valid("localhost"));
	assert_true(value_hostname_valid("a"));
	assert_true(value_hostname_valid("web-01.example.COM"));
	assert_true(value_hostname_valid(max));
}

static void test_hostname_valid_rejects_bad_length(void **state)
{
	char long_name[66];
	(void)state;
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	assert_false(value_hostname_valid(""));
	assert_false(value_hostname_valid(long_name));
}

static void test_hostname_valid_rejects_bad_dots(void **state)
{
	(void)state;
	assert_false(value_hostname_valid(".example"));
	assert_false(value_hostname_valid("example."));
	assert_false(value_hostname_valid("a..b"));
	assert_false(value_hostname_valid("."));
}

static void test_hostname_valid_rejects_bad_characters(void **state)
{
	(void)state;
	assert_false(value_hostname_valid("a b"));
	assert_false(value_hostname_valid("a/b"));
	assert_false(value_hostname_valid("a!b"));
	assert_false(value_hostname_valid("h\xc3\xa9llo"));
}

static void cleanup_is(const char *in, const char *expected)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", in);
	value_hostname_cleanup(buf);
	assert_string_equal(buf, expected);
}

static void test_hostname_cleanup_lowercases(void **state)
{
	(void)state;
	cleanup_is("My.Host-1", "my.host-1");
}

static void test_hostname_cleanup_drops_bad_characters(void **state)
{
	(void)state;
	cleanup_is("fedora 40 (server)!", "fedora40server");
}

static void test_hostname_cleanup_fixes_dots(void **state)
{
	(void)state;
	cleanup_is("..a...b..", "a.b");
}

static void test_hostname_cleanup_nothing_left(void **state)
{
	(void)state;
	cleanup_is("!!! ///", "");
}

static void test_hostname_cleanup_truncates_to_64(void **state)
{
	char in[101], out[65];
	(void)state;
	memset(in, 'A', 100);
	in[100] = '\0';
	memset(out, 'a', 64);
	out[64] = '\0';
	cleanup_is(in, out);
}

/* A long name whose 64th byte is a dot must still come out valid. */
static void test_hostname_cleanup_truncation_leaves_valid_name(void **state)
{
	char buf[128];
	(void)state;
	memset(buf, 'a', 63);
	strcpy(buf + 63, ".example");
	value_hostname_cleanup(buf);
	if (!value_hostname_valid(buf))
		fail_msg("cleanup gave an invalid host name \"%s\"", buf);
}

/* ---- value_user_name_valid --------------------------------------------- */

static void test_user_name_valid_accepts(void **state)
{
	char max[33];
	(void)state;
	memset(max, 'u', 32);
	max[32] = '\0';
	assert_true(value_user_name_valid("root"));
	assert_true(value_user_name_valid("_apt"));
	assert_true(value_user_name_valid("systemd-network"));
	assert_true(value_user_name_valid("first.last"));
	assert_true(value_user_name_valid("host$"));
	assert_true(value_user_name_valid(max));
}

static void test_user_name_valid_rejects_bad_length(void **state)
{
	char long_name[34];
	(void)state;
	memset(long_name, 'u', 33);
	long_name[33] = '\0';
	assert_false(value_user_name_valid(""));
	assert_false(value_user_name_valid(long_name));
}

static void test_user_name_valid_rejects_bad_start(void **state)
{
	(void)state;
	assert_false(value_user_name_valid("-user"));
	assert_false(value_user_name_valid("1000"));
}

static void test_user_name_valid_rejects_bad_characters(void **state)
{
	(void)state;
	assert_false(value_user_name_valid("us$er"));
	assert_false(value_user_name_valid("a b"));
	assert_false(value_user_name_valid("a:b"));
	assert_false(value_user_name_valid("a/b"));
}

/* No shadow-utils version accepts these. */
static void test_user_name_valid_rejects_lone_dollar(void **state)
{
	(void)state;
	assert_false(value_user_name_valid("$"));
}

static void test_user_name_valid_rejects_dot_names(void **state)
{
	(void)state;
	assert_false(value_user_name_valid("."));
	assert_false(value_user_name_valid(".."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostname_valid_accepts),
		cmocka_unit_test(test_hostname_valid_rejects_bad_length),
		cmocka_unit_test(test_hostname_valid_rejects_bad_dots),
		cmocka_unit_test(test_hostname_valid_rejects_bad_characters),
		cmocka_unit_test(test_hostname_cleanup_lowercases),
		cmocka_unit_test(test_hostname_cleanup_drops_bad_characters),
		cmocka_unit_test(test_hostname_cleanup_fixes_dots),
		cmocka_unit_test(test_hostname_cleanup_nothing_left),
		cmocka_unit_test(test_hostname_cleanup_truncates_to_64),
		cmocka_unit_test(test_hostname_cleanup_truncation_leaves_valid_name),

		cmocka_unit_test(test_user_name_valid_accepts),
		cmocka_unit_test(test_user_name_valid_rejects_bad_length),
		cmocka_unit_test(test_user_name_valid_rejects_bad_start),
		cmocka_unit_test(test_user_name_valid_rejects_bad_characters),
		cmocka_unit_test(test_user_name_valid_rejects_lone_dollar),
		cmocka_unit_test(test_user_name_valid_rejects_dot_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
