/* options-fixture.h — what the test_options*.c programs share: a struct
 * config and an error for each test, freed after it whatever happened, and
 * options_parse run on an argument list. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* Parse a NULL-terminated argument list, with "volspawn" as argv[0]. */
#define PARSE(c, e, ...) parse((c), (e), (char *[]){ "volspawn", __VA_ARGS__, NULL })
#define PARSE_NOTHING(c, e) parse((c), (e), (char *[]){ "volspawn", NULL })

/* Everything a test parses, freed after each test whatever happened. */
struct fixture {
	struct config c;
	struct err e;
};

static inline int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	config_free(&f->c);
	free(f);
	return 0;
}

static inline int parse(struct config *c, struct err *e, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return options_parse(argc, argv, c, e);
}

/* Expect a usage error; e->msg must be set. */
static inline void assert_rejected(int r, const struct err *e)
{
	if (r != -EINVAL)
		fail_msg("options_parse = %d, expected -EINVAL", r);
	assert_int_equal(e->code, EINVAL);
	assert_true(e->msg[0] != '\0');
}

static inline void assert_parsed(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("options_parse = %d: %s", r, e->msg);
}

#define options_test(t) cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)
