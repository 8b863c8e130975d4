/* test_usrfs_view.c — what the ownership view reports of a host inode:
 * owners the container has ids for, and modes that lend no more than the
 * host lends an unrelated uid. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "usrfs/usrfs-view.h"

static mode_t viewed(mode_t mode)
{
	struct stat st = { .st_mode = mode };
	usrfs_view_attr(&st);
	return st.st_mode;
}

/* What others may read and run is what everyone may: unchanged. */
static void world_readable_modes_stay(void **state)
{
	(void)state;
	assert_int_equal(viewed(S_IFREG | 0644), S_IFREG | 0644);
	assert_int_equal(viewed(S_IFREG | 0755), S_IFREG | 0755);
	assert_int_equal(viewed(S_IFDIR | 0755), S_IFDIR | 0755);
	assert_int_equal(viewed(S_IFREG | 04755), S_IFREG | 04755);   /* su, sudo: setuid kept */
	assert_int_equal(viewed(S_IFREG | 02755), S_IFREG | 02755);
	assert_int_equal(viewed(S_IFDIR | 01777), S_IFDIR | 01777);
	assert_int_equal(viewed(S_IFLNK | 0777), S_IFLNK | 0777);
}

/* What only the owner or the group may read or run, no one may inside;
 * the write bits stay, the view being read-only anyway. */
static void owner_and_group_get_no_more_than_other(void **state)
{
	(void)state;
	assert_int_equal(viewed(S_IFREG | 0600), S_IFREG | 0200);
	assert_int_equal(viewed(S_IFREG | 0640), S_IFREG | 0200);
	assert_int_equal(viewed(S_IFREG | 0750), S_IFREG | 0200);
	assert_int_equal(viewed(S_IFDIR | 0700), S_IFDIR | 0200);
	assert_int_equal(viewed(S_IFDIR | 0711), S_IFDIR | 0311);   /* searched, never listed */
	assert_int_equal(viewed(S_IFREG | 0754), S_IFREG | 0644);   /* read, never run */
	assert_int_equal(viewed(S_IFREG | 04711), S_IFREG | 04311);
	assert_int_equal(viewed(S_IFREG | 0000), S_IFREG | 0000);
	assert_int_equal(viewed(S_IFREG | 0066), S_IFREG | 0066);   /* no bit given where the host gives none */
}

static void owners_without_an_id_inside_are_nobody(void **state)
{
	(void)state;
	struct stat st = { .st_mode = S_IFREG | 0644, .st_uid = 0, .st_gid = 65535 };
	usrfs_view_attr(&st);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_gid, 65535);
	st.st_uid = 65536;
	st.st_gid = 70001;
	usrfs_view_attr(&st);
	assert_int_equal(st.st_uid, USRFS_NOBODY);
	assert_int_equal(st.st_gid, USRFS_NOBODY);
}

static void what_is_lent(void **state)
{
	(void)state;
	struct stat st = { .st_mode = S_IFDIR | 0751 };
	assert_true(usrfs_view_lends(&st, S_IXOTH));
	assert_false(usrfs_view_lends(&st, S_IROTH));
	st.st_mode = S_IFREG | 0604;
	assert_true(usrfs_view_lends(&st, S_IROTH));
	assert_false(usrfs_view_lends(&st, S_IROTH | S_IXOTH));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(world_readable_modes_stay),
		cmocka_unit_test(owner_and_group_get_no_more_than_other),
		cmocka_unit_test(owners_without_an_id_inside_are_nobody),
		cmocka_unit_test(what_is_lent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
