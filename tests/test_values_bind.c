/* test_values_bind.c — value_bind of cli/values.c: the SRC[:DST[:OPTIONS]]
 * of --bind and --bind-ro. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cli/values.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

#define assert_not_contains(haystack, needle)                                    \
	do {                                                                     \
		if (strstr((haystack), (needle)))                                \
			fail_msg("\"%s\" contains \"%s\"", (haystack), (needle)); \
	} while (0)

/* ---- value_bind -------------------------------------------------------- */

/* Parse a spec that must be accepted; the caller frees b. */
static void bind_ok(const char *s, bool ro, struct bind *b)
{
	struct err e = { 0 };
	int r = value_bind(s, ro, b, &e);
	if (r != 0)
		fail_msg("value_bind(\"%s\") = %d: %s", s, r, e.msg);
}

/* Parse a spec that must be rejected with EINVAL; e gets the message. */
static void bind_rejected(const char *s, bool ro, struct err *e)
{
	struct bind b = { 0 };
	int r = value_bind(s, ro, &b, e);
	if (r == 0)
		value_bind_free(&b);
	if (r != -EINVAL)
		fail_msg("value_bind(\"%s\") = %d, expected -EINVAL", s, r);
	assert_int_equal(e->code, EINVAL);
	assert_true(e->msg[0] != '\0');
}

static void test_bind_source_only_binds_to_same_path(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data", false, &b);
	assert_string_equal(b.src, "/srv/data");
	assert_string_equal(b.dst, "/srv/data");
	value_bind_free(&b);
}

static void test_bind_source_and_destination(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data:/mnt/data", false, &b);
	assert_string_equal(b.src, "/srv/data");
	assert_string_equal(b.dst, "/mnt/data");
	value_bind_free(&b);
}

static void test_bind_empty_destination_means_source(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data::norbind", false, &b);
	assert_string_equal(b.src, "/srv/data");
	assert_string_equal(b.dst, "/srv/data");
	assert_false(b.recursive);
	value_bind_free(&b);
}

static void test_bind_is_recursive_by_default(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data:/mnt", false, &b);
	assert_true(b.recursive);
	value_bind_free(&b);
}

static void test_bind_norbind_option(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data:/mnt:norbind", false, &b);
	assert_false(b.recursive);
	value_bind_free(&b);
}

static void test_bind_rbind_option(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data:/mnt:rbind", false, &b);
	assert_true(b.recursive);
	value_bind_free(&b);
}

static void test_bind_escaped_colons_stay_in_paths(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/a\\:b:/mnt/c\\:d:norbind", false, &b);
	assert_string_equal(b.src, "/srv/a:b");
	assert_string_equal(b.dst, "/mnt/c:d");
	assert_false(b.recursive);
	value_bind_free(&b);
}

static void test_bind_read_only_flag_is_passed_through(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/data", true, &b);
	assert_true(b.read_only);
	value_bind_free(&b);
	bind_ok("/srv/data", false, &b);
	assert_false(b.read_only);
	value_bind_free(&b);
}

static void test_bind_relative_source_rejected(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("srv/data:/mnt", false, &e);
	assert_contains(e.msg, "srv/data");
}

static void test_bind_relative_destination_rejected(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("/srv/data:mnt", false, &e);
	assert_contains(e.msg, "'mnt'");
}

static void test_bind_dot_dot_component_rejected(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("/srv/../etc", false, &e);
	bind_rejected("/srv/data:/mnt/..", false, &e);
	bind_rejected("/srv/./data", false, &e);
}

static void test_bind_dots_inside_names_allowed(void **state)
{
	struct bind b;
	(void)state;
	bind_ok("/srv/..data:/mnt/x..", false, &b);
	assert_string_equal(b.src, "/srv/..data");
	assert_string_equal(b.dst, "/mnt/x..");
	value_bind_free(&b);
}

static void test_bind_too_many_fields_rejected(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("/a:/b:rbind:/c", false, &e);
}

static void test_bind_unknown_option_rejected(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("/a:/b:ro", false, &e);
	assert_contains(e.msg, "'ro'");
}

static void test_bind_message_names_bind(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("relative", false, &e);
	assert_contains(e.msg, "--bind=");
	assert_not_contains(e.msg, "--bind-ro");
}

static void test_bind_message_names_bind_ro(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("relative", true, &e);
	assert_contains(e.msg, "--bind-ro=");
	bind_rejected("/a:/b:rbind:/c", true, &e);
	assert_contains(e.msg, "--bind-ro=");
}

/* The option name should be in every value_bind message, including this one. */
static void test_bind_unknown_option_message_names_bind_ro(void **state)
{
	struct err e = { 0 };
	(void)state;
	bind_rejected("/a:/b:ro", true, &e);
	assert_contains(e.msg, "--bind-ro");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_source_only_binds_to_same_path),
		cmocka_unit_test(test_bind_source_and_destination),
		cmocka_unit_test(test_bind_empty_destination_means_source),
		cmocka_unit_test(test_bind_is_recursive_by_default),
		cmocka_unit_test(test_bind_norbind_option),
		cmocka_unit_test(test_bind_rbind_option),
		cmocka_unit_test(test_bind_escaped_colons_stay_in_paths),
		cmocka_unit_test(test_bind_read_only_flag_is_passed_through),
		cmocka_unit_test(test_bind_relative_source_rejected),
		cmocka_unit_test(test_bind_relative_destination_rejected),
		cmocka_unit_test(test_bind_dot_dot_component_rejected),
		cmocka_unit_test(test_bind_dots_inside_names_allowed),
		cmocka_unit_test(test_bind_too_many_fields_rejected),
		cmocka_unit_test(test_bind_unknown_option_rejected),
		cmocka_unit_test(test_bind_message_names_bind),
		cmocka_unit_test(test_bind_message_names_bind_ro),
		cmocka_unit_test(test_bind_unknown_option_message_names_bind_ro),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
