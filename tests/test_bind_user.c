/* test_bind_user.c — --bind-user: looking users up, numbering them, and
 * the records written for real users; the records themselves are in
 * test_bind_user_records.c.
 *
 * The lookups of real users need users to look up: run as root (as CI
 * does), the group setup creates throwaway users named after the test's
 * pid with useradd and removes them at the end; otherwise those tests are
 * skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "users/bind-user.h"
#include "bind-user-fixture.h"

#define HASH "$6$vsbu$OnlyATestHash./"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* The throwaway users; names "" when they could not be made. */
struct users {
	char dir[64];       /* a mkdtemp directory holding their homes */
	char good[32];      /* a home, a private group, a GECOS with quotes, a hash */
	char locked[32];    /* useradd's locked password, no GECOS, no shell */
	char shared[32];    /* primary group: good's */
	char homeless[32];  /* home path that does not exist */
	char filehome[32];  /* home path that is a file */
	char latin[32];     /* a Latin-1 GECOS, which no JSON record can hold */
	char nohome[32];    /* an empty home field (useradd refuses one: edited in) */
	char latinhome[32]; /* a Latin-1 home path */
	char latinshell[32];/* a Latin-1 shell path */
	char nogroup[32];   /* a primary group deleted from under it */
};

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int r = system(cmd);
	if (r != 0)
		fprintf(stderr, "test_bind_user: `%s` failed (%d)\n", cmd, r);
	return r;
}

static int make_users(struct users *u)
{
	int pid = (int)getpid();
	snprintf(u->good, sizeof u->good, "vsbu%d", pid);
	snprintf(u->locked, sizeof u->locked, "vsbl%d", pid);
	snprintf(u->shared, sizeof u->shared, "vsbs%d", pid);
	snprintf(u->homeless, sizeof u->homeless, "vsbh%d", pid);
	snprintf(u->filehome, sizeof u->filehome, "vsbf%d", pid);
	snprintf(u->latin, sizeof u->latin, "vsbn%d", pid);
	snprintf(u->nohome, sizeof u->nohome, "vsbe%d", pid);
	snprintf(u->latinhome, sizeof u->latinhome, "vsbd%d", pid);
	snprintf(u->latinshell, sizeof u->latinshell, "vsbk%d", pid);
	snprintf(u->nogroup, sizeof u->nogroup, "vsbg%d", pid);
	if (run("useradd -U -m -d %s/good -s /bin/sh -c 'Q \"Quote\" Back\\slash,Room 1,,' -p '%s' %s",
		u->dir, HASH, u->good) ||
	    run("useradd -U -m -d %s/locked -s '' %s", u->dir, u->locked) ||
	    run("useradd -N -g %s -m -d %s/shared %s", u->good, u->dir, u->shared) ||
	    run("useradd -U -M -d %s/missing %s", u->dir, u->homeless) ||
	    run("touch %s/file && useradd -U -M -d %s/file %s", u->dir, u->dir, u->filehome) ||
	    run("useradd -U -m -d %s/latin -c \"$(printf 'J\\374rgen')\" %s", u->dir, u->latin) ||
	    run("useradd -U -M -d %s/nohome %s && sed -i 's|^%s:\\([^:]*:[^:]*:[^:]*:[^:]*\\):[^:]*:|%s:\\1::|' /etc/passwd",
		u->dir, u->nohome, u->nohome, u->nohome) ||
	    run("useradd -U -M -d \"%s/$(printf 'J\\374rgen')\" %s", u->dir, u->latinhome) ||
	    run("useradd -U -m -d %s/latinshell -s \"$(printf '/bin/J\\374')\" %s 2>/dev/null", u->dir, u->latinshell) ||
	    run("useradd -U -m -d %s/nogroup %s && groupdel -f %s", u->dir, u->nogroup, u->nogroup))
		return -1;
	return 0;
}

static int group_setup(void **state)
{
	struct users *u = calloc(1, sizeof *u);
	if (!u)
		return -1;
	*state = u;
	if (geteuid() != 0 || access("/usr/sbin/useradd", X_OK) != 0)
		return 0;
	snprintf(u->dir, sizeof u->dir, "/tmp/vsbu-XXXXXX");
	if (!mkdtemp(u->dir))
		return -1;
	chmod(u->dir, 0755);
	if (make_users(u) < 0)
		u->good[0] = '\0';
	return 0;
}

