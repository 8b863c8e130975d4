/* test_mount_options.c — mount option strings as lib/mount-options.c
 * reads them through libmount. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/mount-options.h"

/* What each saw, as "key=value;flag;" */
struct seen {
	char text[2048];
	int calls, fail_at;
};

static int collect(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	if (++s->calls == s->fail_at)
		return -E2BIG;
	snprintf(s->text + n, sizeof s->text - n, "%s%s%s;", key, value ? "=" : "", value ? value : "");
	return 0;
}

static int parse(const char *options, uint64_t *attr, struct seen *s)
{
	*s = (struct seen){ .fail_at = s->fail_at };
	*attr = 0;
	return mount_options_parse(options, attr, collect, s);
}

static void test_tmpfs_options_go_to_the_filesystem(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("mode=0755,size=25%,nr_inodes=1m", &attr, &s), 0);
	assert_string_equal(s.text, "mode=0755;size=25%;nr_inodes=1m;");
	assert_int_equal(attr, 0);
}

static void test_vfs_flags_become_attributes(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("ro,nosuid,mode=1777,nodev,noexec,noatime,nosymfollow", &attr, &s), 0);
	assert_string_equal(s.text, "mode=1777;");
	assert_int_equal(attr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
				       MOUNT_ATTR_NOATIME | MOUNT_ATTR_NOSYMFOLLOW);
	assert_int_equal(parse("strictatime", &attr, &s), 0);
	assert_int_equal(attr, MOUNT_ATTR_STRICTATIME);
}

static void test_defaults_change_nothing(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("rw,suid,dev,exec,defaults", &attr, &s), 0);
	assert_string_equal(s.text, "");
	assert_int_equal(attr, 0);
	/* the last of ro and rw wins, as with mount(8) */
	assert_int_equal(parse("ro,rw", &attr, &s), 0);
	assert_int_equal(attr, 0);
}

static void test_superblock_flags_go_to_the_filesystem(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("sync,size=1m,lazytime", &attr, &s), 0);
	assert_string_equal(s.text, "sync;lazytime;size=1m;");
	assert_int_equal(attr, 0);
}

static void test_quotes_keep_commas_and_are_dropped(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("context=\"system_u:object_r:tmp_t:s0:c1,c2\",mode=0700", &attr, &s), 0);
	assert_string_equal(s.text, "context=system_u:object_r:tmp_t:s0:c1,c2;mode=0700;");
}

static void test_empty_parts_and_strings(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse(",,size=1m,,", &attr, &s), 0);
	assert_string_equal(s.text, "size=1m;");
	assert_int_equal(parse("", &attr, &s), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(mount_options_parse(NULL, &attr, collect, &s), 0);
}

static void test_refused(void **state)
{
	struct seen s = { 0 };
	uint64_t attr;
	char longer[1200];
	(void)state;
	assert_int_equal(parse("mode=\"0755", &attr, &s), -EINVAL);   /* an open quote */
	assert_int_equal(parse("bind", &attr, &s), -EINVAL);          /* no filesystem's */
	assert_int_equal(parse("remount,size=1m", &attr, &s), -EINVAL);
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "size=", 5);
	assert_int_equal(parse(longer, &attr, &s), -EINVAL);
}

static void test_the_first_failure_is_returned(void **state)
{
	struct seen s = { .fail_at = 2 };
	uint64_t attr;
	(void)state;
	assert_int_equal(parse("a=1,b=2,c=3", &attr, &s), -E2BIG);
	assert_string_equal(s.text, "a=1;");
	assert_int_equal(s.calls, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmpfs_options_go_to_the_filesystem),
		cmocka_unit_test(test_vfs_flags_become_attributes),
		cmocka_unit_test(test_defaults_change_nothing),
		cmocka_unit_test(test_superblock_flags_go_to_the_filesystem),
		cmocka_unit_test(test_quotes_keep_commas_and_are_dropped),
		cmocka_unit_test(test_empty_parts_and_strings),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_the_first_failure_is_returned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
