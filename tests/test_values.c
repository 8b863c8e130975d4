/* test_values.c — the option-value parsers of cli/values.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

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

/* ---- value_volatile ---------------------------------------------------- */

static enum volatile_mode volatile_of(const char *s)
{
	enum volatile_mode m = (enum volatile_mode)-1;
	struct err e = { 0 };
	assert_int_equal(value_volatile(s, &m, &e), 0);
	assert_int_equal(e.code, 0);
	return m;
}

static void test_volatile_mode_names(void **state)
{
	(void)state;
	assert_int_equal(volatile_of("yes"), VOLATILE_YES);
	assert_int_equal(volatile_of("no"), VOLATILE_NO);
	assert_int_equal(volatile_of("state"), VOLATILE_STATE);
	assert_int_equal(volatile_of("overlay"), VOLATILE_OVERLAY);
}

static void test_volatile_true_booleans_mean_yes(void **state)
{
	(void)state;
	assert_int_equal(volatile_of("true"), VOLATILE_YES);
	assert_int_equal(volatile_of("on"), VOLATILE_YES);
	assert_int_equal(volatile_of("1"), VOLATILE_YES);
}

static void test_volatile_false_booleans_mean_no(void **state)
{
	(void)state;
	assert_int_equal(volatile_of("false"), VOLATILE_NO);
	assert_int_equal(volatile_of("off"), VOLATILE_NO);
	assert_int_equal(volatile_of("0"), VOLATILE_NO);
}

static void test_volatile_without_value_is_yes(void **state)
{
	(void)state;
	assert_int_equal(volatile_of(NULL), VOLATILE_YES);
}

static void test_volatile_bad_value_names_it(void **state)
{
	enum volatile_mode m;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(value_volatile("sometimes", &m, &e), -EINVAL);
	assert_int_equal(e.code, EINVAL);
	assert_contains(e.msg, "sometimes");
}

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

/* ---- value_tmpfs ------------------------------------------------------- */

static void test_tmpfs_default_options(void **state)
{
	struct tmpfs t;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(value_tmpfs("/scratch", &t, &e), 0);
	assert_string_equal(t.path, "/scratch");
	assert_string_equal(t.options, "mode=0755");
	value_tmpfs_free(&t);
}

static void test_tmpfs_empty_options_get_default(void **state)
{
	struct tmpfs t;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(value_tmpfs("/scratch:", &t, &e), 0);
	assert_string_equal(t.path, "/scratch");
	assert_string_equal(t.options, "mode=0755");
	value_tmpfs_free(&t);
}

static void test_tmpfs_custom_options_kept_verbatim(void **state)
{
	struct tmpfs t;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(value_tmpfs("/scratch:mode=1777,size=64m,nr_inodes=1k", &t, &e), 0);
	assert_string_equal(t.path, "/scratch");
	assert_string_equal(t.options, "mode=1777,size=64m,nr_inodes=1k");
	value_tmpfs_free(&t);
}

static void test_tmpfs_relative_path_rejected(void **state)
{
	struct tmpfs t = { 0 };
	struct err e = { 0 };
	(void)state;
	int r = value_tmpfs("scratch:size=1m", &t, &e);
	if (r == 0)
		value_tmpfs_free(&t);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(e.code, EINVAL);
	assert_contains(e.msg, "--tmpfs");
	assert_contains(e.msg, "'scratch'");
}

static void test_tmpfs_dot_dot_path_rejected(void **state)
{
	struct tmpfs t = { 0 };
	struct err e = { 0 };
	(void)state;
	int r = value_tmpfs("/var/../etc", &t, &e);
	if (r == 0)
		value_tmpfs_free(&t);
	assert_int_equal(r, -EINVAL);
}

/* ---- value_rlimit ------------------------------------------------------ */

static void test_rlimit_soft_and_hard(void **state)
{
	(void)state;
	struct limit l;
	struct err e = { 0 };
	assert_int_equal(value_rlimit("NOFILE=64:128", &l, &e), 0);
	assert_int_equal(l.resource, RLIMIT_NOFILE);
	assert_int_equal(l.soft, 64);
	assert_int_equal(l.hard, 128);
	assert_int_equal(value_rlimit("rlimit_nproc=200", &l, &e), 0);
	assert_int_equal(l.resource, RLIMIT_NPROC);
	assert_int_equal(l.soft, 200);
	assert_int_equal(l.hard, 200);
	assert_int_equal(value_rlimit("CORE=0:infinity", &l, &e), 0);
	assert_int_equal(l.soft, 0);
	assert_true(l.hard == RLIM_INFINITY);
}

static void test_rlimit_rejects_bad_input(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"NOFILE", "BOGUS=1", "NOFILE=", "NOFILE=x", "NOFILE=1:", "NOFILE=-1",
		"NOFILE=2:1", "NOFILE=1:2:3", "NOFILEX=1", "=1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct limit l;
		struct err e = { 0 };
		assert_int_equal(value_rlimit(bad[i], &l, &e), -EINVAL);
		assert_contains(e.msg, bad[i]);
	}
}

