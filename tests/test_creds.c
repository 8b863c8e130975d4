/* test_creds.c — --set-credential, --load-credential, writing credentials,
 * and spotting a plain password where a hash belongs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "creds/creds.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* A credential list, an error and a scratch directory, for each test. */
struct fixture {
	struct credentials c;
	struct err e;
	char dir[64];
	char *saved_credentials_directory;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *cd = getenv("CREDENTIALS_DIRECTORY");
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/volspawn-test-creds-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->saved_credentials_directory = cd ? strdup(cd) : NULL;
	unsetenv("CREDENTIALS_DIRECTORY");
	*state = f;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	int r = nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (f->saved_credentials_directory)
		setenv("CREDENTIALS_DIRECTORY", f->saved_credentials_directory, 1);
	else
		unsetenv("CREDENTIALS_DIRECTORY");
	free(f->saved_credentials_directory);
	creds_free(&f->c);
	free(f);
	return r;
}

/* The path of name in the scratch directory. */
static char *scratch(struct fixture *f, const char *name, char buf[4096])
{
	snprintf(buf, 4096, "%s/%s", f->dir, name);
	return buf;
}

static void write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), (ssize_t)size);
	assert_int_equal(close(fd), 0);
}

static void assert_ok(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("returned %d: %s", r, e->msg);
}

static void assert_fails(int r, int code, const struct err *e)
{
	if (r != -code)
		fail_msg("returned %d, expected %d (%s)", r, -code, e->msg);
	assert_int_equal(e->code, code);
	assert_null(strchr(e->msg, '\n'));
}

/* The one credential in c is id with these bytes. */
static void assert_credential(const struct credentials *c, const char *id, const char *data, size_t size)
{
	const struct credential *cred = creds_find(c, id);
	if (!cred)
		fail_msg("no credential '%s'", id);
	assert_int_equal(cred->size, size);
	assert_memory_equal(cred->data, data, size);
	assert_int_equal(cred->data[size], '\0');
}

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

/* ---- duplicates ------------------------------------------------------ */

static void test_duplicate_set_refused(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_set(&f->c, "foo:second", &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_int_equal(f->c.n, 1);
	assert_credential(&f->c, "foo", "first", 5);
}

static void test_duplicate_across_set_and_load_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "file", path), "x", 1);
	snprintf(arg, sizeof arg, "foo:%s", path);
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_load(&f->c, arg, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "--load-credential");
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_int_equal(f->c.n, 1);
}

static void test_duplicate_across_load_and_set_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "file", path), "x", 1);
	snprintf(arg, sizeof arg, "foo:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_fails(creds_set(&f->c, "foo:second", &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'foo'");
	assert_credential(&f->c, "foo", "x", 1);
}

/* Found before the source is read: a missing file does not matter. */
static void test_duplicate_load_refused_before_reading(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "foo:first", &f->e), &f->e);
	assert_fails(creds_load(&f->c, "foo:/nonexistent/file", &f->e), EEXIST, &f->e);
}

static void test_different_ids_accumulate_in_order(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "b:2", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "a:1", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "c:3", &f->e), &f->e);
	assert_int_equal(f->c.n, 3);
	assert_string_equal(f->c.v[0].id, "b");
	assert_string_equal(f->c.v[1].id, "a");
	assert_string_equal(f->c.v[2].id, "c");
}

static void test_add_moves_credential(void **state)
{
	struct fixture *f = *state;
	struct credential cred = { strdup("id"), strdup("data"), 4 };
	assert_ok(creds_add(&f->c, &cred, &f->e), &f->e);
	assert_null(cred.id);
	assert_null(cred.data);
	assert_credential(&f->c, "id", "data", 4);
}

static void test_add_duplicate_leaves_credential_to_caller(void **state)
{
	struct fixture *f = *state;
	struct credential a = { strdup("id"), strdup("one"), 3 };
	struct credential b = { strdup("id"), strdup("two"), 3 };
	assert_ok(creds_add(&f->c, &a, &f->e), &f->e);
	assert_fails(creds_add(&f->c, &b, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "duplicate credential 'id'");
	assert_string_equal(b.data, "two");
	credential_free(&b);
	assert_null(b.id);
	assert_int_equal(f->c.n, 1);
}

static void test_find_missing_is_null(void **state)
{
	struct fixture *f = *state;
	assert_null(creds_find(&f->c, "nothing"));
}

static void test_free_empties_list(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "a:1", &f->e), &f->e);
	creds_free(&f->c);
	assert_int_equal(f->c.n, 0);
	assert_null(f->c.v);
	creds_free(&f->c);
}

