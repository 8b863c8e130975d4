/* test_ctl_passwd.c — volspawnctl's reading of a command twin's users
 * (ctl/ctl-passwd.c): files the twin's root writes, so anything malformed
 * is no user rather than a wrong one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ctl/ctl-passwd.h"

static int passwd(const char *text, const char *name, struct twin_user *u)
{
	*u = (struct twin_user){ 0 };
	return twin_user_from_passwd(text, strlen(text), name, u);
}

static int record(const char *text, struct twin_user *u)
{
	*u = (struct twin_user){ 0 };
	return twin_user_from_record(text, strlen(text), u);
}

static void test_passwd_finds_the_user(void **state)
{
	(void)state;
	struct twin_user u;
	const char *text = "root:x:0:0:root:/root:/bin/bash\n"
			   "alice:x:1000:1001:Alice,,,:/home/alice:/bin/zsh\n"
			   "bob:x:1002:1002::/home/bob:/bin/sh";   /* no newline at the end */
	assert_int_equal(passwd(text, "alice", &u), 0);
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 1001);
	assert_string_equal(u.home, "/home/alice");
	assert_string_equal(u.shell, "/bin/zsh");
	assert_int_equal(passwd(text, "bob", &u), 0);
	assert_string_equal(u.shell, "/bin/sh");
	assert_int_equal(passwd(text, "root", &u), 0);
	assert_int_equal(u.uid, 0);
}

static void test_passwd_refuses_what_is_not_a_user(void **state)
{
	(void)state;
	struct twin_user u;
	assert_int_equal(passwd("", "alice", &u), -ENOENT);
	assert_int_equal(passwd("alice:x:1000:1000:/home/alice:/bin/sh\n", "alice", &u), -ENOENT);   /* 6 fields */
	assert_int_equal(passwd("alice:x:-1:1000::/home/alice:/bin/sh\n", "alice", &u), -ENOENT);
	assert_int_equal(passwd("alice:x:4294967295:1000::/h:/bin/sh\n", "alice", &u), -ENOENT);   /* (uid_t)-1 */
	assert_int_equal(passwd("alice:x:1e3:1000::/h:/bin/sh\n", "alice", &u), -ENOENT);
	assert_int_equal(passwd("alice:x::1000::/h:/bin/sh\n", "alice", &u), -ENOENT);
	assert_int_equal(passwd("alicex:x:1:1::/h:/bin/sh\nalic:x:1:1::/h:/bin/sh\n", "alice", &u), -ENOENT);
}

static void test_record_reads_ids_home_and_shell(void **state)
{
	(void)state;
	struct twin_user u;
	assert_int_equal(record("{\"userName\":\"alice\",\"uid\":60514,\"gid\":60514,"
				"\"homeDirectory\":\"/home/al\\\"ice\\\\\",\"shell\":\"\\/bin\\u002fbash\"}", &u), 0);
	assert_int_equal(u.uid, 60514);
	assert_int_equal(u.gid, 60514);
	assert_string_equal(u.home, "/home/al\"ice\\");
	assert_string_equal(u.shell, "/bin/bash");
	/* home and shell are optional */
	assert_int_equal(record("{\"uid\":5,\"gid\":6}", &u), 0);
	assert_string_equal(u.home, "");
	assert_string_equal(u.shell, "");
}

static void test_record_refuses_what_is_not_a_user(void **state)
{
	(void)state;
	struct twin_user u;
	assert_int_equal(record("", &u), -ENOENT);
	assert_int_equal(record("{\"uid\":5}", &u), -ENOENT);
	assert_int_equal(record("{\"uid\":-5,\"gid\":5}", &u), -ENOENT);
	assert_int_equal(record("{\"uid\":99999999999,\"gid\":5}", &u), -ENOENT);
	/* a string cut short, an escape of a byte that is not ASCII, a NUL */
	assert_int_equal(record("{\"uid\":5,\"gid\":5,\"shell\":\"/bin/sh", &u), 0);
	assert_string_equal(u.shell, "");
	assert_int_equal(record("{\"uid\":5,\"gid\":5,\"shell\":\"\\u00e9\"}", &u), 0);
	assert_string_equal(u.shell, "");
	assert_int_equal(record("{\"uid\":5,\"gid\":5,\"shell\":\"\\u0000\"}", &u), 0);
	assert_string_equal(u.shell, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd_finds_the_user),
		cmocka_unit_test(test_passwd_refuses_what_is_not_a_user),
		cmocka_unit_test(test_record_reads_ids_home_and_shell),
		cmocka_unit_test(test_record_refuses_what_is_not_a_user),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