static int group_teardown(void **state)
{
	struct users *u = *state;
	/* shared first: its primary group is good's */
	const char *names[] = { u->shared, u->locked, u->homeless, u->filehome, u->latin,
				u->nohome, u->latinhome, u->latinshell, u->nogroup, u->good };
	for (size_t i = 0; u->dir[0] && i < sizeof names / sizeof names[0]; i++)
		if (names[i][0])
			run("userdel %s 2>/dev/null; groupdel %s 2>/dev/null; true", names[i], names[i]);
	if (u->dir[0])
		run("rm -rf %s", u->dir);
	free(u);
	return 0;
}

static const struct users *need_users(void **state)
{
	const struct users *u = *state;
	if (!u->good[0])
		skip();  /* not root, or useradd failed (said why on stderr) */
	return u;
}

/* A refusal with code `code` and a message holding `words`. */
static void assert_lookup_refused(const char *name, int code, const char *words)
{
	struct bound_user u;
	struct err e = { 0 };
	assert_int_equal(bind_user_lookup(name, &u, &e), -code);
	assert_int_equal(e.code, code);
	assert_contains(e.msg, words);
	assert_null(strchr(e.msg, '\n'));
	assert_null(u.name);  /* nothing left to free */
}

/* ---- bind_user_lookup ------------------------------------------------- */

static void test_lookup_refuses_invalid_names(void **state)
{
	(void)state;
	assert_lookup_refused("", EINVAL, "not a valid user name");
	assert_lookup_refused("-rf", EINVAL, "--bind-user=-rf: not a valid user name");
	assert_lookup_refused("9lives", EINVAL, "not a valid user name");
	assert_lookup_refused("a b", EINVAL, "not a valid user name");
	assert_lookup_refused("a/b", EINVAL, "not a valid user name");
	assert_lookup_refused("..", EINVAL, "not a valid user name");
	assert_lookup_refused("abcdefghijklmnopqrstuvwxyz0123456", EINVAL, "not a valid user name");
}

static void test_lookup_refuses_unknown_user(void **state)
{
	char name[32];
	(void)state;
	snprintf(name, sizeof name, "vsbnone%d", (int)getpid());
	struct bound_user u;
	struct err e = { 0 };
	assert_int_equal(bind_user_lookup(name, &u, &e), -ENOENT);
	char want[96];
	snprintf(want, sizeof want, "no user %s on this host", name);
	assert_contains(e.msg, want);
}

static void test_lookup_refuses_root_and_nobody(void **state)
{
	(void)state;
	assert_lookup_refused("root", EPERM, "cannot bind root");
	assert_lookup_refused("nobody", EPERM, "cannot bind nobody");
}

static void test_lookup_good_user(void **state)
{
	const struct users *t = need_users(state);
	struct bound_user u;
	struct err e = { 0 };
	char home[96];
	int r = bind_user_lookup(t->good, &u, &e);
	if (r != 0)
		fail_msg("bind_user_lookup = %d: %s", r, e.msg);
	snprintf(home, sizeof home, "%s/good", t->dir);
	assert_string_equal(u.name, t->good);
	assert_true(u.host_uid > 0);
	assert_true(u.host_gid > 0);
	assert_string_equal(u.real_name, "Q \"Quote\" Back\\slash");
	assert_string_equal(u.home, home);
	assert_string_equal(u.shell, "/bin/sh");
	/* the tests run as root, who can read the hash */
	assert_string_equal(u.hashed_password, HASH);
	assert_int_equal(u.uid, 0);
	bound_user_free(&u);
	assert_null(u.name);
}

static void test_lookup_locked_user_has_no_hash(void **state)
{
	const struct users *t = need_users(state);
	struct bound_user u;
	struct err e = { 0 };
	int r = bind_user_lookup(t->locked, &u, &e);
	if (r != 0)
		fail_msg("bind_user_lookup = %d: %s", r, e.msg);
	assert_null(u.hashed_password);
	assert_null(u.real_name);
	assert_null(u.shell);
	bound_user_free(&u);
}

