/* test_cgroup_scope.c — the scope's unit name, and the errors when there
 * is no user manager to ask (the rest needs a bus: bats/scope.bats). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup-scope.h"

static void assert_name(const char *machine, int pid, const char *expected)
{
	char out[CGROUP_SCOPE_NAME_MAX];
	cgroup_scope_name(out, machine, pid);
	assert_string_equal(out, expected);
}

static void test_name_plain(void **state)
{
	(void)state;
	assert_name("box", 1234, "volspawn-box-1234.scope");
	assert_name("debian-12.lab", 7, "volspawn-debian-12.lab-7.scope");
}

/* '@' would make a template instance, '\' an escape, '/' a path. */
static void test_name_unsafe_chars(void **state)
{
	(void)state;
	assert_name("my box/x@y\\z:w", 1, "volspawn-my_box_x_y_z_w-1.scope");
	assert_name("\xc3\xbc", 1, "volspawn-__-1.scope");
}

static void test_name_empty(void **state)
{
	(void)state;
	assert_name("", 42, "volspawn-container-42.scope");
	assert_name(NULL, 42, "volspawn-container-42.scope");
}

static void test_name_long(void **state)
{
	char machine[201], expected[CGROUP_SCOPE_NAME_MAX];
	(void)state;
	memset(machine, 'a', 200);
	machine[200] = '\0';
	snprintf(expected, sizeof expected, "volspawn-%.64s-2147483647.scope", machine);
	assert_name(machine, 2147483647, expected);
}

/* One line that says a delegated cgroup is needed and how to get one. */
static void assert_no_manager(const struct err *e, int r, const char *why)
{
	assert_int_equal(r, -ENOENT);
	assert_int_equal(e->code, ENOENT);
	assert_null(strchr(e->msg, '\n'));
	if (strncmp(e->msg, "no systemd user manager to delegate a cgroup", 44) != 0 || !strstr(e->msg, why) ||
	    !strstr(e->msg, "delegated cgroup"))
		fail_msg("unexpected message: %s", e->msg);
}

static void test_no_bus(void **state)
{
	struct err e = { 0 };
	(void)state;
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/volspawn-test-bus", 1);
	int r = cgroup_request_scope("box", &e);
	assert_no_manager(&e, r, "no user bus at unix:path=/nonexistent/volspawn-test-bus: No such file or directory");
}

static void test_no_address(void **state)
{
	struct err e = { 0 };
	(void)state;
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	unsetenv("XDG_RUNTIME_DIR");
	int r = cgroup_request_scope("box", &e);
	assert_no_manager(&e, r, "$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR are unset");
}

/* sd-bus falls back to $XDG_RUNTIME_DIR/bus, and so does the message. */
static void test_runtime_dir(void **state)
{
	struct err e = { 0 };
	(void)state;
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", "/nonexistent/run", 1);
	int r = cgroup_request_scope("box", &e);
	assert_no_manager(&e, r, "no user bus at /nonexistent/run/bus: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_plain),
		cmocka_unit_test(test_name_unsafe_chars),
		cmocka_unit_test(test_name_empty),
		cmocka_unit_test(test_name_long),
		cmocka_unit_test(test_no_bus),
		cmocka_unit_test(test_no_address),
		cmocka_unit_test(test_runtime_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
