/* test_options_output.c — what options_parse (options-fixture.h) prints:
 * nothing from getopt for a bad option, and the help and the version. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/options.h"
#include "options-fixture.h"

/* Redirect a file descriptor into a temporary file for a while. */
struct capture {
	int fd, saved;
	FILE *tmp;
};

static void capture_start(struct capture *cap, int fd)
{
	fflush(NULL);
	cap->fd = fd;
	cap->tmp = tmpfile();
	assert_non_null(cap->tmp);
	cap->saved = dup(fd);
	assert_true(cap->saved >= 0);
	assert_true(dup2(fileno(cap->tmp), fd) >= 0);
}

/* Stop capturing; returns what was written, to be freed. */
static char *capture_stop(struct capture *cap)
{
	char *text = calloc(4097, 1);
	fflush(NULL);
	dup2(cap->saved, cap->fd);
	close(cap->saved);
	rewind(cap->tmp);
	assert_non_null(text);
	size_t n = fread(text, 1, 4096, cap->tmp);
	text[n] = '\0';
	fclose(cap->tmp);
	return text;
}

/* ---- bad options ------------------------------------------------------ */

/* Parse expecting a usage error, and nothing printed by getopt. */
static void parse_rejected_silently(struct fixture *f, char **argv)
{
	struct capture cap;
	capture_start(&cap, STDERR_FILENO);
	int r = parse(&f->c, &f->e, argv);
	char *printed = capture_stop(&cap);
	if (printed[0])
		fail_msg("printed on stderr: \"%s\"", printed);
	free(printed);
	assert_rejected(r, &f->e);
}

static void test_unknown_long_option(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "--bogus", NULL });
	assert_contains(f->e.msg, "--bogus");
}

static void test_unknown_short_option(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "-x", NULL });
	assert_contains(f->e.msg, "-x");
}

static void test_unknown_short_option_in_a_group(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "-qx", NULL });
	assert_contains(f->e.msg, "-x");
}

static void test_short_option_missing_value(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "-D", NULL });
	assert_contains(f->e.msg, "-D");
	assert_contains(f->e.msg, "value");
}

static void test_long_option_missing_value(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "--bind", NULL });
	assert_contains(f->e.msg, "--bind");
	assert_contains(f->e.msg, "value");
}

/* A flag given a value is named as typed, not as some other option. */
static void test_flag_given_a_value_names_it(void **state)
{
	struct fixture *f = *state;
	parse_rejected_silently(f, (char *[]){ "volspawn", "--private-network=yes", NULL });
	assert_contains(f->e.msg, "--private-network");
}

/* ---- --help and --version --------------------------------------------- */

/* Parse expecting 1; returns what went to stdout, to be freed. */
static char *parse_printing(struct fixture *f, char **argv)
{
	struct capture cap;
	capture_start(&cap, STDOUT_FILENO);
	int r = parse(&f->c, &f->e, argv);
	char *printed = capture_stop(&cap);
	if (r != 1) {
		free(printed);
		fail_msg("options_parse = %d, expected 1", r);
	}
	return printed;
}

static void test_help(void **state)
{
	struct fixture *f = *state;
	char *out = parse_printing(f, (char *[]){ "volspawn", "--help", NULL });
	assert_contains(out, "Usage: volspawn");
	free(out);
}

static void test_help_short(void **state)
{
	struct fixture *f = *state;
	char *out = parse_printing(f, (char *[]){ "volspawn", "-h", NULL });
	assert_contains(out, "Usage: volspawn");
	free(out);
}

static void test_version(void **state)
{
	struct fixture *f = *state;
	char *out = parse_printing(f, (char *[]){ "volspawn", "--version", NULL });
	assert_string_equal(out, "volspawn " VERSION "\n");
	free(out);
}

static void test_help_wins_over_later_errors(void **state)
{
	struct fixture *f = *state;
	char *out = parse_printing(f, (char *[]){ "volspawn", "--help", "--bogus", NULL });
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		options_test(test_unknown_long_option),
		options_test(test_unknown_short_option),
		options_test(test_unknown_short_option_in_a_group),
		options_test(test_short_option_missing_value),
		options_test(test_long_option_missing_value),
		options_test(test_flag_given_a_value_names_it),

		options_test(test_help),
		options_test(test_help_short),
		options_test(test_version),
		options_test(test_help_wins_over_later_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
