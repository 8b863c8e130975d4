/* test_mountinfo.c — reading /proc/self/mountinfo (lib/mountinfo.c) for
 * each mount's place and filesystem type. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mountinfo.h"

struct seen {
	char lines[16][256];
	int n;
	int stop_at;   /* fn returns -EINTR at this mount (0: never) */
};

static int collect(const struct mountinfo_entry *m, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 16)
		snprintf(s->lines[s->n], sizeof s->lines[0], "%s %s", m->fstype, m->target);
	s->n++;
	return s->n == s->stop_at ? -EINTR : 0;
}

static struct seen parse(const char *text, int stop_at)
{
	struct seen s = { .stop_at = stop_at };
	char *copy = strdup(text);
	assert_non_null(copy);
	int r = mountinfo_parse(copy, collect, &s);
	assert_int_equal(r, stop_at && s.n >= stop_at ? -EINTR : 0);
	free(copy);
	return s;
}

static void mounts_as_the_kernel_writes_them(void **state)
{
	(void)state;
	struct seen s = parse("22 27 0:21 / /proc rw,relatime - proc proc rw\n"
			      "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n"
			      "40 27 0:50 / /srv/chroot/proc rw,nosuid - proc proc rw\n", 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.lines[0], "proc /proc");
	assert_string_equal(s.lines[1], "ext3 /mnt/parent");   /* optional fields before the - */
	assert_string_equal(s.lines[2], "proc /srv/chroot/proc");
}

/* A mount point may hold anything but '/'-less junk; the kernel escapes
 * space, tab, newline and backslash. */
static void escapes_are_undone(void **state)
{
	(void)state;
	struct seen s = parse("31 24 0:26 / /mnt/my\\040proc\\011x\\012y\\134z rw - proc proc rw\n"
			      "32 24 0:26 / /mnt/a\\08b\\400 rw - sysfs sysfs rw", 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.lines[0], "proc /mnt/my proc\tx\ny\\z");
	assert_string_equal(s.lines[1], "sysfs /mnt/a\\08b\\400");   /* no escape: kept as it is */
}

/* What is not a mount line is left out; it never stops the walk. */
static void what_is_not_a_mount_is_skipped(void **state)
{
	(void)state;
	struct seen s = parse("\n"
			      "garbage\n"
			      "1 2 3 4 /no-separator 6 7 8 9 10\n"
			      "1 2 3 4 relative rw - proc proc rw\n"
			      "1 2 3 4 /short rw - proc\n"
			      "1 2 3 4 /dash-first - - x y\n"
			      "50 1 0:1 / /ok rw - tmpfs tmpfs rw", 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.lines[0], "tmpfs /ok");
}

static void the_callback_stops_the_walk(void **state)
{
	(void)state;
	struct seen s = parse("1 1 0:1 / /a rw - proc proc rw\n1 1 0:1 / /b rw - proc proc rw\n1 1 0:1 / /c rw - proc proc rw\n", 2);
	assert_int_equal(s.n, 2);
}

static void our_own_mountinfo_has_our_proc(void **state)
{
	(void)state;
	char *text;
	assert_int_equal(mountinfo_read(&text), 0);
	assert_non_null(strstr(text, " - proc "));
	struct seen s = { 0 };
	assert_int_equal(mountinfo_parse(text, collect, &s), 0);
	assert_true(s.n > 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mounts_as_the_kernel_writes_them),
		cmocka_unit_test(escapes_are_undone),
		cmocka_unit_test(what_is_not_a_mount_is_skipped),
		cmocka_unit_test(the_callback_stops_the_walk),
		cmocka_unit_test(our_own_mountinfo_has_our_proc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
