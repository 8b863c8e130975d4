/* test_etc_nsswitch.c — --etc= and nsswitch.conf: the file etc_populate
 * writes when the host has none or links it elsewhere (etc-fixture.h), and
 * etc_nsswitch_patch adding systemd to the host's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etc/etc.h"
#include "etc-fixture.h"

/* ---- etc_populate ------------------------------------------------------- */

#define MINIMAL \
	"passwd: files systemd\ngroup: files systemd\nshadow: files systemd\ngshadow: files\n" \
	"hosts: files dns\nnetworks: files\nprotocols: files\nservices: files\nethers: files\nrpc: files\n"

static void test_no_host_nsswitch(void **state)
{
	struct dirs *d = *state;
	struct err e;
	assert_int_equal(populate(d, ETC_BASE, &e), 0);
	assert_tree(d->dst, "f 0644 group\nf 0644 hosts\nf 0644 nsswitch.conf\nf 0644 passwd\n");
	assert_content(d->dst, "nsswitch.conf", MINIMAL);
}

/* Fedora's authselect makes nsswitch.conf an absolute link into /etc. */
static void test_nsswitch_link_into_etc(void **state)
{
	struct dirs *d = *state;
	struct err e;
	put_dir(d->host, "authselect", 0755);
	put_file(d->host, "authselect/nsswitch.conf", 0644, "passwd: sss files\ngroup: sss files\nshadow: files\n");
	put_link(d->host, "nsswitch.conf", "/etc/authselect/nsswitch.conf");
	assert_int_equal(populate(d, ETC_BASE, &e), 0);
	assert_tree(d->dst,
		    "d 0755 authselect\n"
		    "f 0644 authselect/nsswitch.conf\n"
		    "f 0644 group\n"
		    "f 0644 hosts\n"
		    "f 0644 nsswitch.conf\n"
		    "f 0644 passwd\n");
	assert_content(d->dst, "nsswitch.conf", "passwd: sss files systemd\ngroup: sss files systemd\nshadow: files systemd\n");
}

/* nsswitch.conf as a link to target, copied afresh into d->dst. */
static void populate_nsswitch_link(struct dirs *d, const char *target)
{
	struct err e;
	char p[512];
	path_in(p, sizeof p, d->host, "nsswitch.conf");
	unlink(p);
	put_link(d->host, "nsswitch.conf", target);
	path_in(p, sizeof p, d->dst, "nsswitch.conf");
	unlink(p);
	assert_int_equal(populate(d, ETC_HOST, &e), 0);
}

/* A link is followed, once, only while it stays in /etc and goes through
 * no other link; otherwise the minimal file is written. */
static void test_nsswitch_links(void **state)
{
	static const char *const inside[] = {
		"authselect/nsswitch.conf", "/etc/authselect/nsswitch.conf", "./authselect//nsswitch.conf",
	};
	static const char *const outside[] = {
		"../etc/authselect/nsswitch.conf", "authselect/../authselect/nsswitch.conf",
		"/usr/share/nsswitch.conf", "/etc/../etc/authselect/nsswitch.conf",
		"via/nsswitch.conf", "authselect/again", "/etc/",
	};
	struct dirs *d = *state;
	put_dir(d->host, "authselect", 0755);
	put_file(d->host, "authselect/nsswitch.conf", 0644, "passwd: sss files\ngroup: files\nshadow: files\n");
	put_link(d->host, "authselect/again", "nsswitch.conf");
	put_link(d->host, "via", "authselect");
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
		populate_nsswitch_link(d, inside[i]);
		assert_content(d->dst, "nsswitch.conf", "passwd: sss files systemd\ngroup: files systemd\nshadow: files systemd\n");
	}
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		populate_nsswitch_link(d, outside[i]);
		assert_content(d->dst, "nsswitch.conf", MINIMAL);
	}
}

/* ---- etc_nsswitch_patch --------------------------------------------------- */

static void assert_patch(const char *in, const char *expected)
{
	struct err e = { 0 };
	char *out = NULL;
	assert_int_equal(etc_nsswitch_patch(in, in ? strlen(in) : 0, &out, &e), 0);
	assert_non_null(out);
	assert_string_equal(out, expected);
	free(out);
}

static void test_patch_appends_systemd(void **state)
{
	(void)state;
	assert_patch("passwd:         files\n"
		     "group:          files\n"
		     "shadow:         files\n"
		     "gshadow:        files\n"
		     "hosts:          files dns\n",
		     "passwd:         files systemd\n"
		     "group:          files systemd\n"
		     "shadow:         files systemd\n"
		     "gshadow:        files\n"
		     "hosts:          files dns\n");
}

