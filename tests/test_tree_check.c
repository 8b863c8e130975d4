/* test_tree_check.c — the tree's /usr as volspawn takes it (tree_open_usr):
 * a directory of the tree's own, or refused, whatever it points at. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "front/tree-check.h"

struct tree {
	char path[128];
	int fd;
};

static int setup(void **state)
{
	static struct tree t;
	const char *tmp = getenv("TMPDIR");
	snprintf(t.path, sizeof t.path, "%s/test-tree.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t.path))
		return -1;
	t.fd = open(t.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*state = &t;
	return t.fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	unlinkat(t->fd, "usr", 0);
	unlinkat(t->fd, "usr", AT_REMOVEDIR);
	close(t->fd);
	rmdir(t->path);
	return 0;
}

static void a_directory_is_taken(void **state)
{
	struct tree *t = *state;
	struct err e = { 0 };
	struct stat st;
	assert_int_equal(mkdirat(t->fd, "usr", 0755), 0);
	int fd = tree_open_usr(t->fd, t->path, &e);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(e.code, 0);
	close(fd);
}

static void none_is_enoent_and_no_error(void **state)
{
	struct tree *t = *state;
	struct err e = { 0 };
	assert_int_equal(tree_open_usr(t->fd, t->path, &e), -ENOENT);
	assert_int_equal(e.code, 0);
}

/* A link is never followed: not out of the tree, not even into it. */
static void a_link_is_refused_wherever_it_points(void **state)
{
	static const char *const targets[] = { "/", "/usr", ".", "usr.real", "/nonexistent" };
	struct tree *t = *state;
	char want[512];
	snprintf(want, sizeof want, "%s/usr is a symlink, not a directory: volspawn takes nothing from outside the tree; give a tree whose /usr is a directory", t->path);
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		struct err e = { 0 };
		unlinkat(t->fd, "usr", 0);
		assert_int_equal(symlinkat(targets[i], t->fd, "usr"), 0);
		assert_int_equal(tree_open_usr(t->fd, t->path, &e), -ENOTDIR);
		assert_string_equal(e.msg, want);
	}
}

static void a_file_is_refused(void **state)
{
	struct tree *t = *state;
	struct err e = { 0 };
	int fd = openat(t->fd, "usr", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tree_open_usr(t->fd, t->path, &e), -ENOTDIR);
	assert_non_null(strstr(e.msg, "/usr is a file, not a directory"));
}

/* The host's root names its /usr without a double slash. */
static void the_hosts_root(void **state)
{
	(void)state;
	struct err e = { 0 };
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = tree_open_usr(root, "/", &e);
	assert_true(fd >= 0);
	close(fd);
	close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_directory_is_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(none_is_enoent_and_no_error, setup, teardown),
		cmocka_unit_test_setup_teardown(a_link_is_refused_wherever_it_points, setup, teardown),
		cmocka_unit_test_setup_teardown(a_file_is_refused, setup, teardown),
		cmocka_unit_test(the_hosts_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
