/* test_idmap_hole.c — holes for bound users in the container's id maps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "idmap/idmap-hole.h"

#define S 100000UL   /* the subordinate range of the spec's measurements */
#define H 1001UL     /* alice, the bound user */

/* A rootless map as idmap_from_subid makes it: 0..65535 onto [su, su+65536). */
static struct idmap fresh(unsigned long su, unsigned long sg)
{
	struct idmap m = { .n_uid = 1, .n_gid = 1, .lock_fd = -1 };
	m.uid[0] = (struct id_extent){ 0, su, IDMAP_SIZE };
	m.gid[0] = (struct id_extent){ 0, sg, IDMAP_SIZE };
	return m;
}

/* What the kernel demands, and what a container needs: no two extents
 * overlap inside or outside, and together they cover 0..65535. */
static void assert_sane(const struct id_extent *x, size_t n)
{
	unsigned long covered = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(x[i].count > 0);
		covered += x[i].count;
		for (size_t j = i + 1; j < n; j++) {
			assert_true(x[i].inside + x[i].count <= x[j].inside ||
				    x[j].inside + x[j].count <= x[i].inside);
			assert_true(x[i].outside + x[i].count <= x[j].outside ||
				    x[j].outside + x[j].count <= x[i].outside);
		}
	}
	assert_int_equal(covered, IDMAP_SIZE);
}

/* Compare one side with want[], given as inside, outside, count triples. */
static void assert_side(const struct id_extent *x, size_t n, const unsigned long *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(x[i].inside, want[3 * i]);
		assert_int_equal(x[i].outside, want[3 * i + 1]);
		assert_int_equal(x[i].count, want[3 * i + 2]);
	}
	assert_sane(x, n);
}

#define ASSERT_SIDE(ext, n, ...)                                                     \
	do {                                                                         \
		const unsigned long want_[] = { __VA_ARGS__ };                       \
		assert_side((ext), (n), want_, sizeof want_ / sizeof want_[0] / 3);  \
	} while (0)

static void add(struct idmap *m, unsigned long inside, unsigned long hu, unsigned long hg)
{
	struct err e = { 0 };
	int r = idmap_add_hole(m, inside, hu, hg, &e);
	if (r != 0)
		fail_msg("idmap_add_hole(%lu) = %d: %s", inside, r, e.msg);
}

/* A refusal with code `code` and a message, leaving m as it was. */
static void assert_refused(struct idmap *m, unsigned long inside, unsigned long hu,
			   unsigned long hg, int code, const char *words)
{
	struct err e = { 0 };
	struct idmap before = *m;
	assert_int_equal(idmap_add_hole(m, inside, hu, hg, &e), -code);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, words))
		fail_msg("\"%s\" does not contain \"%s\"", e.msg, words);
	assert_memory_equal(m, &before, sizeof before);
}

static void test_measured_form(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 60514, 60514, H, 1, 60515, S + 60514, 5021);
	ASSERT_SIDE(m.gid, m.n_gid, 0, S, 60514, 60514, H, 1, 60515, S + 60514, 5021);
	assert_int_equal(m.lock_fd, -1);
}

static void test_sides_are_independent(void **state)
{
	struct idmap m = fresh(S, 300000);
	(void)state;
	add(&m, 60514, H, 1005);
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 60514, 60514, H, 1, 60515, S + 60514, 5021);
	ASSERT_SIDE(m.gid, m.n_gid, 0, 300000, 60514, 60514, 1005, 1, 60515, 300000 + 60514, 5021);
}

static void test_hole_at_zero(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 0, H, H);
	ASSERT_SIDE(m.uid, m.n_uid, 0, H, 1, 1, S, 65535);
	ASSERT_SIDE(m.gid, m.n_gid, 0, H, 1, 1, S, 65535);
}

static void test_hole_at_last_id(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 65535, H, H);
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 65535, 65535, H, 1);
	ASSERT_SIDE(m.gid, m.n_gid, 0, S, 65535, 65535, H, 1);
}

