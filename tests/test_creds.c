/* test_creds.c — --set-credential: the escapes of its values and what an
 * ID may hold; and creds_unescape itself. The other parts of creds/ are in
 * test_creds_load.c, test_creds_write.c and test_creds_hash.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "creds/creds.h"
#include "creds-fixture.h"

/* --set-credential=arg succeeds with these bytes for id. */
static void set_gives(struct fixture *f, const char *arg, const char *id, const char *data, size_t size)
{
	assert_ok(creds_set(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, id, data, size);
	creds_free(&f->c);
}

/* --set-credential=arg is refused with a message holding needle. */
static void set_refused(struct fixture *f, const char *arg, const char *needle)
{
	f->e = (struct err){ 0 };
	assert_fails(creds_set(&f->c, arg, &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "--set-credential");
	assert_contains(f->e.msg, needle);
	assert_int_equal(f->c.n, 0);
}

#define SET_GIVES(f, arg, id, lit) set_gives((f), (arg), (id), (lit), sizeof(lit) - 1)

/* ---- --set-credential: values ---------------------------------------- */

static void test_set_plain_value(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "foo:bar", "foo", "bar");
}

static void test_set_value_keeps_later_colons(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "url:http://example.org:80/", "url", "http://example.org:80/");
}

static void test_set_empty_value(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "empty:", "empty", "");
}

static void test_set_keeps_quotes_and_spaces_literal(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "q: \"a b\" 'c' ", "q", " \"a b\" 'c' ");
}

static void test_set_simple_escapes(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "e:\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\\s", "e", "\a\b\f\n\r\t\v\\\"' ");
}

static void test_set_escapes_among_text(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "e:line one\\nline\\stwo\\n", "e", "line one\nline two\n");
}

static void test_set_hex_escapes_are_bytes(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "x:\\x41\\x7a\\xff\\xFe\\x0A", "x", "Az\xff\xfe\n");
}

static void test_set_octal_escapes_are_bytes(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "o:\\101\\141\\377\\0123", "o", "Aa\xff\n" "3");
}

static void test_set_u_escapes_are_utf8(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "u:\\u0041\\u00e9\\u20AC\\uFFFD", "u", "A\xc3\xa9\xe2\x82\xac\xef\xbf\xbd");
}

static void test_set_U_escapes_are_utf8(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "U:\\U00000041\\U000000e9\\U0001F600\\U0010FFFF", "U",
		  "A\xc3\xa9\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
}

static void test_set_utf8_boundaries(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "b:\\u007f\\u0080\\u07ff\\u0800\\ud7ff\\ue000\\U00010000", "b",
		  "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80");
}

static void test_set_nul_escapes_keep_length(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "n:a\\x00b\\000c\\u0000d\\U00000000e", "n", "a\0b\0c\0d\0e");
}

static void test_set_value_of_only_nul(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "n:\\x00", "n", "\0");
}

static void test_set_unknown_escape_named(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:ab\\qcd", "'\\q'");
	set_refused(f, "k:\\e", "'\\e'");
	set_refused(f, "k:\\8", "'\\8'");
	set_refused(f, "k:\\ ", "'\\ '");
	set_refused(f, "k:\\?", "'\\?'");
}

static void test_set_unknown_escape_lists_allowed(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\q", "\\xHH \\NNN \\uXXXX \\UXXXXXXXX");
}

static void test_set_trailing_backslash_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:abc\\", "lone '\\'");
	set_refused(f, "k:\\", "lone '\\'");
	set_refused(f, "k:\\\\\\", "lone '\\'");
}

static void test_set_short_hex_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\x", "'\\x'");
	set_refused(f, "k:\\x4", "'\\x4'");
	set_refused(f, "k:\\x4g", "'\\x4g'");
	set_refused(f, "k:\\xg1", "'\\xg1'");
}

static void test_set_short_octal_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\1", "'\\1'");
	set_refused(f, "k:\\12", "'\\12'");
	set_refused(f, "k:\\12x", "'\\12x'");
	set_refused(f, "k:\\128", "'\\128'");
}