/* ---- --load-credential ----------------------------------------------- */

static void test_load_absolute_file(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "secret", path), "te\0xt\n", 6);
	snprintf(arg, sizeof arg, "my.cred:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "my.cred", "te\0xt\n", 6);
}

static void test_load_empty_file(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "empty", path), "", 0);
	snprintf(arg, sizeof arg, "e:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "e", "", 0);
}

/* Bigger than any one read: the loop and the buffer's growth. */
static void test_load_large_file_whole(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * 1024 * 1024 + 17;
	char *data = malloc(size), path[4096], arg[4200];
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 7 + i / 251);
	write_file(scratch(f, "big", path), data, size);
	snprintf(arg, sizeof arg, "big:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "big", data, size);
	free(data);
}

static void test_load_value_is_not_unescaped(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	write_file(scratch(f, "raw", path), "a\\nb\\q", 6);
	snprintf(arg, sizeof arg, "raw:%s", path);
	assert_ok(creds_load(&f->c, arg, &f->e), &f->e);
	assert_credential(&f->c, "raw", "a\\nb\\q", 6);
}

static void test_load_name_from_credentials_directory(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	write_file(scratch(f, "passed.cred", path), "from outside", 12);
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_ok(creds_load(&f->c, "inside:passed.cred", &f->e), &f->e);
	assert_credential(&f->c, "inside", "from outside", 12);
}

static void test_load_name_missing_in_credentials_directory(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_fails(creds_load(&f->c, "inside:absent", &f->e), ENOENT, &f->e);
	assert_contains(f->e.msg, "--load-credential=inside:absent");
	assert_contains(f->e.msg, f->dir);
}

static void test_load_name_without_credentials_directory(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "inside:passed.cred", &f->e), ENXIO, &f->e);
	assert_contains(f->e.msg, "no credentials passed to volspawn ($CREDENTIALS_DIRECTORY is not set)");
	assert_int_equal(f->c.n, 0);
}

static void test_load_name_with_empty_credentials_directory(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", "", 1);
	assert_fails(creds_load(&f->c, "inside:passed.cred", &f->e), ENXIO, &f->e);
}

/* As nspawn: a source with a '/' is a path, from the working directory
 * when relative; only a bare name is looked up among passed credentials. */
static void test_load_relative_path_with_slash_from_working_directory(void **state)
{
	struct fixture *f = *state;
	char path[4096], cwd[4096];
	write_file(scratch(f, "here", path), "local", 5);
	setenv("CREDENTIALS_DIRECTORY", "/nonexistent", 1);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->dir), 0);
	int r = creds_load(&f->c, "c:./here", &f->e);
	assert_int_equal(chdir(cwd), 0);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "c", "local", 5);
}

static void test_load_bad_source_name_refused(void **state)
{
	struct fixture *f = *state;
	setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
	assert_fails(creds_load(&f->c, "c:", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "expected a path or the name of a credential");
	assert_fails(creds_load(&f->c, "c:..", &f->e), EINVAL, &f->e);
	assert_fails(creds_load(&f->c, "c:a:b", &f->e), EINVAL, &f->e);
}

static void test_load_missing_file_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "c:/nonexistent/file", &f->e), ENOENT, &f->e);
	assert_contains(f->e.msg, "--load-credential=c:/nonexistent/file: cannot read /nonexistent/file");
	assert_int_equal(f->c.n, 0);
}

static void test_load_directory_refused(void **state)
{
	struct fixture *f = *state;
	char arg[4200];
	snprintf(arg, sizeof arg, "c:%s", f->dir);
	assert_fails(creds_load(&f->c, arg, &f->e), EISDIR, &f->e);
}

static void test_load_missing_colon_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "--load-credential=/etc/hostname: expected ID:PATH");
}

