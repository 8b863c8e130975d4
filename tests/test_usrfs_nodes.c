/* test_usrfs_nodes.c — the ownership view's node table: one node per host
 * inode, paths the kernel's names build, references the kernel drops. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "usrfs/usrfs-nodes.h"

static struct stat inode(dev_t dev, ino_t ino)
{
	return (struct stat){ .st_dev = dev, .st_ino = ino, .st_mode = 0100644 };
}

static int setup(void **state)
{
	static struct usrfs_nodes t;
	struct stat root = inode(8, 2);
	*state = &t;
	return usrfs_nodes_init(&t, &root);
}

static int teardown(void **state)
{
	usrfs_nodes_free(*state);
	return 0;
}

static void paths_are_built_from_the_kernels_names(void **state)
{
	struct usrfs_nodes *t = *state;
	char buf[PATH_MAX];
	struct stat bin = inode(8, 10), su = inode(8, 11);
	struct usrfs_ident who;
	assert_int_equal(usrfs_node_path(t, USRFS_ROOT_ID, NULL, buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, ".");
	assert_int_equal(usrfs_node_path(t, USRFS_ROOT_ID, "bin", buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, "bin");
	uint64_t b = usrfs_node_ref(t, &bin, "bin");
	assert_int_equal(usrfs_node_path(t, b, "su", buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, "bin/su");
	uint64_t s = usrfs_node_ref(t, &su, "bin/su");
	assert_int_equal(usrfs_node_path(t, s, NULL, buf, sizeof buf, &who), 0);
	assert_string_equal(buf, "bin/su");
	assert_int_equal(who.attr.st_ino, 11);
	assert_int_equal(who.wd, WD_NONE);
	assert_int_equal(usrfs_node_path(t, s, NULL, buf, 4, NULL), -ENAMETOOLONG);
}

/* The same inode is one node, whatever name reached it; the newest name is
 * the one kept, as an older one may be gone. */
static void one_node_per_inode(void **state)
{
	struct usrfs_nodes *t = *state;
	char buf[PATH_MAX];
	struct stat a = inode(8, 20), other_dev = inode(9, 20);
	uint64_t first = usrfs_node_ref(t, &a, "lib/a");
	uint64_t link = usrfs_node_ref(t, &a, "lib/hardlink-to-a");
	assert_int_equal(first, link);
	assert_int_equal(usrfs_node_path(t, first, NULL, buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, "lib/hardlink-to-a");
	assert_int_not_equal(usrfs_node_ref(t, &other_dev, "other"), first);
	assert_int_equal(usrfs_node_ref(t, &(struct stat){ .st_dev = 8, .st_ino = 2 }, "."), USRFS_ROOT_ID);
}

/* A node lives while the kernel holds a reference; a replaced file (a new
 * inode at the same path) is a new node. */
static void forgetting_frees_and_a_new_inode_is_a_new_node(void **state)
{
	struct usrfs_nodes *t = *state;
	struct stat old = inode(8, 30), replaced = inode(8, 31);
	uint64_t id = usrfs_node_ref(t, &old, "share/f");
	usrfs_node_ref(t, &old, "share/f");
	assert_int_equal(usrfs_node_forget(t, id, 1), WD_NONE);
	pthread_mutex_lock(&t->lock);
	assert_non_null(usrfs_node_find(t, 8, 30));
	pthread_mutex_unlock(&t->lock);
	assert_int_not_equal(usrfs_node_ref(t, &replaced, "share/f"), id);
	usrfs_node_forget(t, id, 1);
	pthread_mutex_lock(&t->lock);
	assert_null(usrfs_node_find(t, 8, 30));
	assert_non_null(usrfs_node_find(t, 8, 31));
	pthread_mutex_unlock(&t->lock);
	/* the root is never freed */
	usrfs_node_forget(t, USRFS_ROOT_ID, 100);
	pthread_mutex_lock(&t->lock);
	assert_non_null(usrfs_node_find(t, 8, 2));
	pthread_mutex_unlock(&t->lock);
}

/* Watches map back to their directory until it is forgotten; the watch to
 * remove is handed back then. */
static void watches_follow_their_directory(void **state)
{
	struct usrfs_nodes *t = *state;
	char buf[PATH_MAX];
	struct stat dir = inode(8, 40), unwatchable = inode(8, 41);
	uint64_t id = usrfs_node_ref(t, &dir, "share");
	assert_int_equal(usrfs_node_set_watch(t, id, 300), 0);
	assert_int_equal(usrfs_node_by_watch(t, 300, buf, sizeof buf), id);
	assert_string_equal(buf, "share");
	assert_int_equal(usrfs_node_by_watch(t, 299, buf, sizeof buf), 0);
	assert_int_equal(usrfs_node_by_watch(t, -1, buf, sizeof buf), 0);
	uint64_t u = usrfs_node_ref(t, &unwatchable, "lib");
	usrfs_node_set_watch(t, u, WD_FAILED);
	struct usrfs_ident who;
	usrfs_node_path(t, u, NULL, buf, sizeof buf, &who);
	assert_int_equal(who.wd, WD_FAILED);
	assert_int_equal(usrfs_node_forget(t, id, 1), 300);
	assert_int_equal(usrfs_node_by_watch(t, 300, buf, sizeof buf), 0);
	assert_int_equal(usrfs_node_forget(t, u, 1), WD_FAILED);
}

/* Many inodes: the table grows and finds every one again. */
static void thousands_of_inodes(void **state)
{
	struct usrfs_nodes *t = *state;
	static uint64_t ids[20000];
	char path[32];
	for (ino_t i = 0; i < 20000; i++) {
		struct stat st = inode(8, 1000 + i);
		snprintf(path, sizeof path, "f%lu", (unsigned long)i);
		ids[i] = usrfs_node_ref(t, &st, path);
		assert_int_not_equal(ids[i], 0);
	}
	for (ino_t i = 0; i < 20000; i++) {
		struct stat st = inode(8, 1000 + i);
		assert_int_equal(usrfs_node_ref(t, &st, "again"), ids[i]);
	}
	for (ino_t i = 0; i < 20000; i++)
		usrfs_node_forget(t, ids[i], 2);
	assert_int_equal(t->count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(paths_are_built_from_the_kernels_names, setup, teardown),
		cmocka_unit_test_setup_teardown(one_node_per_inode, setup, teardown),
		cmocka_unit_test_setup_teardown(forgetting_frees_and_a_new_inode_is_a_new_node, setup, teardown),
		cmocka_unit_test_setup_teardown(watches_follow_their_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(thousands_of_inodes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