/* Bound users get 60514, 60515, … in order: each hole opens the part
 * after the last one. */
static void test_adjacent_holes(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	add(&m, 60515, 1002, 1002);
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 60514, 60514, H, 1, 60515, 1002, 1,
		    60516, S + 60514, 5020);
	add(&m, 60516, 1003, 1003);
	ASSERT_SIDE(m.gid, m.n_gid, 0, S, 60514, 60514, H, 1, 60515, 1002, 1,
		    60516, 1003, 1, 60517, S + 60514, 5019);
	assert_refused(&m, 60517, 1004, 1004, E2BIG, "bind fewer users");
}

static void test_two_holes_apart(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	add(&m, 1000, 1002, 1002);
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 1000, 1000, 1002, 1, 1001, S + 1000, 59513,
		    60514, H, 1, 60515, S + 60514, 5021);
	ASSERT_SIDE(m.gid, m.n_gid, 0, S, 1000, 1000, 1002, 1, 1001, S + 1000, 59513,
		    60514, H, 1, 60515, S + 60514, 5021);
}

static void test_too_many_extents_refused(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 100, 1002, 1002);
	add(&m, 60514, H, H);
	assert_int_equal(m.n_uid, IDMAP_MAX_EXTENTS);
	assert_refused(&m, 30000, 1003, 1003, E2BIG, "more than 5 ranges");
	/* even a hole at the edge of an extent needs one more */
	assert_refused(&m, 0, 1003, 1003, E2BIG, "bind fewer users");
	assert_refused(&m, 65535, 1003, 1003, E2BIG, "bind fewer users");
}

/* With room for one more extent only, a hole at an extent's edge fits. */
static void test_edge_hole_needs_one_extent(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	add(&m, 0, 1002, 1002);
	assert_refused(&m, 30000, 1003, 1003, E2BIG, "bind fewer users");
	add(&m, 60513, 1003, 1003);
	ASSERT_SIDE(m.uid, m.n_uid, 0, 1002, 1, 1, S, 60512, 60513, 1003, 1,
		    60514, H, 1, 60515, S + 60514, 5021);
}

static void test_outside_range_refused(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	assert_refused(&m, 65536, H, H, ERANGE, "container uid 65536 is outside");
	assert_refused(&m, 1UL << 40, H, H, ERANGE, "outside");
}

static void test_same_container_id_twice_refused(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	assert_refused(&m, 60514, 1002, 1002, EEXIST, "already mapped on its own");
}

static void test_host_id_already_mapped_refused(void **state)
{
	struct idmap m = fresh(S, S);
	(void)state;
	add(&m, 60514, H, H);
	assert_refused(&m, 60515, H, 1002, EEXIST, "host uid 1001 is already");
	assert_refused(&m, 60515, 1002, H, EEXIST, "host gid 1001 is already");
	/* a host id in the subordinate range would appear twice */
	assert_refused(&m, 60515, S + 5, 1002, EEXIST, "as container uid 5");
}

/* The gid side is checked before either side changes. */
static void test_gid_refusal_leaves_uid_side(void **state)
{
	struct idmap m = fresh(S, 300000);
	(void)state;
	assert_refused(&m, 60514, H, 300001, EEXIST, "host gid 300001");
	ASSERT_SIDE(m.uid, m.n_uid, 0, S, 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measured_form),
		cmocka_unit_test(test_sides_are_independent),
		cmocka_unit_test(test_hole_at_zero),
		cmocka_unit_test(test_hole_at_last_id),
		cmocka_unit_test(test_adjacent_holes),
		cmocka_unit_test(test_two_holes_apart),
		cmocka_unit_test(test_too_many_extents_refused),
		cmocka_unit_test(test_edge_hole_needs_one_extent),
		cmocka_unit_test(test_outside_range_refused),
		cmocka_unit_test(test_same_container_id_twice_refused),
		cmocka_unit_test(test_host_id_already_mapped_refused),
		cmocka_unit_test(test_gid_refusal_leaves_uid_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