static void test_load_bad_id_refused(void **state)
{
	struct fixture *f = *state;
	assert_fails(creds_load(&f->c, "..:/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "invalid credential ID '..'");
	assert_fails(creds_load(&f->c, "a\\:b:/etc/hostname", &f->e), EINVAL, &f->e);
	assert_contains(f->e.msg, "it contains a ':'");
}

/* A server for one client: it reads until the client shuts its end (as
 * nspawn's client does), then sends size bytes of data and closes. */
static pid_t serve_once(int listener, const char *data, size_t size)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	alarm(20);
	int fd = accept(listener, NULL, NULL);
	char buf[64];
	ssize_t n;
	if (fd < 0)
		_exit(2);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		;
	if (n < 0)
		_exit(3);
	for (size_t off = 0; off < size; off += (size_t)n)
		if ((n = write(fd, data + off, size - off)) <= 0)
			_exit(4);
	close(fd);
	_exit(0);
}

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof sa.sun_path);
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 1), 0);
	return fd;
}

static void assert_served(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the socket server failed (status %#x)", status);
}

/* Load from a socket at path and compare with data. */
static void load_from_socket(struct fixture *f, const char *listen_path, const char *load_path,
			     const char *data, size_t size)
{
	char arg[4200];
	int listener = listen_at(listen_path);
	pid_t pid = serve_once(listener, data, size);
	close(listener);
	snprintf(arg, sizeof arg, "sock:%s", load_path);
	int r = creds_load(&f->c, arg, &f->e);
	assert_served(pid);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "sock", data, size);
}

static void test_load_from_unix_socket(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	load_from_socket(f, scratch(f, "sock", path), path, "served\0data", 11);
}

static void test_load_large_value_from_unix_socket(void **state)
{
	struct fixture *f = *state;
	size_t size = 1024 * 1024 + 5;
	char *data = malloc(size), path[4096];
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i % 253);
	load_from_socket(f, scratch(f, "sock", path), path, data, size);
	free(data);
}

/* sun_path holds 107 bytes: a longer path is still reached. */
static void test_load_from_unix_socket_with_long_path(void **state)
{
	struct fixture *f = *state;
	char dir[4096], cwd[4096], path[4096];
	const char *sub = "a-directory-name-long-enough-to-push-the-socket-path-past-sun_path";
	assert_int_equal(mkdir(scratch(f, sub, dir), 0700), 0);
	snprintf(path, sizeof path, "%s/%s/credential.socket", f->dir, sub);
	assert_true(strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path));
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	int listener = listen_at("credential.socket");
	assert_int_equal(chdir(cwd), 0);
	pid_t pid = serve_once(listener, "far", 3);
	close(listener);
	char arg[4200];
	snprintf(arg, sizeof arg, "sock:%s", path);
	int r = creds_load(&f->c, arg, &f->e);
	assert_served(pid);
	assert_ok(r, &f->e);
	assert_credential(&f->c, "sock", "far", 3);
}

static void test_load_from_socket_nobody_listens(void **state)
{
	struct fixture *f = *state;
	char path[4096], arg[4200];
	close(listen_at(scratch(f, "dead", path)));
	snprintf(arg, sizeof arg, "sock:%s", path);
	assert_fails(creds_load(&f->c, arg, &f->e), ECONNREFUSED, &f->e);
}

/* ---- creds_write ------------------------------------------------------ */

static void assert_file(int dirfd, const char *name, const char *data, size_t size)
{
	struct stat st;
	char buf[64];
	assert_int_equal(fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0400);
	assert_int_equal(st.st_size, size);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), (ssize_t)size);
	assert_memory_equal(buf, data, size);
	close(fd);
}

static void test_write_files_read_only_with_exact_content(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	assert_int_equal(mkdir(scratch(f, "out", path), 0700), 0);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_set(&f->c, "text:hello\\n", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "bin:a\\x00\\xffb", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "empty:", &f->e), &f->e);
	mode_t old = umask(0);   /* the mode must not depend on it */
	int r = creds_write(dirfd, &f->c, &f->e);
	umask(old);
	assert_ok(r, &f->e);
	assert_file(dirfd, "text", "hello\n", 6);
	assert_file(dirfd, "bin", "a\0\xff" "b", 4);
	assert_file(dirfd, "empty", "", 0);
	close(dirfd);
}

