/* test_creds_hash.c — spotting a plain password where a crypt(5) hash
 * belongs: creds_looks_like_crypt_hash and creds_password_warning. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "creds/creds.h"
#include "creds-fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_real_hashes_recognized),
		cmocka_unit_test(test_hash_known_forms_recognized),
		cmocka_unit_test(test_hash_locked_forms_recognized),
		cmocka_unit_test(test_hash_plaintext_not_recognized),
		creds_test(test_password_warning),
		creds_test(test_password_warning_not_for_hash),
		creds_test(test_password_warning_not_for_empty),
		creds_test(test_password_warning_for_hash_with_newline_or_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