static void test_patch_keeps_lines_with_systemd(void **state)
{
	(void)state;
	assert_patch("passwd: files systemd\n"
		     "group: sss systemd [NOTFOUND=return] files\n"
		     "shadow:\tfiles\tsystemd\n",
		     "passwd: files systemd\n"
		     "group: sss systemd [NOTFOUND=return] files\n"
		     "shadow:\tfiles\tsystemd\n");
}

static void test_patch_comments(void **state)
{
	(void)state;
	assert_patch("# /etc/nsswitch.conf\n"
		     "#passwd: files systemd\n"
		     "passwd: files   # not systemd here\n"
		     "group: files#systemd\n"
		     "  # shadow: files\n",
		     "# /etc/nsswitch.conf\n"
		     "#passwd: files systemd\n"
		     "passwd: files systemd   # not systemd here\n"
		     "group: files systemd#systemd\n"
		     "  # shadow: files\n"
		     "shadow: files systemd\n");
}

static void test_patch_compat(void **state)
{
	(void)state;
	assert_patch("passwd: compat\ngroup: compat\nshadow: compat\n",
		     "passwd: compat systemd\ngroup: compat systemd\nshadow: compat systemd\n");
}

static void test_patch_only_whole_words_and_names(void **state)
{
	(void)state;
	assert_patch("passwd: files systemd-homed [systemd]\n"
		     "netgroup: nis\n"
		     "  group : files\n"
		     "shadowed: files\n"
		     "shadow: files [UNAVAIL=return]\n",
		     "passwd: files systemd-homed [systemd] systemd\n"
		     "netgroup: nis\n"
		     "  group : files systemd\n"
		     "shadowed: files\n"
		     "shadow: files [UNAVAIL=return] systemd\n");
}

static void test_patch_empty_service_list(void **state)
{
	(void)state;
	assert_patch("passwd:\ngroup:   \nshadow: # none\n",
		     "passwd: files systemd\ngroup: files systemd   \nshadow: files systemd # none\n");
}

static void test_patch_missing_lines_added(void **state)
{
	(void)state;
	assert_patch("hosts: files dns", "hosts: files dns\npasswd: files systemd\ngroup: files systemd\nshadow: files systemd\n");
	assert_patch("", "passwd: files systemd\ngroup: files systemd\nshadow: files systemd\n");
}

static void test_patch_crlf_and_no_final_newline(void **state)
{
	(void)state;
	assert_patch("passwd: files\r\ngroup: files\r\nshadow: files",
		     "passwd: files systemd\r\ngroup: files systemd\r\nshadow: files systemd\n");
}

static void test_patch_no_file(void **state)
{
	(void)state;
	assert_patch(NULL, MINIMAL);
}

static void test_patch_uses_len(void **state)
{
	struct err e = { 0 };
	char *out = NULL;
	(void)state;
	assert_int_equal(etc_nsswitch_patch("passwd: files\ngroup: files\nshadow: files\nJUNK", 41, &out, &e), 0);
	assert_string_equal(out, "passwd: files systemd\ngroup: files systemd\nshadow: files systemd\n");
	free(out);
}

/* Found by fuzz/nsswitch: after a '[' that nothing closes, a " systemd"
 * was part of the broken action and was added again on every patch. */
static void test_patch_unclosed_bracket_once(void **state)
{
	(void)state;
	assert_patch("passwd: files [NOTFOUND=return\ngroup: [x] sss [y # z\nshadow: [NOTFOUND=return\n",
		     "passwd: files systemd [NOTFOUND=return\ngroup: [x] sss systemd [y # z\nshadow: files systemd [NOTFOUND=return\n");
	assert_patch("passwd: files systemd [NOTFOUND=return\ngroup: files systemd\nshadow: files systemd\n",
		     "passwd: files systemd [NOTFOUND=return\ngroup: files systemd\nshadow: files systemd\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_host_nsswitch, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_nsswitch_link_into_etc, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_nsswitch_links, setup_empty, teardown),

		cmocka_unit_test(test_patch_appends_systemd),
		cmocka_unit_test(test_patch_keeps_lines_with_systemd),
		cmocka_unit_test(test_patch_comments),
		cmocka_unit_test(test_patch_compat),
		cmocka_unit_test(test_patch_only_whole_words_and_names),
		cmocka_unit_test(test_patch_empty_service_list),
		cmocka_unit_test(test_patch_missing_lines_added),
		cmocka_unit_test(test_patch_crlf_and_no_final_newline),
		cmocka_unit_test(test_patch_no_file),
		cmocka_unit_test(test_patch_uses_len),
		cmocka_unit_test(test_patch_unclosed_bracket_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