static void test_set_octal_above_377_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\400", "'\\400' is above \\377");
	set_refused(f, "k:\\777", "'\\777' is above \\377");
}

static void test_set_short_unicode_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\u", "'\\u'");
	set_refused(f, "k:\\u12", "'\\u12'");
	set_refused(f, "k:\\u12G4", "'\\u12G4'");
	set_refused(f, "k:\\U0001F60", "'\\U0001F60'");
	set_refused(f, "k:\\U0001F60x", "'\\U0001F60x'");
}

static void test_set_surrogates_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\uD800", "'\\uD800' is not a Unicode character");
	set_refused(f, "k:\\udfff", "'\\udfff' is not a Unicode character");
	set_refused(f, "k:\\U0000DC00", "'\\U0000DC00' is not a Unicode character");
}

static void test_set_beyond_unicode_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\U00110000", "'\\U00110000' is not a Unicode character");
	set_refused(f, "k:\\UFFFFFFFF", "'\\UFFFFFFFF' is not a Unicode character");
}

/* The value is a secret: an error names the escape, never the rest. */
static void test_set_error_does_not_show_value(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:hunter2\\qhunter3", "k:");
	assert_null(strstr(f->e.msg, "hunter"));
	set_refused(f, "hunter2", "ID:VALUE");
	assert_null(strstr(f->e.msg, "hunter"));
}

static void test_set_escape_shown_printably(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "k:\\\x01", "'\\?'");
}

/* ---- --set-credential: IDs ------------------------------------------- */

static void test_set_missing_colon_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "foo", "expected ID:VALUE");
	set_refused(f, "", "expected ID:VALUE");
}

static void test_set_id_trailing_backslash_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "foo\\", "expected ID:VALUE");
}

static void test_set_escaped_colon_stays_in_id_and_is_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "a\\:b:value", "it contains a ':'");
	assert_contains(f->e.msg, "'a:b'");
}

static void test_set_backslash_in_id_makes_next_literal(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "a\\\\b:v", "a\\b", "v");
	SET_GIVES(f, "\\a\\b:v", "ab", "v");
}

static void test_set_escaped_slash_in_id_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "a\\/b:v", "it contains a '/'");
}

static void test_set_empty_id_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, ":value", "it is empty");
}

static void test_set_dot_ids_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, ".:v", "'.' and '..'");
	set_refused(f, "..:v", "'.' and '..'");
	set_refused(f, "\\.\\.:v", "'.' and '..'");
	SET_GIVES(f, "...:v", "...", "v");
	SET_GIVES(f, ".hidden:v", ".hidden", "v");
}

static void test_set_slash_in_id_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "a/b:v", "it contains a '/'");
	set_refused(f, "/:v", "it contains a '/'");
}

static void test_set_control_characters_in_id_refused(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "a\tb:v", "control character");
	set_refused(f, "a\nb:v", "control character");
	set_refused(f, "a\x7f" "b:v", "control character");
	set_refused(f, "caf\xc3\xa9:v", "non-ASCII");
}

static void test_set_bad_id_shown_printably(void **state)
{
	struct fixture *f = *state;
	set_refused(f, "a\tb:v", "'a?b'");
}

static void test_set_id_of_255_bytes_accepted(void **state)
{
	struct fixture *f = *state;
	char arg[300];
	memset(arg, 'i', 255);
	strcpy(arg + 255, ":v");
	assert_ok(creds_set(&f->c, arg, &f->e), &f->e);
	assert_int_equal(f->c.n, 1);
	assert_int_equal(strlen(f->c.v[0].id), 255);
}

static void test_set_id_of_256_bytes_refused(void **state)
{
	struct fixture *f = *state;
	char arg[300];
	memset(arg, 'i', 256);
	strcpy(arg + 256, ":v");
	set_refused(f, arg, "longer than 255 bytes");
	assert_contains(f->e.msg, "...");   /* not all 256 bytes of it */
}