/* ---- value_setenv ------------------------------------------------------ */

static void setenv_ok(const char *s)
{
	struct err e = { 0 };
	if (value_setenv(s, &e) != 0)
		fail_msg("value_setenv(\"%s\") rejected: %s", s, e.msg);
}

static void setenv_rejected(const char *s)
{
	struct err e = { 0 };
	int r = value_setenv(s, &e);
	if (r != -EINVAL)
		fail_msg("value_setenv(\"%s\") = %d, expected -EINVAL", s, r);
	assert_int_equal(e.code, EINVAL);
	assert_contains(e.msg, s);
}

static void test_setenv_valid(void **state)
{
	(void)state;
	setenv_ok("FOO=bar");
	setenv_ok("_x1=");
	setenv_ok("A=b=c");
	setenv_ok("lower_Case9=with spaces and - . /");
}

static void test_setenv_missing_equals_rejected(void **state)
{
	(void)state;
	setenv_rejected("FOO");
}

static void test_setenv_empty_name_rejected(void **state)
{
	(void)state;
	setenv_rejected("=value");
}

static void test_setenv_name_starting_with_digit_rejected(void **state)
{
	(void)state;
	setenv_rejected("1FOO=bar");
}

static void test_setenv_bad_name_characters_rejected(void **state)
{
	(void)state;
	setenv_rejected("FOO-BAR=x");
	setenv_rejected("FOO BAR=x");
	setenv_rejected("FOO.BAR=x");
	setenv_rejected("FOO$=x");
}

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

/* ---- value_etc ------------------------------------------------------- */

static void test_etc_modes(void **state)
{
	struct err e = { 0 };
	enum etc_mode m = ETC_HOST;
	(void)state;
	assert_int_equal(value_etc("empty", &m, &e), 0);
	assert_int_equal(m, ETC_EMPTY);
	assert_int_equal(value_etc("base", &m, &e), 0);
	assert_int_equal(m, ETC_BASE);
	assert_int_equal(value_etc("host", &m, &e), 0);
	assert_int_equal(m, ETC_HOST);
}

static void test_etc_rejects_others(void **state)
{
	struct err e = { 0 };
	enum etc_mode m = ETC_BASE;
	(void)state;
	assert_int_equal(value_etc("full", &m, &e), -EINVAL);
	assert_string_equal(e.msg, "--etc=full: expected empty, base or host");
	assert_int_equal(value_etc("", &m, &e), -EINVAL);
	assert_int_equal(value_etc("Base", &m, &e), -EINVAL);
	assert_int_equal(value_etc(NULL, &m, &e), -EINVAL);
	assert_int_equal(m, ETC_BASE);
}

/* ---- value_console ---------------------------------------------------- */

static void test_console_modes(void **state)
{
	(void)state;
	struct err e = { 0 };
	enum console_mode m;
	static const struct { const char *s; enum console_mode m; } ok[] = {
		{ "interactive", CONSOLE_INTERACTIVE }, { "read-only", CONSOLE_READ_ONLY },
		{ "passive", CONSOLE_PASSIVE }, { "pipe", CONSOLE_PIPE },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(value_console(ok[i].s, &m, &e), 0);
		assert_int_equal(m, ok[i].m);
	}
	for (const char *const *s = (const char *const[]){ "", "readonly", "Interactive", "pipe ", NULL }; *s; s++) {
		e = (struct err){ 0 };
		assert_int_equal(value_console(*s, &m, &e), -EINVAL);
		assert_int_equal(e.code, EINVAL);
		assert_non_null(strstr(e.msg, "expected interactive, read-only, passive or pipe"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_etc_modes),
		cmocka_unit_test(test_etc_rejects_others),
		cmocka_unit_test(test_console_modes),
		cmocka_unit_test(test_volatile_mode_names),
		cmocka_unit_test(test_volatile_true_booleans_mean_yes),
		cmocka_unit_test(test_volatile_false_booleans_mean_no),
		cmocka_unit_test(test_volatile_without_value_is_yes),
		cmocka_unit_test(test_volatile_bad_value_names_it),

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

		cmocka_unit_test(test_tmpfs_default_options),
		cmocka_unit_test(test_tmpfs_empty_options_get_default),
		cmocka_unit_test(test_tmpfs_custom_options_kept_verbatim),
		cmocka_unit_test(test_tmpfs_relative_path_rejected),
		cmocka_unit_test(test_tmpfs_dot_dot_path_rejected),

		cmocka_unit_test(test_rlimit_soft_and_hard),
		cmocka_unit_test(test_rlimit_rejects_bad_input),
		cmocka_unit_test(test_setenv_valid),
		cmocka_unit_test(test_setenv_missing_equals_rejected),
		cmocka_unit_test(test_setenv_empty_name_rejected),
		cmocka_unit_test(test_setenv_name_starting_with_digit_rejected),
		cmocka_unit_test(test_setenv_bad_name_characters_rejected),

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
