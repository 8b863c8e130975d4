/* test_cgroup.c — reading /proc/self/mountinfo and /proc/self/cgroup text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"

static int mount_of(const char *text, char *out, size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	int r = cgroup2_mount_from(f, out, size);
	fclose(f);
	return r;
}

static int self_of(const char *text, char *out, size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	int r = cgroup_self_from(f, out, size);
	fclose(f);
	return r;
}

static void test_mount_unified(void **state)
{
	char out[256];
	(void)state;
	assert_int_equal(mount_of("22 1 0:21 / /proc rw - proc proc rw\n"
				  "30 24 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
				  out, sizeof out), 0);
	assert_string_equal(out, "/sys/fs/cgroup");
}

/* Only a mount of the hierarchy's root, and only cgroup2 itself. */
static void test_mount_root_and_type(void **state)
{
	char out[256];
	(void)state;
	assert_int_equal(mount_of("30 24 0:26 /sub /a rw - cgroup2 cgroup2 rw\n"
				  "31 24 0:27 / /b rw - fuse.cgroup2 cgroup2 rw\n"
				  "32 24 0:28 / /c rw - cgroup cgroup rw,pids\n", out, sizeof out), -ENOENT);
	assert_int_equal(mount_of("", out, sizeof out), -ENOENT);
}

/* Found by fuzz/cgroup: a mount point named "-" looked like the separator;
 * and a point with a space is "\040" in the file. */
static void test_mount_point_escapes_and_dash(void **state)
{
	char out[256];
	(void)state;
	assert_int_equal(mount_of("30 24 0:26 / - rw master:1 - cgroup2 cgroup2 rw\n", out, sizeof out), 0);
	assert_string_equal(out, "-");
	assert_int_equal(mount_of("30 24 0:26 / /mnt/my\\040cgroup\\134x rw - cgroup2 cgroup2 rw\n", out, sizeof out), 0);
	assert_string_equal(out, "/mnt/my cgroup\\x");
	assert_int_equal(mount_of("30 24 0:26 / /a rw - cgroup2 cgroup2 rw\n", out, 2), -ENAMETOOLONG);
}

static void test_self(void **state)
{
	char out[256];
	(void)state;
	assert_int_equal(self_of("12:pids:/user.slice\n0::/user.slice/session-2.scope\n", out, sizeof out), 0);
	assert_string_equal(out, "/user.slice/session-2.scope");
	assert_int_equal(self_of("1:name=systemd:/\n", out, sizeof out), -ENOENT);
}

/* A path longer than the old 2048-byte line buffer came back cut short,
 * as if it were a shorter one. */
static void test_self_long_path_whole_or_refused(void **state)
{
	static char text[5000], out[4096];
	(void)state;
	strcpy(text, "0::/");
	memset(text + 4, 'a', 3000);
	strcpy(text + 3004, "\n");
	assert_int_equal(self_of(text, out, sizeof out), 0);
	assert_int_equal(strlen(out), 3001);
	assert_int_equal(self_of(text, out, 2048), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mount_unified),
		cmocka_unit_test(test_mount_root_and_type),
		cmocka_unit_test(test_mount_point_escapes_and_dash),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_self_long_path_whole_or_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