/* A record with bytes that are not UTF-8 would not parse at all. */
static void test_lookup_drops_real_name_not_utf8(void **state)
{
	const struct users *t = need_users(state);
	struct bound_user u;
	struct err e = { 0 };
	int r = bind_user_lookup(t->latin, &u, &e);
	if (r != 0)
		fail_msg("bind_user_lookup = %d: %s", r, e.msg);
	assert_null(u.real_name);
	assert_non_null(u.home);
	bound_user_free(&u);
}

static void test_lookup_refuses_shared_primary_group(void **state)
{
	const struct users *t = need_users(state);
	char want[256];
	snprintf(want, sizeof want, "%s's primary group is %s; --bind-user needs a user with a group of its own name",
		 t->shared, t->good);
	assert_lookup_refused(t->shared, EINVAL, want);
}

static void test_lookup_refuses_missing_home(void **state)
{
	const struct users *t = need_users(state);
	char want[256];
	snprintf(want, sizeof want, "%s's home %s/missing does not exist", t->homeless, t->dir);
	assert_lookup_refused(t->homeless, ENOENT, want);
	snprintf(want, sizeof want, "%s's home %s/file is not a directory", t->filehome, t->dir);
	assert_lookup_refused(t->filehome, ENOTDIR, want);
}

/* Each refusal names the user and, where there is one, the fix. */
static void test_lookup_refuses_unusable_passwd_fields(void **state)
{
	const struct users *t = need_users(state);
	char want[256];
	snprintf(want, sizeof want, "%s has no home directory; --bind-user binds it into the container: as root run usermod -d HOME %s",
		 t->nohome, t->nohome);
	assert_lookup_refused(t->nohome, ENOENT, want);
	snprintf(want, sizeof want, "%s's home is not a UTF-8 path, which a user record cannot hold; name another user", t->latinhome);
	assert_lookup_refused(t->latinhome, EINVAL, want);
	snprintf(want, sizeof want, "%s's shell is not a UTF-8 path, which a user record cannot hold; name another user", t->latinshell);
	assert_lookup_refused(t->latinshell, EINVAL, want);
	struct passwd *pw = getpwnam(t->nogroup);
	assert_non_null(pw);
	snprintf(want, sizeof want, "%s's primary group %lu does not exist on this host; --bind-user needs a user with a group of its own name",
		 t->nogroup, (unsigned long)pw->pw_gid);
	assert_lookup_refused(t->nogroup, ENOENT, want);
}

/* ---- bind_user_allocate ----------------------------------------------- */

static struct bound_user fake(const char *name, uid_t host_uid)
{
	struct bound_user u = { .name = strdup(name), .host_uid = host_uid, .host_gid = host_uid };
	assert_non_null(u.name);
	return u;
}

static void free_all(struct bound_user *users, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bound_user_free(&users[i]);
}

static void test_allocate_numbers_in_order(void **state)
{
	struct bound_user users[] = { fake("alice", 1001), fake("bob", 1002), fake("carol", 1003) };
	struct err e = { 0 };
	(void)state;
	assert_int_equal(bind_user_allocate(users, 3, &e), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(users[i].uid, 60514 + i);
		assert_int_equal(users[i].gid, 60514 + i);
	}
	assert_string_equal(users[2].name, "carol");
	free_all(users, 3);
}

static void test_allocate_drops_duplicate_names(void **state)
{
	struct bound_user users[] = { fake("alice", 1001), fake("bob", 1002), fake("alice", 1001),
				      fake("carol", 1003), fake("bob", 1002) };
	struct err e = { 0 };
	(void)state;
	assert_int_equal(bind_user_allocate(users, 5, &e), 3);
	assert_string_equal(users[0].name, "alice");
	assert_string_equal(users[1].name, "bob");
	assert_string_equal(users[2].name, "carol");
	assert_int_equal(users[2].uid, 60516);
	assert_null(users[3].name);
	assert_null(users[4].name);
	free_all(users, 5);
}

