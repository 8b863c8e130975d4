/* test_subid.c — reading /etc/subuid-style files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "idmap/subid.h"

/* A stream holding text, positioned at its start; works for "" too. */
static FILE *file_with(const char *text)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	rewind(f);
	return f;
}

/* subid_find on text, for the user alice (uid 1000). */
static int find(const char *text, unsigned long need, struct subid_range *out)
{
	FILE *f = file_with(text);
	int r = subid_find(f, "alice", 1000, need, out);
	fclose(f);
	return r;
}

static unsigned long suggest(const char *text)
{
	FILE *f = file_with(text);
	unsigned long start = subid_suggest(f);
	fclose(f);
	return start;
}

/* ---- subid_find ------------------------------------------------------- */

static void test_find_by_name(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("bob:100000:65536\nalice:165536:65536\n", 65536, &r), 0);
	assert_int_equal(r.start, 165536);
	assert_int_equal(r.count, 65536);
}

static void test_find_by_uid(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("1001:100000:65536\n1000:231072:65536\n", 65536, &r), 0);
	assert_int_equal(r.start, 231072);
	assert_int_equal(r.count, 65536);
}

static void test_find_by_uid_without_name(void **state)
{
	struct subid_range r;
	FILE *f = file_with("alice:100000:65536\n1000:300000:65536\n");
	(void)state;
	assert_int_equal(subid_find(f, NULL, 1000, 65536, &r), 0);
	assert_int_equal(r.start, 300000);
	fclose(f);
}

static void test_find_last_line_without_newline(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("bob:100000:65536\nalice:165536:65536", 65536, &r), 0);
	assert_int_equal(r.start, 165536);
	assert_int_equal(r.count, 65536);
}

static void test_find_skips_small_range_for_first_big_enough(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("alice:100000:1000\n"
			      "alice:200000:65536\n"
			      "alice:400000:1000000\n", 65536, &r), 0);
	assert_int_equal(r.start, 200000);
	assert_int_equal(r.count, 65536);
}

static void test_find_only_small_ranges_gives_largest(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("alice:100000:10\n"
			      "alice:200000:5000\n"
			      "alice:300000:100\n"
			      "bob:400000:65536\n", 65536, &r), -ERANGE);
	assert_int_equal(r.start, 200000);
	assert_int_equal(r.count, 5000);
}

static void test_find_no_entry(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("bob:100000:65536\n1001:200000:65536\nalicia:300000:65536\n", 1, &r), -ENOENT);
}

static void test_find_empty_file(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("", 1, &r), -ENOENT);
}

static void test_find_skips_malformed_lines(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("alice\n"
			      "alice:100000\n"
			      "alice:x:65536\n"
			      "alice:100000:many\n"
			      "alice:-1:65536\n"
			      "alice:100000:65536:extra\n"
			      "alice:100000:65536 \n"
			      ":100000:65536\n"
			      "\n"
			      "alice:500000:65536\n", 65536, &r), 0);
	assert_int_equal(r.start, 500000);
	assert_int_equal(r.count, 65536);
}

static void test_find_only_malformed_lines_is_no_entry(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("alice:100000\nalice:x:65536\n", 1, &r), -ENOENT);
}

static void test_find_skips_comments(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("# alice:100000:65536\n"
			      "#alice:100000:65536\n"
			      "alice:700000:65536\n", 65536, &r), 0);
	assert_int_equal(r.start, 700000);
}

/* Found by fuzz/subid: a line longer than the old 512-byte buffer had its
 * tail read as a line of its own, so a comment could grant a range. */
static void test_find_long_line_is_one_line(void **state)
{
	char text[1024];
	struct subid_range r;
	(void)state;
	memset(text, 'x', 511);
	text[0] = '#';
	strcpy(text + 511, "alice:100000:65536\nalice:900000:65536\n");
	assert_int_equal(find(text, 65536, &r), 0);
	assert_int_equal(r.start, 900000);
}

/* A range that passes (uid_t)-1 cannot be mapped: as if not there. */
static void test_find_skips_ranges_past_uid_max(void **state)
{
	struct subid_range r;
	(void)state;
	assert_int_equal(find("alice:4294967295:1\n"
			      "alice:4294901760:65536\n"
			      "alice:18446744073709551615:2\n"
			      "alice:4294967296:65536\n"
			      "alice:4294901759:65536\n", 65536, &r), 0);
	assert_int_equal(r.start, 4294901759UL);
	assert_int_equal(r.count, 65536);
}

