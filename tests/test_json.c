/* test_json.c — the JSON string escaper and UTF-8 check of json.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "lib/json.h"

/* json_write_string's output for s, compared with want. */
static void assert_escaped(const char *s, const char *want)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	json_write_string(f, s);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text, want);
	free(text);
}

static void test_escape_plain(void **state)
{
	(void)state;
	assert_escaped("", "\"\"");
	assert_escaped("alice", "\"alice\"");
	assert_escaped("/home/alice smith", "\"/home/alice smith\"");
	assert_escaped("a/b'c{}[]:,", "\"a/b'c{}[]:,\"");
}

static void test_escape_quote_and_backslash(void **state)
{
	(void)state;
	assert_escaped("\"", "\"\\\"\"");
	assert_escaped("\\", "\"\\\\\"");
	assert_escaped("Bob \"The Builder\" \\o/", "\"Bob \\\"The Builder\\\" \\\\o/\"");
}

static void test_escape_control_characters(void **state)
{
	(void)state;
	assert_escaped("a\nb", "\"a\\u000ab\"");
	assert_escaped("\t\r\b\f", "\"\\u0009\\u000d\\u0008\\u000c\"");
	assert_escaped("\x01\x1f", "\"\\u0001\\u001f\"");
	/* DEL needs no escape in JSON */
	assert_escaped("\x7f", "\"\x7f\"");
}

static void test_escape_keeps_utf8(void **state)
{
	(void)state;
	assert_escaped("J\xc3\xbcrgen \xf0\x9f\x90\xa7", "\"J\xc3\xbcrgen \xf0\x9f\x90\xa7\"");
}

static void test_utf8_valid_accepts(void **state)
{
	(void)state;
	assert_true(json_utf8_valid(""));
	assert_true(json_utf8_valid("plain ascii\n"));
	assert_true(json_utf8_valid("J\xc3\xbcrgen"));            /* ü */
	assert_true(json_utf8_valid("\xe2\x82\xac"));             /* € */
	assert_true(json_utf8_valid("\xf0\x9f\x90\xa7"));         /* U+1F427 */
	assert_true(json_utf8_valid("\xf4\x8f\xbf\xbf"));         /* U+10FFFF */
	assert_true(json_utf8_valid("\xed\x9f\xbf"));             /* U+D7FF */
}

static void test_utf8_valid_refuses(void **state)
{
	(void)state;
	assert_false(json_utf8_valid("J\xfcrgen"));               /* Latin-1 */
	assert_false(json_utf8_valid("\xc3"));                    /* cut short */
	assert_false(json_utf8_valid("\xe2\x82"));
	assert_false(json_utf8_valid("\x80"));                    /* lone continuation */
	assert_false(json_utf8_valid("\xc0\xaf"));                /* overlong '/' */
	assert_false(json_utf8_valid("\xe0\x80\xaf"));
	assert_false(json_utf8_valid("\xed\xa0\x80"));            /* surrogate */
	assert_false(json_utf8_valid("\xf4\x90\x80\x80"));        /* past U+10FFFF */
	assert_false(json_utf8_valid("\xff"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_quote_and_backslash),
		cmocka_unit_test(test_escape_control_characters),
		cmocka_unit_test(test_escape_keeps_utf8),
		cmocka_unit_test(test_utf8_valid_accepts),
		cmocka_unit_test(test_utf8_valid_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
