/* test_values.c — the option-value parsers of cli/values.c: --volatile,
 * --tmpfs, --rlimit, --setenv, --etc and --console. --bind's is in
 * test_values_bind.c, the names' checks in test_values_names.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/values.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