/* A line holding a NUL byte is malformed; the next one is still read. */
static void test_find_line_with_nul(void **state)
{
	static const char text[] = "alice:1\0:2\nalice:300000:65536\n";
	struct subid_range r;
	FILE *f = tmpfile();
	(void)state;
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
	rewind(f);
	assert_int_equal(subid_find(f, "alice", 1000, 65536, &r), 0);
	fclose(f);
	assert_int_equal(r.start, 300000);
}

/* ---- subid_suggest ---------------------------------------------------- */

static void test_suggest_empty_file(void **state)
{
	(void)state;
	assert_int_equal(suggest(""), 100000);
}

static void test_suggest_ranges_below_default(void **state)
{
	(void)state;
	assert_int_equal(suggest("alice:1000:500\nbob:50000:50000\n"), 100000);
}

static void test_suggest_after_highest_end(void **state)
{
	(void)state;
	assert_int_equal(suggest("alice:100000:65536\n"
				 "bob:300000:65536\n"
				 "carol:165536:65536\n"), 365536);
}

static void test_suggest_counts_every_owner_and_uid(void **state)
{
	(void)state;
	assert_int_equal(suggest("alice:100000:65536\n1234:900000:10\n"), 900010);
}

static void test_suggest_ignores_malformed_lines(void **state)
{
	(void)state;
	assert_int_equal(suggest("alice:100000:65536\n"
				 "bob:900000\n"
				 "carol:900000:lots\n"), 165536);
}

static void test_suggest_ignores_comments(void **state)
{
	(void)state;
	assert_int_equal(suggest("#old:900000:65536\n"
				 "alice:100000:65536\n"), 165536);
}

static void test_suggest_ignores_ranges_past_uid_max(void **state)
{
	(void)state;
	assert_int_equal(suggest("alice:100000:65536\nbob:18446744073709551615:2\ncarol:4294967295:1\n"), 165536);
}

/* ---- subid_overlaps --------------------------------------------------- */

static bool overlaps(const char *text, unsigned long start, unsigned long count)
{
	FILE *f = file_with(text);
	bool hit = subid_overlaps(f, start, count);
	fclose(f);
	return hit;
}

static void test_overlaps_any_owner(void **state)
{
	(void)state;
	assert_true(overlaps("bob:100000:65536\n", 165535, 65536));
	assert_true(overlaps("1234:524288:1\n", 458753, 65536));
	assert_false(overlaps("bob:100000:65536\n", 165536, 65536));
	assert_false(overlaps("bob:100000:65536\n", 34464, 65536));
}

/* The old reader of idmap-pick.c took comments and "-1" for ranges. */
static void test_overlaps_skips_what_find_skips(void **state)
{
	(void)state;
	assert_false(overlaps("#bob:524288:65536\n", 524288, 65536));
	assert_false(overlaps("bob:-1:65536\n", 0, 65536));
	assert_false(overlaps("", 524288, 65536));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_by_name),
		cmocka_unit_test(test_find_long_line_is_one_line),
		cmocka_unit_test(test_find_skips_ranges_past_uid_max),
		cmocka_unit_test(test_find_line_with_nul),
		cmocka_unit_test(test_suggest_ignores_ranges_past_uid_max),
		cmocka_unit_test(test_overlaps_any_owner),
		cmocka_unit_test(test_overlaps_skips_what_find_skips),
		cmocka_unit_test(test_find_by_uid),
		cmocka_unit_test(test_find_by_uid_without_name),
		cmocka_unit_test(test_find_last_line_without_newline),
		cmocka_unit_test(test_find_skips_small_range_for_first_big_enough),
		cmocka_unit_test(test_find_only_small_ranges_gives_largest),
		cmocka_unit_test(test_find_no_entry),
		cmocka_unit_test(test_find_empty_file),
		cmocka_unit_test(test_find_skips_malformed_lines),
		cmocka_unit_test(test_find_only_malformed_lines_is_no_entry),
		cmocka_unit_test(test_find_skips_comments),

		cmocka_unit_test(test_suggest_empty_file),
		cmocka_unit_test(test_suggest_ranges_below_default),
		cmocka_unit_test(test_suggest_after_highest_end),
		cmocka_unit_test(test_suggest_counts_every_owner_and_uid),
		cmocka_unit_test(test_suggest_ignores_malformed_lines),
		cmocka_unit_test(test_suggest_ignores_comments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
