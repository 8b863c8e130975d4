/* test_layout.c — the rooms the mount table hands work to, against a
 * temporary root: sudoers, autologin, userdb records, the volatile /etc. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/modes.h"
#include "etc/etc.h"
#include "inside/mount-table.h"
#include "users/bind-user.h"

/* ---- the rooms, against a temporary root -------------------------------- */

struct root {
	char path[128];
	int fd;
};

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static int setup_root(void **state)
{
	struct root *r = calloc(1, sizeof *r);
	const char *tmp = getenv("TMPDIR");
	snprintf(r->path, sizeof r->path, "%s/test-layout.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!r || !mkdtemp(r->path))
		return -1;
	r->fd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*state = r;
	return r->fd < 0 ? -1 : 0;
}

static int teardown_root(void **state)
{
	struct root *r = *state;
	close(r->fd);
	nftw(r->path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(r);
	return 0;
}

static void slurp(const struct root *r, const char *rel, char *buf, size_t size, mode_t *mode)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof p, "%s%s", r->path, rel);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_int_equal(fstat(fd, &st), 0);
	*mode = st.st_mode & 07777;
	close(fd);
}

static void put(const struct root *r, const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s%s", r->path, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void mk(const struct root *r, const char *rel)
{
	char p[256];
	snprintf(p, sizeof p, "%s%s", r->path, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void test_sudoers_for_each_bound_user(void **state)
{
	struct root *r = *state;
	struct bound_user users[] = { { .name = "alice" }, { .name = "bob" } };
	struct err e = { 0 };
	char text[1024];
	mode_t mode;
	mk(r, "/etc");
	assert_int_equal(etc_write_sudoers(r->fd, "/etc/sudoers.d/volspawn-bind-user", 0440, users, 2, &e), 0);
	slurp(r, "/etc/sudoers.d/volspawn-bind-user", text, sizeof text, &mode);
	assert_string_equal(text, "alice\tALL=(ALL:ALL) NOPASSWD: ALL\nbob\tALL=(ALL:ALL) NOPASSWD: ALL\n");
	assert_int_equal(mode, 0440);
	slurp(r, "/etc/sudoers", text, sizeof text, &mode);
	assert_non_null(strstr(text, "@includedir /etc/sudoers.d\n"));
	assert_int_equal(mode, 0440);
}

static void test_sudoers_keeps_the_trees_own(void **state)
{
	struct root *r = *state;
	struct bound_user alice = { .name = "alice" };
	struct err e = { 0 };
	char text[1024];
	mode_t mode;
	mk(r, "/etc");
	put(r, "/etc/sudoers", "# the tree's\n");
	assert_int_equal(etc_write_sudoers(r->fd, "/etc/sudoers.d/volspawn-bind-user", 0440, &alice, 1, &e), 0);
	slurp(r, "/etc/sudoers", text, sizeof text, &mode);
	assert_string_equal(text, "# the tree's\n");
}

static void test_sudoers_on_an_etc_that_cannot_be_written(void **state)
{
	struct root *r = *state;
	struct bound_user alice = { .name = "alice" };
	struct err e = { 0 };
	put(r, "/etc", "not a directory\n");   /* refused even to root */
	assert_true(etc_write_sudoers(r->fd, "/etc/sudoers.d/volspawn-bind-user", 0440, &alice, 1, &e) < 0);
	assert_non_null(strstr(e.msg, "--bind-user-sudo needs a writable /etc"));
}

static void test_autologin_drop_in(void **state)
{
	struct root *r = *state;
	struct err e = { 0 };
	char text[1024];
	mode_t mode;
	mk(r, "/etc");
	assert_int_equal(etc_write_autologin(r->fd, "/etc/systemd/system/console-getty.service.d/autologin.conf", 0644, "alice", &e), 0);
	slurp(r, "/etc/systemd/system/console-getty.service.d/autologin.conf", text, sizeof text, &mode);
	assert_int_equal(mode, 0644);
	assert_non_null(strstr(text, "[Service]\nExecStart=\nExecStart=-/sbin/agetty -o \"-p -f -- \\\\u\" --noclear --autologin alice "));
}

static void test_userdb_records_of_each_user(void **state)
{
	struct root *r = *state;
	struct bound_user users[] = {
		{ .name = "alice", .home = "/home/alice", .uid = 60514, .gid = 60514 },
		{ .name = "bob", .home = "/home/bob", .uid = 60515, .gid = 60515 },
	};
	struct err e = { 0 };
	char text[1024], link[64], p[256];
	mode_t mode;
	assert_int_equal(bind_user_write_userdb(r->fd, BIND_USER_USERDB_DIR, 0755, users, 2, &e), 0);
	slurp(r, BIND_USER_USERDB_DIR "/bob.user", text, sizeof text, &mode);
	assert_non_null(strstr(text, "\"userName\":\"bob\""));
	assert_int_equal(mode, 0644);
	snprintf(p, sizeof p, "%s" BIND_USER_USERDB_DIR "/60514.user", r->path);
	ssize_t n = readlink(p, link, sizeof link - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, "alice.user");
}

/* A firstboot credential's file is left out of the copy, so that
 * firstboot writes it. */
static void test_etc_fill_makes_way_for_firstboot(void **state)
{
	struct root *r = *state;
	struct credential cred = { .id = "firstboot.timezone", .data = "UTC", .size = 3 };
	struct config c = { .etc_mode = ETC_BASE, .hostname = "box" };
	struct err e = { 0 };
	char host[256], p[256];
	mk(r, "/host");
	mk(r, "/etc");
	put(r, "/host/timezone", "Europe/Berlin\n");
	put(r, "/host/locale.conf", "LANG=de_DE.UTF-8\n");
	snprintf(host, sizeof host, "%s/host", r->path);
	c.creds = (struct credentials){ &cred, 1 };
	const struct etc_spec s = { .mode = c.etc_mode, .hostname = c.hostname };
	assert_int_equal(etc_fill(r->fd, "/etc", host, &c.creds, &s, &e), 0);
	snprintf(p, sizeof p, "%s/etc/timezone", r->path);
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof p, "%s/etc/locale.conf", r->path);
	assert_int_equal(access(p, F_OK), 0);
	snprintf(p, sizeof p, "%s/etc/nsswitch.conf", r->path);
	assert_int_equal(access(p, F_OK), 0);
}

static void test_etc_fill_without_a_host_etc(void **state)
{
	struct root *r = *state;
	struct config c = { .etc_mode = ETC_BASE, .hostname = "box" };
	struct err e = { 0 };
	mk(r, "/etc");
	const struct etc_spec s = { .mode = c.etc_mode, .hostname = c.hostname };
	assert_int_equal(etc_fill(r->fd, "/etc", "/nonexistent", &c.creds, &s, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "cannot open /nonexistent"));
}

/* A home's path that cannot be made is one line naming it. */
static void test_fresh_home_that_cannot_be_made(void **state)
{
	struct root *r = *state;
	struct bound_user alice = { .name = "alice", .home = "/home/alice", .uid = 60514, .gid = 60514 };
	struct row row = { .kind = FRESH_HOMES, .what = "tmpfs", .mode = 0700 };
	struct config c = { 0 };
	struct err e = { 0 };
	put(r, "/home", "a file where the homes would be\n");
	assert_int_equal(bind_user_fresh_homes(r->fd, &alice, 1, &c, &row, &e), -ENOTDIR);
	assert_string_equal(e.msg, "cannot make a fresh home /home/alice for alice: Not a directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sudoers_for_each_bound_user, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_sudoers_keeps_the_trees_own, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_sudoers_on_an_etc_that_cannot_be_written, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_autologin_drop_in, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_userdb_records_of_each_user, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_etc_fill_makes_way_for_firstboot, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_etc_fill_without_a_host_etc, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_fresh_home_that_cannot_be_made, setup_root, teardown_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
