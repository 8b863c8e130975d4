/* test_etc.c — --etc=: etc_populate copying a fake host /etc, made in a
 * temporary directory (etc-fixture.h), into an empty one, in each mode and
 * as a user who cannot read all of it. nsswitch.conf is test_etc_nsswitch.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "etc/etc.h"
#include "etc-fixture.h"

#define NOBODY 65534

/* ---- etc_populate ------------------------------------------------------- */

static void test_empty_copies_nothing(void **state)
{
	struct err e;
	assert_int_equal(populate(*state, ETC_EMPTY, &e), 0);
	assert_tree(((struct dirs *)*state)->dst, "");
}

static void test_unknown_mode(void **state)
{
	struct err e;
	assert_int_equal(populate(*state, (enum etc_mode)7, &e), -EINVAL);
	assert_tree(((struct dirs *)*state)->dst, "");
}

#define BASE_TREE \
	"d 0755 default\n" \
	"d 0755 ld.so.conf.d\n" \
	"d 0755 pam.d\n" \
	"d 0755 profile.d\n" \
	"d 0755 security\n" \
	"d 0755 security/limits.d\n" \
	"f 0644 default/locale\n" \
	"f 0644 group\n" \
	"f 0644 hosts\n" \
	"f 0644 ld.so.conf.d/libc.conf\n" \
	"f 0644 login.defs\n" \
	"f 0644 nsswitch.conf\n" \
	"f 0644 pam.d/common-auth\n" \
	"f 0644 pam.d/login\n" \
	"f 0644 pam.d/passwd\n" \
	"f 0644 passwd\n" \
	"f 0644 security/limits.conf\n" \
	"f 0644 security/limits.d/90-x.conf\n" \
	"f 0644 shells\n" \
	"%s" \
	"f 0755 profile.d/suid.sh\n" \
	"l os-release -> ../usr/lib/os-release\n" \
	"l terminfo -> /usr/share/terminfo\n"

