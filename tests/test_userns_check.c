/* test_userns_check.c — explaining a refused user namespace, against a fake
 * /proc/sys made in a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "front/userns-check.h"

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

#define MAX_USER_NS "user/max_user_namespaces"
#define USERNS_CLONE "kernel/unprivileged_userns_clone"
#define APPARMOR "kernel/apparmor_restrict_unprivileged_userns"

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int remove_sysctl_dir(void **state)
{
	char *dir = *state;
	int r = nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return r;
}

/* Each test gets an empty sysctl directory with user/ and kernel/ in it. */
static int make_sysctl_dir(void **state)
{
	char *dir = strdup("/tmp/volspawn-test-sysctl.XXXXXX");
	char user[256], kernel[256];
	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	snprintf(user, sizeof user, "%s/user", dir);
	snprintf(kernel, sizeof kernel, "%s/kernel", dir);
	if (mkdir(user, 0755) < 0 || mkdir(kernel, 0755) < 0) {
		remove_sysctl_dir(state);
		return -1;
	}
	return 0;
}

static void write_sysctl(const char *dir, const char *name, const char *value)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	assert_int_equal(fclose(f), 0);
}

/* userns_explain must return -code and set e->code to code. */
static void explain(const char *dir, int code, struct err *e)
{
	assert_int_equal(userns_explain(dir, code, e), -code);
	assert_int_equal(e->code, code);
}

/* ---- userns_explain --------------------------------------------------- */

static void test_explain_max_user_namespaces_zero(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, MAX_USER_NS, "0");
	explain(dir, ENOSPC, &e);
	assert_contains(e.msg, "user.max_user_namespaces");
	assert_contains(e.msg, "sysctl -w user.max_user_namespaces=");
}

static void test_explain_unprivileged_userns_clone_zero(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, MAX_USER_NS, "15000");
	write_sysctl(dir, USERNS_CLONE, "0");
	explain(dir, EPERM, &e);
	assert_contains(e.msg, "kernel.unprivileged_userns_clone");
	assert_contains(e.msg, "sysctl -w kernel.unprivileged_userns_clone=1");
}

static void test_explain_apparmor_restriction(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, MAX_USER_NS, "15000");
	write_sysctl(dir, USERNS_CLONE, "1");
	write_sysctl(dir, APPARMOR, "1");
	explain(dir, EPERM, &e);
	assert_contains(e.msg, "kernel.apparmor_restrict_unprivileged_userns");
	assert_contains(e.msg, "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
}

static void test_explain_apparmor_alone(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, APPARMOR, "1");
	explain(dir, EPERM, &e);
	assert_contains(e.msg, "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
}

static void test_explain_max_user_namespaces_named_first(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, MAX_USER_NS, "0");
	write_sysctl(dir, USERNS_CLONE, "0");
	write_sysctl(dir, APPARMOR, "1");
	explain(dir, ENOSPC, &e);
	assert_contains(e.msg, "user.max_user_namespaces");
	assert_not_contains(e.msg, "unprivileged_userns_clone");
}

static void test_explain_generic_when_sysctls_allow(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	write_sysctl(dir, MAX_USER_NS, "15000");
	write_sysctl(dir, USERNS_CLONE, "1");
	write_sysctl(dir, APPARMOR, "0");
	explain(dir, EPERM, &e);
	assert_contains(e.msg, strerror(EPERM));
	assert_not_contains(e.msg, "sysctl");
}

static void test_explain_generic_when_sysctls_missing(void **state)
{
	const char *dir = *state;
	struct err e = { 0 };
	explain(dir, EINVAL, &e);
	assert_contains(e.msg, strerror(EINVAL));
	assert_not_contains(e.msg, "sysctl");
}

static void test_explain_generic_when_dir_missing(void **state)
{
	struct err e = { 0 };
	(void)state;
	explain("/nonexistent/volspawn-test", ENOSPC, &e);
	assert_contains(e.msg, strerror(ENOSPC));
}

/* ---- userns_apparmor_restricted --------------------------------------- */

static void test_apparmor_restricted_when_one(void **state)
{
	const char *dir = *state;
	write_sysctl(dir, APPARMOR, "1");
	assert_true(userns_apparmor_restricted(dir));
}

static void test_apparmor_not_restricted_when_zero(void **state)
{
	const char *dir = *state;
	write_sysctl(dir, APPARMOR, "0");
	assert_false(userns_apparmor_restricted(dir));
}

static void test_apparmor_not_restricted_when_missing(void **state)
{
	const char *dir = *state;
	assert_false(userns_apparmor_restricted(dir));
}

#define sysctl_test(f) cmocka_unit_test_setup_teardown(f, make_sysctl_dir, remove_sysctl_dir)

/* What the kernel writes, and nothing else: fscanf's %ld took "1 x",
 * " 1" and numbers past LONG_MAX (undefined behaviour). */
static void test_sysctl_parse(void **state)
{
	(void)state;
	assert_int_equal(userns_sysctl_parse("0\n"), 0);
	assert_int_equal(userns_sysctl_parse("15000\n"), 15000);
	assert_int_equal(userns_sysctl_parse("1"), 1);
	assert_int_equal(userns_sysctl_parse(""), -1);
	assert_int_equal(userns_sysctl_parse("-1\n"), -1);
	assert_int_equal(userns_sysctl_parse(" 1\n"), -1);
	assert_int_equal(userns_sysctl_parse("1 x\n"), -1);
	assert_int_equal(userns_sysctl_parse("1\n\n"), -1);
	assert_int_equal(userns_sysctl_parse("99999999999999999999\n"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		sysctl_test(test_explain_max_user_namespaces_zero),
		sysctl_test(test_explain_unprivileged_userns_clone_zero),
		sysctl_test(test_explain_apparmor_restriction),
		sysctl_test(test_explain_apparmor_alone),
		sysctl_test(test_explain_max_user_namespaces_named_first),
		sysctl_test(test_explain_generic_when_sysctls_allow),
		sysctl_test(test_explain_generic_when_sysctls_missing),
		cmocka_unit_test(test_sysctl_parse),
		cmocka_unit_test(test_explain_generic_when_dir_missing),

		sysctl_test(test_apparmor_restricted_when_one),
		sysctl_test(test_apparmor_not_restricted_when_zero),
		sysctl_test(test_apparmor_not_restricted_when_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