static void test_write_large_credential_whole(void **state)
{
	struct fixture *f = *state;
	size_t size = 2 * 1024 * 1024;
	struct credential cred = { strdup("big"), malloc(size + 1), size };
	struct stat st;
	assert_non_null(cred.data);
	memset(cred.data, 'z', size);
	cred.data[size] = '\0';
	assert_ok(creds_add(&f->c, &cred, &f->e), &f->e);
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_write(dirfd, &f->c, &f->e), &f->e);
	assert_int_equal(fstatat(dirfd, "big", &st, 0), 0);
	assert_int_equal(st.st_size, size);
	close(dirfd);
}

static void test_write_existing_file_refused(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	write_file(scratch(f, "taken", path), "old", 3);
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	assert_ok(creds_set(&f->c, "taken:new", &f->e), &f->e);
	assert_fails(creds_write(dirfd, &f->c, &f->e), EEXIST, &f->e);
	assert_contains(f->e.msg, "'taken'");
	close(dirfd);
}

static void test_write_nothing_is_fine(void **state)
{
	struct fixture *f = *state;
	int dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_ok(creds_write(dirfd, &f->c, &f->e), &f->e);
	close(dirfd);
}

/* ---- crypt(5) hashes ------------------------------------------------- */

/* A real hash of "pw" by the method of prefix, from libxcrypt. */
static void assert_real_hash_recognized(const char *prefix)
{
	char *salt = crypt_gensalt_ra(prefix, 0, NULL, 0);
	if (!salt)
		fail_msg("libxcrypt cannot make a %s salt", prefix);
	struct crypt_data *cd = calloc(1, sizeof *cd);
	assert_non_null(cd);
	const char *h = crypt_r("pw", salt, cd);
	assert_non_null(h);
	assert_true(strncmp(h, prefix, strlen(prefix)) == 0);
	if (!creds_looks_like_crypt_hash(h))
		fail_msg("%s not taken for a hash", h);
	free(cd);
	free(salt);
}

static void test_hash_real_hashes_recognized(void **state)
{
	(void)state;
	const char *prefixes[] = { "$y$", "$gy$", "$7$", "$2b$", "$6$", "$5$", "$1$" };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		assert_real_hash_recognized(prefixes[i]);
}

static void test_hash_known_forms_recognized(void **state)
{
	(void)state;
	assert_true(creds_looks_like_crypt_hash("$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"));
	assert_true(creds_looks_like_crypt_hash("$6$rounds=5000$saltsalt$hash"));
	assert_true(creds_looks_like_crypt_hash("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"));
	assert_true(creds_looks_like_crypt_hash("$md5,rounds=5000$GUBv0xjJ$$mSwgIswdjlTY0YxV7HBVm0"));
	assert_true(creds_looks_like_crypt_hash("$3$$8846f7eaee8fb117ad06bdd830b7586c"));
	assert_true(creds_looks_like_crypt_hash("abJnggxhB/yWI"));          /* DES */
	assert_true(creds_looks_like_crypt_hash("_J9..CCCCXBrJUJV154M"));   /* BSDi */
}

static void test_hash_locked_forms_recognized(void **state)
{
	(void)state;
	assert_true(creds_looks_like_crypt_hash("!"));
	assert_true(creds_looks_like_crypt_hash("!!"));
	assert_true(creds_looks_like_crypt_hash("!*"));
	assert_true(creds_looks_like_crypt_hash("*"));
	assert_true(creds_looks_like_crypt_hash("*LK*"));
	assert_true(creds_looks_like_crypt_hash("!$6$salt$hash"));
}

static void test_hash_plaintext_not_recognized(void **state)
{
	(void)state;
	assert_false(creds_looks_like_crypt_hash(""));
	assert_false(creds_looks_like_crypt_hash("hunter2"));
	assert_false(creds_looks_like_crypt_hash("correct horse battery staple"));
	assert_false(creds_looks_like_crypt_hash("$"));
	assert_false(creds_looks_like_crypt_hash("$y$"));
	assert_false(creds_looks_like_crypt_hash("$6$salt"));
	assert_false(creds_looks_like_crypt_hash("$6$salt$"));
	assert_false(creds_looks_like_crypt_hash("$6$salt$has h"));
	assert_false(creds_looks_like_crypt_hash("$q$salt$hash"));
	assert_false(creds_looks_like_crypt_hash("$ecret$word"));
	assert_false(creds_looks_like_crypt_hash("abJnggxhB/yW"));     /* 12, not 13 */
	assert_false(creds_looks_like_crypt_hash("abJnggxhB yWI"));
	assert_false(creds_looks_like_crypt_hash("x"));
}