static void test_set_printable_ascii_ids_accepted(void **state)
{
	struct fixture *f = *state;
	SET_GIVES(f, "passwd.hashed-password.root:v", "passwd.hashed-password.root", "v");
	SET_GIVES(f, "with space:v", "with space", "v");
	SET_GIVES(f, "~!@#$%^&*()_+{}|\"<>?`-=[];',:v", "~!@#$%^&*()_+{}|\"<>?`-=[];',", "v");
}

static void test_id_valid(void **state)
{
	char name[257];
	(void)state;
	assert_true(creds_id_valid("a"));
	assert_true(creds_id_valid("firstboot.locale"));
	assert_true(creds_id_valid(" "));
	assert_true(creds_id_valid("~"));
	memset(name, 'x', 255);
	name[255] = '\0';
	assert_true(creds_id_valid(name));
	name[255] = 'x';
	name[256] = '\0';
	assert_false(creds_id_valid(name));
	assert_false(creds_id_valid(""));
	assert_false(creds_id_valid("."));
	assert_false(creds_id_valid(".."));
	assert_false(creds_id_valid("a/b"));
	assert_false(creds_id_valid("a:b"));
	assert_false(creds_id_valid("a\x1f"));
	assert_false(creds_id_valid("\x7f"));
	assert_false(creds_id_valid("\x80"));
}

/* ---- creds_unescape itself ------------------------------------------- */

static void test_unescape_points_at_bad_escape(void **state)
{
	const char *s = "ok\\nthen\\qrest", *bad = NULL;
	char *data = NULL;
	size_t size = 0;
	(void)state;
	assert_int_equal(creds_unescape(s, &data, &size, &bad), -EINVAL);
	assert_ptr_equal(bad, s + 8);
	assert_null(data);
	s = "\\U00110000";
	assert_int_equal(creds_unescape(s, &data, &size, &bad), -ERANGE);
	assert_ptr_equal(bad, s);
	s = "a\\400";
	assert_int_equal(creds_unescape(s, &data, &size, &bad), -ERANGE);
	assert_ptr_equal(bad, s + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		creds_test(test_set_plain_value),
		creds_test(test_set_value_keeps_later_colons),
		creds_test(test_set_empty_value),
		creds_test(test_set_keeps_quotes_and_spaces_literal),
		creds_test(test_set_simple_escapes),
		creds_test(test_set_escapes_among_text),
		creds_test(test_set_hex_escapes_are_bytes),
		creds_test(test_set_octal_escapes_are_bytes),
		creds_test(test_set_u_escapes_are_utf8),
		creds_test(test_set_U_escapes_are_utf8),
		creds_test(test_set_utf8_boundaries),
		creds_test(test_set_nul_escapes_keep_length),
		creds_test(test_set_value_of_only_nul),
		creds_test(test_set_unknown_escape_named),
		creds_test(test_set_unknown_escape_lists_allowed),
		creds_test(test_set_trailing_backslash_refused),
		creds_test(test_set_short_hex_refused),
		creds_test(test_set_short_octal_refused),
		creds_test(test_set_octal_above_377_refused),
		creds_test(test_set_short_unicode_refused),
		creds_test(test_set_surrogates_refused),
		creds_test(test_set_beyond_unicode_refused),
		creds_test(test_set_error_does_not_show_value),
		creds_test(test_set_escape_shown_printably),

		creds_test(test_set_missing_colon_refused),
		creds_test(test_set_id_trailing_backslash_refused),
		creds_test(test_set_escaped_colon_stays_in_id_and_is_refused),
		creds_test(test_set_backslash_in_id_makes_next_literal),
		creds_test(test_set_escaped_slash_in_id_refused),
		creds_test(test_set_empty_id_refused),
		creds_test(test_set_dot_ids_refused),
		creds_test(test_set_slash_in_id_refused),
		creds_test(test_set_control_characters_in_id_refused),
		creds_test(test_set_bad_id_shown_printably),
		creds_test(test_set_id_of_255_bytes_accepted),
		creds_test(test_set_id_of_256_bytes_refused),
		creds_test(test_set_printable_ascii_ids_accepted),
		cmocka_unit_test(test_id_valid),

		cmocka_unit_test(test_unescape_points_at_bad_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
