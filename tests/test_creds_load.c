/* test_creds_load.c — --load-credential, from a file, from the credentials
 * passed to volspawn and from a socket; and the list it adds to: duplicate
 * IDs, creds_add, creds_find and creds_free. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "creds/creds.h"
#include "creds-fixture.h"

/* ---- duplicates ------------------------------------------------------ */

static void test_duplicate_set_refused(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_set(&f->c, "foo:second", &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_int_equal(f->c.n, 1);
	assert_credential(&f->c, "foo", "first", 5);
}

static void test_duplicate_across_set_and_load_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "file", path), "x", 1);
	snprintf(arg, sizeof arg, "foo:%s", path);
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_load(&f->c, arg, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "--load-credential");
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_int_equal(f->c.n, 1);
}

static void test_duplicate_across_load_and_set_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "file", path), "x", 1);
	snprintf(arg, sizeof arg, "foo:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_fails(creds_set(&f->c, "foo:second", &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_credential(&f->c, "foo", "x", 1);
}

/* Found before the source is read: a missing file does not matter. */
static void test_duplicate_load_refused_before_reading(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_load(&f->c, "foo:/nonexistent/file", &f->e), EEXIST, &f->e);
}

static void test_different_ids_accumulate_in_order(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "b:2", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "a:1", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "c:3", &f->e), &f->e);
	assert_int_equal(f->c.n, 3);
	assert_string_equal(f->c.v[0].id, "b");
	assert_string_equal(f->c.v[1].id, "a");
	assert_string_equal(f->c.v[2].id, "c");
}

static void test_add_moves_credential(void **state)
{
	struct fixture *f = *state;
	struct credential cred = { strdup("id"), strdup("data"), 4 };
	assert_ok(creds_add(&f->c, &cred, &f->e), &f->e);
	assert_null(cred.id);
	assert_null(cred.data);
	assert_credential(&f->c, "id", "data", 4);
}

static void test_add_duplicate_leaves_credential_to_caller(void **state)
{
	struct fixture *f = *state;
	struct credential a = { strdup("id"), strdup("one"), 3 };
	struct credential b = { strdup("id"), strdup("two"), 3 };
	assert_ok(creds_add(&f->c, &a, &f->e), &f->e);
	assert_fails(creds_add(&f->c, &b, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'id'");
	assert_string_equal(b.data, "two");
	credential_free(&b);
	assert_null(b.id);
	assert_int_equal(f->c.n, 1);
}

static void test_find_missing_is_null(void **state)
{
	struct fixture *f = *state;
	assert_null(creds_find(&f->c, "nothing"));
}

static void test_free_empties_list(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "a:1", &f->e), &f->e);
	creds_free(&f->c);
	assert_int_equal(f->c.n, 0);
	assert_null(f->c.v);
	creds_free(&f->c);
}

/* ---- --load-credential ----------------------------------------------- */

static void test_load_absolute_file(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "secret", path), "te\0xt\n", 6);
	snprintf(arg, sizeof arg, "my.cred:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "my.cred", "te\0xt\n", 6);
}

static void test_load_empty_file(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "empty", path), "", 0);
	snprintf(arg, sizeof arg, "e:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "e", "", 0);
}

/* Bigger than any one read: the loop and the buffer's growth. */
static void test_load_large_file_whole(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * 1024 * 1024 + 17;
	char *data = malloc(size), path[4096], arg[4200];
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 7 + i / 251);
	write_file(scratch(f, "big", path), data, size);
	snprintf(arg, sizeof arg, "big:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "big", data, size);
	free(data);
}

static void test_load_value_is_not_unescaped(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "raw", path), "a\\nb\\q", 6);
	snprintf(arg, sizeof arg, "raw:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "raw", "a\\nb\\q", 6);
}

static void test_load_name_from_credentials_directory(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	write_file(scratch(f, "passed.cred", path), "from outside", 12);
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_ok(creds_load(&f->c, "inside:passed.cred", &f->e), &f->e);
	assert_credential(&f->c, "inside", "from outside", 12);
}

static void test_load_name_missing_in_credentials_directory(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_fails(creds_load(&f->c, "inside:absent", &f->e), ENOENT, &f->e);
	assert_contains(f->e.msg, "--load-credential=inside:absent");
	assert_contains(f->e.msg, f->dir);
}

static void test_load_name_without_credentials_directory(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "inside:passed.cred", &f->e), ENXIO, &f->e);
	assert_contains(f->e.msg, "no credentials passed to volspawn ($CREDENTIALS_DIRECTORY is not set)");
	assert_int_equal(f->c.n, 0);
}

static void test_load_name_with_empty_credentials_directory(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", "", 1);
	assert_fails(creds_load(&f->c, "inside:passed.cred", &f->e), ENXIO, &f->e);
}

/* As nspawn: a source with a '/' is a path, from the working directory
 * when relative; only a bare name is looked up among passed credentials. */
static void test_load_relative_path_with_slash_from_working_directory(void **state)
{
	struct fixture *f = *state;
	char path[4096], cwd[4096];
	write_file(scratch(f, "here", path), "local", 5);
	setenv("CREDENTIALS_DIRECTORY", "/nonexistent", 1);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->dir), 0);
	int r = creds_load(&f->c, "c:./here", &f->e);
	assert_int_equal(chdir(cwd), 0);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "c", "local", 5);
}