static void test_password_warning(void **state)
{
	struct fixture *f = *state;
	assert_null(creds_password_warning(&f->c));
	assert_ok(creds_set(&f->c, "passwd.hashed-password.root:hunter2", &f->e), &f->e);
	assert_string_equal(creds_password_warning(&f->c),
			    "credential passwd.hashed-password.root is not a crypt(5) hash; "
			    "for a plain password use passwd.plaintext-password.root, "
			    "or hash it with: volspawn hash-password");
}

static void test_password_warning_not_for_hash(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "passwd.hashed-password.root:$y$j9T$salt$hash", &f->e), &f->e);
	assert_ok(creds_set(&f->c, "passwd.plaintext-password.root:hunter2", &f->e), &f->e);
	assert_null(creds_password_warning(&f->c));
}

static void test_password_warning_not_for_empty(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "passwd.hashed-password.root:", &f->e), &f->e);
	assert_null(creds_password_warning(&f->c));
}

/* A hash with a newline (a file from `mkpasswd > f`) does not work either. */
static void test_password_warning_for_hash_with_newline_or_nul(void **state)
{
	struct fixture *f = *state;
	assert_ok(creds_set(&f->c, "passwd.hashed-password.root:$y$j9T$salt$hash\\n", &f->e), &f->e);
	assert_non_null(creds_password_warning(&f->c));
	creds_free(&f->c);
	assert_ok(creds_set(&f->c, "passwd.hashed-password.root:$y$j9T$salt$hash\\x00", &f->e), &f->e);
	assert_non_null(creds_password_warning(&f->c));
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

#define creds_test(t) cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)

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

		creds_test(test_duplicate_set_refused),
		creds_test(test_duplicate_across_set_and_load_refused),
		creds_test(test_duplicate_across_load_and_set_refused),
		creds_test(test_duplicate_load_refused_before_reading),
		creds_test(test_different_ids_accumulate_in_order),
		creds_test(test_add_moves_credential),
		creds_test(test_add_duplicate_leaves_credential_to_caller),
		creds_test(test_find_missing_is_null),
		creds_test(test_free_empties_list),

		creds_test(test_load_absolute_file),
		creds_test(test_load_empty_file),
		creds_test(test_load_large_file_whole),
		creds_test(test_load_value_is_not_unescaped),
		creds_test(test_load_name_from_credentials_directory),
		creds_test(test_load_name_missing_in_credentials_directory),
		creds_test(test_load_name_without_credentials_directory),
		creds_test(test_load_name_with_empty_credentials_directory),
		creds_test(test_load_relative_path_with_slash_from_working_directory),
		creds_test(test_load_bad_source_name_refused),
		creds_test(test_load_missing_file_refused),
		creds_test(test_load_directory_refused),
		creds_test(test_load_missing_colon_refused),
		creds_test(test_load_bad_id_refused),
		creds_test(test_load_from_unix_socket),
		creds_test(test_load_large_value_from_unix_socket),
		creds_test(test_load_from_unix_socket_with_long_path),
		creds_test(test_load_from_socket_nobody_listens),

		creds_test(test_write_files_read_only_with_exact_content),
		creds_test(test_write_large_credential_whole),
		creds_test(test_write_existing_file_refused),
		creds_test(test_write_nothing_is_fine),

		cmocka_unit_test(test_hash_real_hashes_recognized),
		cmocka_unit_test(test_hash_known_forms_recognized),
		cmocka_unit_test(test_hash_locked_forms_recognized),
		cmocka_unit_test(test_hash_plaintext_not_recognized),
		creds_test(test_password_warning),
		creds_test(test_password_warning_not_for_hash),
		creds_test(test_password_warning_not_for_empty),
		creds_test(test_password_warning_for_hash_with_newline_or_nul),
		cmocka_unit_test(test_unescape_points_at_bad_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
