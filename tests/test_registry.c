/* test_registry.c — the registry's entries (front/registry-read.c): their
 * text read back as written, whatever the tree's path holds, and a text
 * caught half-written told from a whole one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "front/registry.h"

static void round_trip(const char *name, const char *tree, bool boot)
{
	char buf[1024];
	struct registry_entry e = { 0 };
	int n = registry_format(buf, sizeof buf, name, tree, boot, 1796685837379490ULL);
	assert_true(n > 0);
	assert_int_equal(registry_parse(buf, (size_t)n, &e), 0);
	assert_string_equal(e.name, name);
	assert_string_equal(e.tree, tree);
	assert_int_equal(e.boot, boot);
	assert_true(e.since_usec == 1796685837379490ULL);
	free(e.tree);
}

static void test_entry_round_trip(void **state)
{
	(void)state;
	round_trip("vm", "/", true);
	round_trip("box-2", "/var/tmp/trees/bookworm", false);
	/* a newline would end the field, a backslash start an escape */
	round_trip("odd", "/tmp/a\nname=evil\nb\\n\\", false);
	round_trip("empty", "", true);
}

static void test_entry_half_written(void **state)
{
	(void)state;
	char buf[256];
	struct registry_entry e = { 0 };
	int n = registry_format(buf, sizeof buf, "vm", "/", true, 1);
	assert_true(n > 0);
	for (int cut = 0; cut < n; cut++)   /* every prefix: not yet an entry */
		assert_int_equal(registry_parse(buf, (size_t)cut, &e), -EAGAIN);
	assert_int_equal(registry_parse("volspawn-twin 1\nend\n", 20, &e), -EAGAIN);
	assert_int_equal(registry_parse("something else\nend\n", 19, &e), -EAGAIN);
}

static void test_entry_too_long(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(registry_format(buf, sizeof buf, "vm", "/a/tree/whose/path/is/longer/than/what/the/buffer/holds", true, 1),
			 -ENAMETOOLONG);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(registry_name_valid("vm"));
	assert_true(registry_name_valid("my-box.example"));
	assert_true(registry_name_valid("a1-2"));
	assert_false(registry_name_valid(""));
	assert_false(registry_name_valid("."));
	assert_false(registry_name_valid(".."));
	assert_false(registry_name_valid("-x"));
	assert_false(registry_name_valid("a..b"));
	assert_false(registry_name_valid("a/b"));
	assert_false(registry_name_valid("x."));
	assert_false(registry_name_valid("a b"));
	char long_name[REGISTRY_NAME_MAX + 2];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_false(registry_name_valid(long_name));
	long_name[REGISTRY_NAME_MAX] = '\0';
	assert_true(registry_name_valid(long_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_round_trip),
		cmocka_unit_test(test_entry_half_written),
		cmocka_unit_test(test_entry_too_long),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
