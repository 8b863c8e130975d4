/* test_bind_user_records.c — bind_user_write_records: the JSON records of
 * a bound user and its group for nss-systemd, by name and by number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "users/bind-user.h"
#include "bind-user-fixture.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* ---- bind_user_write_records ------------------------------------------ */

struct records {
	char dir[64];
	int fd;
};

static int records_setup(void **state)
{
	struct records *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	snprintf(r->dir, sizeof r->dir, "/tmp/vsbr-XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	r->fd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*state = r;
	return r->fd < 0 ? -1 : 0;
}

static int records_teardown(void **state)
{
	struct records *r = *state;
	close(r->fd);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", r->dir);
	int rc = system(cmd);
	free(r);
	return rc == 0 ? 0 : -1;
}

static void assert_link(int dirfd, const char *name, const char *target)
{
	char buf[256];
	ssize_t k = readlinkat(dirfd, name, buf, sizeof buf - 1);
	assert_true(k > 0);
	buf[k] = '\0';
	assert_string_equal(buf, target);
}

static void test_records_full(void **state)
{
	const struct records *t = *state;
	const struct bound_user u = {
		.name = "alice", .host_uid = 1001, .host_gid = 1001,
		.real_name = "Alice \"Al\" \\ Smith\nII", .home = "/home/alice",
		.shell = "/bin/bash", .hashed_password = "$y$j9T$salt$hash\"\\",
		.uid = 60514, .gid = 60514,
	};
	write_records(t->fd, &u);
	assert_entries(t->fd, "60514.group 60514.user 60514.user-privileged alice.group alice.user alice.user-privileged");
	assert_file(t->fd, "alice.user", 0644,
		    "{\"userName\":\"alice\",\"uid\":60514,\"gid\":60514,"
		    "\"realName\":\"Alice \\\"Al\\\" \\\\ Smith\\u000aII\","
		    "\"homeDirectory\":\"/home/alice\",\"shell\":\"/bin/bash\","
		    "\"disposition\":\"regular\",\"service\":\"io.systemd.NSpawn\"}\n");
	assert_file(t->fd, "alice.user-privileged", 0600,
		    "{\"privileged\":{\"hashedPassword\":[\"$y$j9T$salt$hash\\\"\\\\\"]}}\n");
	assert_file(t->fd, "alice.group", 0644,
		    "{\"groupName\":\"alice\",\"gid\":60514,"
		    "\"disposition\":\"regular\",\"service\":\"io.systemd.NSpawn\"}\n");
	assert_link(t->fd, "60514.user", "alice.user");
	assert_link(t->fd, "60514.user-privileged", "alice.user-privileged");
	assert_link(t->fd, "60514.group", "alice.group");
	/* the links resolve: the same content by number */
	assert_int_equal(faccessat(t->fd, "60514.user", R_OK, 0), 0);
}

static void test_records_minimal(void **state)
{
	const struct records *t = *state;
	const struct bound_user u = {
		.name = "bob", .host_uid = 1002, .host_gid = 1002,
		.home = "/home/bob", .uid = 60515, .gid = 60515,
	};
	write_records(t->fd, &u);
	assert_entries(t->fd, "60515.group 60515.user bob.group bob.user");
	assert_file(t->fd, "bob.user", 0644,
		    "{\"userName\":\"bob\",\"uid\":60515,\"gid\":60515,\"homeDirectory\":\"/home/bob\","
		    "\"disposition\":\"regular\",\"service\":\"io.systemd.NSpawn\"}\n");
	assert_file(t->fd, "bob.group", 0644,
		    "{\"groupName\":\"bob\",\"gid\":60515,"
		    "\"disposition\":\"regular\",\"service\":\"io.systemd.NSpawn\"}\n");
}

static void test_records_refuse_to_replace(void **state)
{
	const struct records *t = *state;
	const struct bound_user u = { .name = "carol", .home = "/home/carol", .uid = 60516, .gid = 60516 };
	struct err e = { 0 };
	write_records(t->fd, &u);
	assert_int_equal(bind_user_write_records(t->fd, &u, &e), -EEXIST);
	assert_contains(e.msg, "cannot write /run/host/userdb/carol.user: File exists");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_full, records_setup, records_teardown),
		cmocka_unit_test_setup_teardown(test_records_minimal, records_setup, records_teardown),
		cmocka_unit_test_setup_teardown(test_records_refuse_to_replace, records_setup, records_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