static void test_load_bad_source_name_refused(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_fails(creds_load(&f->c, "c:", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "expected a path or the name of a credential");
	assert_fails(creds_load(&f->c, "c:..", &f->e), EINVAL, &f->e);
	assert_fails(creds_load(&f->c, "c:a:b", &f->e), EINVAL, &f->e);
}

static void test_load_missing_file_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "c:/nonexistent/file", &f->e), ENOENT, &f->e);
	assert_contains(f->e.msg, "--load-credential=c:/nonexistent/file: cannot read /nonexistent/file");
	assert_int_equal(f->c.n, 0);
}

static void test_load_directory_refused(void **state)
{
	struct fixture *f = *state;
	char arg[4200];
	snprintf(arg, sizeof arg, "c:%s", f->dir);
	assert_fails(creds_load(&f->c, arg, &f->e), EISDIR, &f->e);
}

static void test_load_missing_colon_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "--load-credential=/etc/hostname: expected ID:PATH");
}

static void test_load_bad_id_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "..:/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "invalid credential ID '..'");
	assert_fails(creds_load(&f->c, "a\\:b:/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "it contains a ':'");
}

/* A server for one client: it reads until the client shuts its end (as
 * nspawn's client does), then sends size bytes of data and closes. */
static pid_t serve_once(int listener, const char *data, size_t size)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	alarm(20);
	int fd = accept(listener, NULL, NULL);
	char buf[64];
	ssize_t n;
	if (fd < 0)
		_exit(2);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		;
	if (n < 0)
		_exit(3);
	for (size_t off = 0; off < size; off += (size_t)n)
		if ((n = write(fd, data + off, size - off)) <= 0)
			_exit(4);
	close(fd);
	_exit(0);
}

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof sa.sun_path);
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 1), 0);
	return fd;
}

static void assert_served(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the socket server failed (status %#x)", status);
}

/* Load from a socket at path and compare with data. */
static void load_from_socket(struct fixture *f, const char *listen_path, const char *load_path,
			     const char *data, size_t size)
{
	char arg[4200];
	int listener = listen_at(listen_path);
	pid_t pid = serve_once(listener, data, size);
	close(listener);
	snprintf(arg, sizeof arg, "sock:%s", load_path);
	int r = creds_load(&f->c, arg, &f->e);
	assert_served(pid);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "sock", data, size);
}

static void test_load_from_unix_socket(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	load_from_socket(f, scratch(f, "sock", path), path, "served\0data", 11);
}

static void test_load_large_value_from_unix_socket(void **state)
{
	struct fixture *f = *state;
	size_t size = 1024 * 1024 + 5;
	char *data = malloc(size), path[4096];
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i % 253);
	load_from_socket(f, scratch(f, "sock", path), path, data, size);
	free(data);
}

/* sun_path holds 107 bytes: a longer path is still reached. */
static void test_load_from_unix_socket_with_long_path(void **state)
{
	struct fixture *f = *state;
	char dir[4096], cwd[4096], path[4096];
	const char *sub = "a-directory-name-long-enough-to-push-the-socket-path-past-sun_path";
	assert_int_equal(mkdir(scratch(f, sub, dir), 0700), 0);
	snprintf(path, sizeof path, "%s/%s/credential.socket", f->dir, sub);
	assert_true(strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path));
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	int listener = listen_at("credential.socket");
	assert_int_equal(chdir(cwd), 0);
	pid_t pid = serve_once(listener, "far", 3);
	close(listener);
	char arg[4200];
	snprintf(arg, sizeof arg, "sock:%s", path);
	int r = creds_load(&f->c, arg, &f->e);
	assert_served(pid);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "sock", "far", 3);
}

static void test_load_from_socket_nobody_listens(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	close(listen_at(scratch(f, "dead", path)));
	snprintf(arg, sizeof arg, "sock:%s", path);
	assert_fails(creds_load(&f->c, arg, &f->e), ECONNREFUSED, &f->e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		creds_test(test_duplicate_set_refused),
		creds_test(test_duplicate_across_set_and_load_refused),
		creds_test(test_duplicate_across_load_and_set_refused),
		creds_test(test_duplicate_load_refused_before_reading),
		creds_test(test_different_ids_accumulate_in_order),
		creds_test(test_add_moves_credential),
		creds_test(test_add_duplicate_leaves_credential_to_caller),
		creds_test(test_find_missing_is_null),
		creds_test(test_free_empties_list),

		creds_test(test_load_absolute_file),
		creds_test(test_load_empty_file),
		creds_test(test_load_large_file_whole),
		creds_test(test_load_value_is_not_unescaped),
		creds_test(test_load_name_from_credentials_directory),
		creds_test(test_load_name_missing_in_credentials_directory),
		creds_test(test_load_name_without_credentials_directory),
		creds_test(test_load_name_with_empty_credentials_directory),
		creds_test(test_load_relative_path_with_slash_from_working_directory),
		creds_test(test_load_bad_source_name_refused),
		creds_test(test_load_missing_file_refused),
		creds_test(test_load_directory_refused),
		creds_test(test_load_missing_colon_refused),
		creds_test(test_load_bad_id_refused),
		creds_test(test_load_from_unix_socket),
		creds_test(test_load_large_value_from_unix_socket),
		creds_test(test_load_from_unix_socket_with_long_path),
		creds_test(test_load_from_socket_nobody_listens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
