/* test_creds_write.c — creds_write: the credentials as read-only files in
 * the container's credentials directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds/creds.h"
#include "creds-fixture.h"

/* ---- creds_write ------------------------------------------------------ */

static void assert_file(int dirfd, const char *name, const char *data, size_t size)
{
	struct stat st;
	char buf[64];
	assert_int_equal(fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0400);
	assert_int_equal(st.st_size, size);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), (ssize_t)size);
	assert_memory_equal(buf, data, size);
	close(fd);
}

static void test_write_files_read_only_with_exact_content(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	assert_int_equal(mkdir(scratch(f, "out", path), 0700), 0);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_set(&f->c, "text:hello\\n", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "bin:a\\x00\\xffb", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "empty:", &f->e), &f->e);
	mode_t old = umask(0);   /* the mode must not depend on it */
	int r = creds_write(dirfd, &f->c, &f->e);
	umask(old);
	assert_ok(r, &f->e);
	assert_file(dirfd, "text", "hello\n", 6);
	assert_file(dirfd, "bin", "a\0\xff" "b", 4);
	assert_file(dirfd, "empty", "", 0);
	close(dirfd);
}

static void test_write_large_credential_whole(void **state)
{
	struct fixture *f = *state;
	size_t size = 2 * 1024 * 1024;
	struct credential cred = { strdup("big"), malloc(size + 1), size };
	struct stat st;
	assert_non_null(cred.data);
	memset(cred.data, 'z', size);
	cred.data[size] = '\0';
	assert_ok(creds_add(&f->c, &cred, &f->e), &f->e);
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_write(dirfd, &f->c, &f->e), &f->e);
	assert_int_equal(fstatat(dirfd, "big", &st, 0), 0);
	assert_int_equal(st.st_size, size);
	close(dirfd);
}

static void test_write_existing_file_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	write_file(scratch(f, "taken", path), "old", 3);
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_set(&f->c, "taken:new", &f->e), &f->e);
	assert_fails(creds_write(dirfd, &f->c, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "'taken'");
	close(dirfd);
}

static void test_write_nothing_is_fine(void **state)
{
	struct fixture *f = *state;
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_ok(creds_write(dirfd, &f->c, &f->e), &f->e);
	close(dirfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		creds_test(test_write_files_read_only_with_exact_content),
		creds_test(test_write_large_credential_whole),
		creds_test(test_write_existing_file_refused),
		creds_test(test_write_nothing_is_fine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