static void test_base(void **state)
{
	struct dirs *d = *state;
	struct err e;
	char expected[4096];
	assert_int_equal(populate(d, ETC_BASE, &e), 0);
	snprintf(expected, sizeof expected, BASE_TREE, "");   /* root-only files stay behind even for root */
	assert_tree(d->dst, expected);
	assert_content(d->dst, "pam.d/login", "auth required pam_unix.so\n");
	assert_content(d->dst, "default/locale", "LANG=C.UTF-8\n");
	assert_content(d->dst, "nsswitch.conf", NSSWITCH_DST);
	assert_content(d->dst, "passwd", root_passwd());
	assert_content(d->dst, "group", "root:x:0:\n");
	assert_content(d->dst, "hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
}

#define HOST_TREE \
	"d 0755 default\n" \
	"d 0755 ld.so.conf.d\n" \
	"d 0755 pam.d\n" \
	"%s" \
	"d 0755 profile.d\n" \
	"d 0555 readonly\n" \
	"d 0755 security\n" \
	"d 0755 security/limits.d\n" \
	"d 0755 ssh\n" \
	"d 0755 systemd\n" \
	"d 0755 systemd/system\n" \
	"d 0755 systemd/system/multi-user.target.wants\n" \
	"f 0644 default/grub\n" \
	"f 0644 default/locale\n" \
	"f 0644 group\n" \
	"f 0644 hosts\n" \
	"f 0644 ld.so.conf.d/libc.conf\n" \
	"f 0644 login.defs\n" \
	"f 0644 motd\n" \
	"f 0644 nsswitch.conf\n" \
	"f 0644 pam.d/common-auth\n" \
	"f 0644 pam.d/login\n" \
	"f 0644 pam.d/passwd\n" \
	"f 0644 passwd\n" \
	"%s" \
	"f 0644 readonly/a.conf\n" \
	"f 0644 security/limits.conf\n" \
	"f 0644 security/limits.d/90-x.conf\n" \
	"f 0644 shells\n" \
	"f 0644 ssh/sshd_config\n" \
	"%s" \
	"f 0755 profile.d/suid.sh\n" \
	"f 0755 tool\n" \
	"l os-release -> ../usr/lib/os-release\n" \
	"l systemd/system/multi-user.target.wants/foo.service -> /usr/lib/systemd/system/foo.service\n" \
	"l terminfo -> /usr/share/terminfo\n"

/* Only what an unrelated uid may read is copied, whoever copies: the
 * builder reads as the invoking user, who may read more than the container
 * may. Root-only files and directories stay behind even for root. */
#define ROOT_DIRS ""
#define ROOT_0644 ""
#define ROOT_OTHERS ""

static void test_host(void **state)
{
	struct dirs *d = *state;
	struct err e;
	char expected[8192];
	assert_int_equal(populate(d, ETC_HOST, &e), 0);
	snprintf(expected, sizeof expected, HOST_TREE, ROOT_DIRS, ROOT_0644, ROOT_OTHERS);
	assert_tree(d->dst, expected);
	assert_content(d->dst, "nsswitch.conf", NSSWITCH_DST);
	assert_content(d->dst, "passwd", root_passwd());
	assert_content(d->dst, "group", "root:x:0:\n");
	assert_content(d->dst, "hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	assert_content(d->dst, "ssh/sshd_config", "PermitRootLogin no\n");
}

/* Run etc_populate as nobody, who may not read root's 0600 files, in a
 * child; the result is left in d->dst. */
static int populate_as_nobody(struct dirs *d, enum etc_mode mode)
{
	assert_int_equal(chown(d->dst, NOBODY, NOBODY), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct err e = { 0 };
		if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(2);
		int r = populate(d, mode, &e);
		if (r < 0)
			fprintf(stderr, "etc_populate as nobody: %s\n", e.msg);
		_exit(r < 0 ? 1 : 0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_host_unreadable_skipped(void **state)
{
	struct dirs *d = *state;
	char expected[8192];
	if (geteuid() != 0)
		skip();   /* only root can become nobody; CI runs as root */
	assert_int_equal(populate_as_nobody(d, ETC_HOST), 0);
	snprintf(expected, sizeof expected, HOST_TREE, "", "", "");
	assert_tree(d->dst, expected);
	assert_content(d->dst, "nsswitch.conf", NSSWITCH_DST);
}

static void test_base_unreadable_skipped(void **state)
{
	struct dirs *d = *state;
	char expected[4096];
	if (geteuid() != 0)
		skip();
	assert_int_equal(populate_as_nobody(d, ETC_BASE), 0);
	snprintf(expected, sizeof expected, BASE_TREE, "");
	assert_tree(d->dst, expected);
}

/* The layout's localtime and resolv.conf, and anything else already in
 * the container's /etc, win over the host's. */
static void test_existing_entries_kept(void **state)
{
	struct dirs *d = *state;
	struct err e;
	put_dir(d->host, "pam.d", 0755);
	put_file(d->host, "pam.d/login", 0644, "auth required pam_unix.so\n");
	put_file(d->host, "pam.d/common-auth", 0644, "auth required pam_unix.so\n");
	put_file(d->host, "pam.d/passwd", 0644, "@include common-password\n");
	put_file(d->host, "passwd", 0644, "root:x:0:0:root:/root:/bin/bash\n");
	put_link(d->host, "localtime", "/usr/share/zoneinfo/Europe/Berlin");
	put_link(d->host, "resolv.conf", "../run/systemd/resolve/stub-resolv.conf");
	put_link(d->dst, "localtime", "../usr/share/zoneinfo/UTC");
	put_file(d->dst, "resolv.conf", 0644, "nameserver 192.0.2.1\n");
	put_dir(d->dst, "pam.d", 0700);
	put_file(d->dst, "pam.d/login", 0600, "mine\n");
	put_file(d->dst, "passwd", 0644, "root:x:0:0::/root:/bin/zsh\n");
	put_file(d->dst, "nsswitch.conf", 0644, "passwd: files\n");
	assert_int_equal(populate(d, ETC_HOST, &e), 0);
	assert_tree(d->dst,
		    "d 0700 pam.d\n"
		    "f 0600 pam.d/login\n"
		    "f 0644 group\n"
		    "f 0644 hosts\n"
		    "f 0644 nsswitch.conf\n"
		    "f 0644 pam.d/common-auth\n"
		    "f 0644 pam.d/passwd\n"
		    "f 0644 passwd\n"
		    "f 0644 resolv.conf\n"
		    "l localtime -> ../usr/share/zoneinfo/UTC\n");
	assert_content(d->dst, "pam.d/login", "mine\n");
	assert_content(d->dst, "passwd", "root:x:0:0::/root:/bin/zsh\n");
	assert_content(d->dst, "nsswitch.conf", "passwd: files\n");
	assert_content(d->dst, "resolv.conf", "nameserver 192.0.2.1\n");
}

static void test_twice_no_duplicates(void **state)
{
	struct dirs *d = *state;
	struct err e;
	char expected[8192];
	assert_int_equal(populate(d, ETC_HOST, &e), 0);
	assert_int_equal(populate(d, ETC_HOST, &e), 0);
	snprintf(expected, sizeof expected, HOST_TREE, ROOT_DIRS, ROOT_0644, ROOT_OTHERS);
	assert_tree(d->dst, expected);
	assert_content(d->dst, "passwd", root_passwd());
	assert_content(d->dst, "group", "root:x:0:\n");
	assert_content(d->dst, "nsswitch.conf", NSSWITCH_DST);
}

/* Directories the mount table overlays are not copied; a link by their
 * name (Fedora's ssl/certs -> ../pki/tls/certs) is. */
static void test_overlaid_directories_left_out(void **state)
{
	struct dirs *d = *state;
	struct err e;
	char p[512];
	struct stat st;
	put_dir(d->host, "ssl", 0755);
	put_link(d->host, "ssl/certs", "../pki/tls/certs");
	for (enum etc_mode m = ETC_BASE; m <= ETC_HOST; m++) {
		assert_int_equal(populate(d, m, &e), 0);
		snprintf(p, sizeof p, "%s/alternatives", d->dst);
		assert_int_equal(lstat(p, &st), -1);
		snprintf(p, sizeof p, "%s/ssl/certs", d->dst);
		assert_int_equal(lstat(p, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
	}
}

/* What the layout makes below /etc itself is left out, so the copy may
 * run beside it: an entry, an entry deeper down, only a directory by a
 * name (a file by it is copied), and "" for the whole of /etc, where
 * nothing is written then. */
static void test_leave_out(void **state)
{
	struct dirs *d = *state;
	struct err e = { 0 };
	char p[512];
	struct stat st;
	int host = open(d->host, O_PATH | O_DIRECTORY | O_CLOEXEC), dst = open(d->dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(host >= 0 && dst >= 0);
	static const char *const some[] = { "pam.d/login", "security", "shells/", NULL };
	const struct etc_spec s = { .mode = ETC_BASE, .hostname = "box", .leave_out = some };
	assert_int_equal(etc_populate(host, dst, &s, &e), 0);
	const struct { const char *rel; int present; } want[] = {
		{ "pam.d/login", 0 }, { "pam.d/common-auth", 1 }, { "security", 0 }, { "shells", 1 }, { "passwd", 1 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", d->dst, want[i].rel);
		assert_int_equal(lstat(p, &st) == 0, want[i].present);
	}
	static const char *const all[] = { "", NULL };
	const struct etc_spec none = { .mode = ETC_BASE, .hostname = "box", .leave_out = all };
	snprintf(p, sizeof p, "rm -rf '%s'/* && test -z \"$(ls -A '%s')\"", d->dst, d->dst);
	assert_int_equal(system(p), 0);
	assert_int_equal(etc_populate(host, dst, &none, &e), 0);
	snprintf(p, sizeof p, "test -z \"$(ls -A '%s')\"", d->dst);
	assert_int_equal(system(p), 0);
	close(host);
	close(dst);
}

/* Errors of the destination are real: here a file size limit stands in
 * for a full tmpfs. */
static void test_write_error_reported(void **state)
{
	struct dirs *d = *state;
	int fds[2];
	put_dir(d->host, "pam.d", 0755);
	put_file(d->host, "pam.d/big", 0644, "0123456789012345678901234567890123456789\n");
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct err e = { 0 };
		struct rlimit rl = { 16, 16 };
		signal(SIGXFSZ, SIG_IGN);
		close(fds[0]);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(2);
		int r = populate(d, ETC_BASE, &e);
		dprintf(fds[1], "%d %s", r, e.msg);
		close(fds[1]);
		_exit(0);
	}
	char buf[600] = "";
	close(fds[1]);
	assert_true(read(fds[0], buf, sizeof buf - 1) > 0);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	char expected[128];
	snprintf(expected, sizeof expected, "%d cannot copy /etc/pam.d/big: %s", -EFBIG, strerror(EFBIG));
	assert_string_equal(buf, expected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_copies_nothing, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_mode, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_base, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_host_unreadable_skipped, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_base_unreadable_skipped, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_existing_entries_kept, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_twice_no_duplicates, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_overlaid_directories_left_out, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_leave_out, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_reported, setup_empty, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