static void test_allocate_refuses_one_uid_two_names(void **state)
{
	struct bound_user users[] = { fake("alice", 1001), fake("alias", 1001) };
	struct err e = { 0 };
	(void)state;
	assert_int_equal(bind_user_allocate(users, 2, &e), -EEXIST);
	assert_contains(e.msg, "--bind-user=alice and --bind-user=alias name the same host user (uid 1001)");
	free_all(users, 2);
}

static void test_allocate_limit(void **state)
{
	struct bound_user users[BIND_USER_MAX + 2];
	struct err e = { 0 };
	char name[16];
	(void)state;
	for (size_t i = 0; i < BIND_USER_MAX + 2; i++) {
		snprintf(name, sizeof name, "u%zu", i);
		users[i] = fake(name, 2000 + i);
	}
	/* 64 fit, a duplicate on top does not count */
	users[BIND_USER_MAX] = (bound_user_free(&users[BIND_USER_MAX]), fake("u0", 2000));
	assert_int_equal(bind_user_allocate(users, BIND_USER_MAX + 1, &e), 64);
	assert_int_equal(users[63].uid, 60577);
	free_all(users, BIND_USER_MAX + 2);

	for (size_t i = 0; i < BIND_USER_MAX + 1; i++) {
		snprintf(name, sizeof name, "u%zu", i);
		users[i] = fake(name, 2000 + i);
	}
	assert_int_equal(bind_user_allocate(users, BIND_USER_MAX + 1, &e), -E2BIG);
	assert_contains(e.msg, "at most 64 users (container uids 60514-60577)");
	free_all(users, BIND_USER_MAX + 1);
}

/* ---- bind_user_write_records ------------------------------------------ */

/* Looked up, numbered and written: the pieces as volspawn chains them.
 * The records go under the users' directory, which teardown removes. */
static void test_records_of_real_user(void **state)
{
	const struct users *t = need_users(state);
	struct bound_user u[2];
	struct err e = { 0 };
	char want[512], dir[96], file[64];

	assert_int_equal(bind_user_lookup(t->good, &u[0], &e), 0);
	assert_int_equal(bind_user_lookup(t->locked, &u[1], &e), 0);
	assert_int_equal(bind_user_allocate(u, 2, &e), 2);
	snprintf(dir, sizeof dir, "%s/userdb", t->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	write_records(fd, &u[0]);
	write_records(fd, &u[1]);
	snprintf(want, sizeof want,
		 "60514.group 60514.user 60514.user-privileged 60515.group 60515.user "
		 "%s.group %s.user %s.group %s.user %s.user-privileged",
		 t->locked, t->locked, t->good, t->good, t->good);
	assert_entries(fd, want);
	snprintf(want, sizeof want,
		 "{\"userName\":\"%s\",\"uid\":60514,\"gid\":60514,"
		 "\"realName\":\"Q \\\"Quote\\\" Back\\\\slash\","
		 "\"homeDirectory\":\"%s/good\",\"shell\":\"/bin/sh\","
		 "\"disposition\":\"regular\",\"service\":\"io.systemd.NSpawn\"}\n", t->good, t->dir);
	snprintf(file, sizeof file, "%s.user", t->good);
	assert_file(fd, file, 0644, want);
	snprintf(file, sizeof file, "%s.user-privileged", t->good);
	assert_file(fd, file, 0600, "{\"privileged\":{\"hashedPassword\":[\"" HASH "\"]}}\n");
	close(fd);
	free_all(u, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_refuses_invalid_names),
		cmocka_unit_test(test_lookup_refuses_unknown_user),
		cmocka_unit_test(test_lookup_refuses_root_and_nobody),
		cmocka_unit_test(test_lookup_good_user),
		cmocka_unit_test(test_lookup_locked_user_has_no_hash),
		cmocka_unit_test(test_lookup_drops_real_name_not_utf8),
		cmocka_unit_test(test_lookup_refuses_shared_primary_group),
		cmocka_unit_test(test_lookup_refuses_missing_home),
		cmocka_unit_test(test_lookup_refuses_unusable_passwd_fields),
		cmocka_unit_test(test_allocate_numbers_in_order),
		cmocka_unit_test(test_allocate_drops_duplicate_names),
		cmocka_unit_test(test_allocate_refuses_one_uid_two_names),
		cmocka_unit_test(test_allocate_limit),
		cmocka_unit_test(test_records_of_real_user),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
