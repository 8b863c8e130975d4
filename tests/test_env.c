/* test_env.c — the container's environment and its UUID. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "inside/env.h"

#define UUID "0f8fad5b-d9cb-469f-a165-70867728950e"

/* The value of name in env, or NULL. */
static const char *env_get(char **env, const char *name)
{
	size_t len = strlen(name);
	for (char **e = env; *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* How many entries define name. */
static int env_count(char **env, const char *name)
{
	size_t len = strlen(name);
	int n = 0;
	for (char **e = env; *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			n++;
	return n;
}

static void assert_env(char **env, const char *name, const char *value)
{
	const char *v = env_get(env, name);
	if (!v)
		fail_msg("%s is not set", name);
	if (strcmp(v, value) != 0)
		fail_msg("%s=%s, expected %s=%s", name, v, name, value);
	assert_int_equal(env_count(env, name), 1);
}

/* env_build for a config with only these --setenv values. */
static char **build(char **setenv_values, size_t n)
{
	struct config c = { .setenv = setenv_values, .n_setenv = n };
	char **env = env_build(&c, UUID, NULL, NULL);
	assert_non_null(env);
	return env;
}

/* Save TERM before each test and put it back after. */
static int save_term(void **state)
{
	const char *term = getenv("TERM");
	*state = term ? strdup(term) : NULL;
	return 0;
}

static int restore_term(void **state)
{
	char *term = *state;
	if (term)
		setenv("TERM", term, 1);
	else
		unsetenv("TERM");
	free(term);
	return 0;
}

/* ---- env_build -------------------------------------------------------- */

static void test_env_container(void **state)
{
	(void)state;
	char **env = build(NULL, 0);
	assert_env(env, "container", "volspawn");
	env_free(env);
}

static void test_env_path(void **state)
{
	(void)state;
	char **env = build(NULL, 0);
	const char *path = env_get(env, "PATH");
	assert_non_null(path);
	assert_non_null(strstr(path, "/usr/bin"));
	assert_int_equal(env_count(env, "PATH"), 1);
	env_free(env);
}

static void test_env_home(void **state)
{
	(void)state;
	char **env = build(NULL, 0);
	assert_env(env, "HOME", "/root");
	env_free(env);
}

static void test_env_container_uuid(void **state)
{
	(void)state;
	char **env = build(NULL, 0);
	assert_env(env, "container_uuid", UUID);
	env_free(env);
}

static void test_env_nothing_from_host(void **state)
{
	(void)state;
	setenv("VOLSPAWN_TEST_LEAK", "1", 1);
	char **env = build(NULL, 0);
	assert_null(env_get(env, "VOLSPAWN_TEST_LEAK"));
	env_free(env);
	unsetenv("VOLSPAWN_TEST_LEAK");
}

static void test_env_term_when_set(void **state)
{
	(void)state;
	setenv("TERM", "xterm-test", 1);
	char **env = build(NULL, 0);
	assert_env(env, "TERM", "xterm-test");
	env_free(env);
}

static void test_env_no_term_when_unset(void **state)
{
	(void)state;
	unsetenv("TERM");
	char **env = build(NULL, 0);
	assert_null(env_get(env, "TERM"));
	env_free(env);
}

static void test_env_setenv_appended(void **state)
{
	char *sets[] = { "FOO=bar", "EMPTY=" };
	(void)state;
	char **env = build(sets, 2);
	assert_env(env, "FOO", "bar");
	assert_env(env, "EMPTY", "");
	assert_env(env, "container", "volspawn");
	env_free(env);
}

static void test_env_setenv_overrides_builtin(void **state)
{
	char *sets[] = { "PATH=/x", "HOME=/home/me" };
	(void)state;
	char **env = build(sets, 2);
	assert_env(env, "PATH", "/x");
	assert_env(env, "HOME", "/home/me");
	env_free(env);
}

static void test_env_later_setenv_wins(void **state)
{
	char *sets[] = { "FOO=1", "BAR=x", "FOO=2" };
	(void)state;
	char **env = build(sets, 3);
	assert_env(env, "FOO", "2");
	assert_env(env, "BAR", "x");
	env_free(env);
}

static void test_env_setenv_prefix_names_are_distinct(void **state)
{
	char *sets[] = { "PATHX=1", "PAT=2" };
	(void)state;
	char **env = build(sets, 2);
	assert_env(env, "PATHX", "1");
	assert_env(env, "PAT", "2");
	assert_non_null(env_get(env, "PATH"));
	assert_string_not_equal(env_get(env, "PATH"), "1");
	assert_string_not_equal(env_get(env, "PATH"), "2");
	env_free(env);
}

/* ---- env_uuid --------------------------------------------------------- */

static void assert_uuid_v4(const char *u)
{
	assert_int_equal(strlen(u), 36);
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				fail_msg("%s: expected '-' at %zu", u, i);
		} else if (!u[i] || !strchr("0123456789abcdef", u[i])) {
			fail_msg("%s: expected a lower-case hex digit at %zu", u, i);
		}
	}
	if (u[14] != '4')
		fail_msg("%s: not version 4", u);
	if (!strchr("89ab", u[19]))
		fail_msg("%s: not the RFC 4122 variant", u);
}

static void test_uuid_is_version_4(void **state)
{
	char u[37];
	(void)state;
	for (int i = 0; i < 32; i++) {
		memset(u, 'x', sizeof u);
		env_uuid(u);
		assert_uuid_v4(u);
	}
}

static void test_uuid_differs(void **state)
{
	char a[37], b[37];
	(void)state;
	env_uuid(a);
	env_uuid(b);
	assert_string_not_equal(a, b);
}

#define term_test(t) cmocka_unit_test_setup_teardown(t, save_term, restore_term)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_container),
		cmocka_unit_test(test_env_path),
		cmocka_unit_test(test_env_home),
		cmocka_unit_test(test_env_container_uuid),
		cmocka_unit_test(test_env_nothing_from_host),
		term_test(test_env_term_when_set),
		term_test(test_env_no_term_when_unset),
		cmocka_unit_test(test_env_setenv_appended),
		cmocka_unit_test(test_env_setenv_overrides_builtin),
		cmocka_unit_test(test_env_later_setenv_wins),
		cmocka_unit_test(test_env_setenv_prefix_names_are_distinct),

		cmocka_unit_test(test_uuid_is_version_4),
		cmocka_unit_test(test_uuid_differs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
