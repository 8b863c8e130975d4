/* test_etc.c — --etc=: copying a fake host /etc, made in a temporary
 * directory, into an empty one, and patching nsswitch.conf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "etc/etc.h"

#define NOBODY 65534

/* ---- building trees ----------------------------------------------------- */

struct dirs {
	char root[64];     /* the temporary directory holding the others */
	char host[96];     /* the fake host /etc */
	char dst[96];      /* the container's /etc */
};

static void path_in(char *out, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(out, size, "%s/%s", dir, rel);
	assert_true(n > 0 && (size_t)n < size);
}

static void put_dir(const char *dir, const char *rel, mode_t mode)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(chmod(p, mode), 0);   /* past the umask */
}

static void put_file(const char *dir, const char *rel, mode_t mode, const char *text)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void put_link(const char *dir, const char *rel, const char *target)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void put_socket(const char *dir, const char *rel)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	path_in(sa.sun_path, sizeof sa.sun_path, dir, rel);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
}

static void put_fifo(const char *dir, const char *rel)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(mkfifo(p, 0644), 0);
}

#define NSSWITCH_HOST "passwd: files\ngroup: files systemd\n# shadow: files\nhosts: files dns\n"
#define NSSWITCH_DST  "passwd: files systemd\ngroup: files systemd\n# shadow: files\nhosts: files dns\nshadow: files systemd\n"

/* A host /etc with a bit of everything the two modes tell apart. */
static void make_host(const char *h)
{
	put_dir(h, "pam.d", 0755);
	put_file(h, "pam.d/login", 0644, "auth required pam_unix.so\n");
	put_file(h, "pam.d/common-auth", 0644, "auth required pam_unix.so\n");
	put_file(h, "pam.d/passwd", 0644, "@include common-password\n");   /* not the account file */
	put_socket(h, "pam.d/sock");
	put_fifo(h, "pam.d/fifo");
	put_dir(h, "security", 0755);
	put_file(h, "security/limits.conf", 0644, "");
	put_file(h, "security/opasswd", 0600, "root-only\n");
	put_dir(h, "security/limits.d", 0755);
	put_file(h, "security/limits.d/90-x.conf", 0644, "* soft nofile 1024\n");
	put_dir(h, "alternatives", 0755);
	put_link(h, "alternatives/awk", "/usr/bin/mawk");
	put_link(h, "alternatives/awk.1.gz", "/usr/share/man/man1/mawk.1.gz");
	put_link(h, "alternatives/pager", "/nonexistent/pager");
	put_dir(h, "ld.so.conf.d", 0755);
	put_file(h, "ld.so.conf.d/libc.conf", 0644, "/usr/local/lib\n");
	put_dir(h, "default", 0755);
	put_file(h, "default/locale", 0644, "LANG=C.UTF-8\n");
	put_file(h, "default/grub", 0644, "GRUB_TIMEOUT=5\n");
	put_dir(h, "profile.d", 0755);
	put_file(h, "profile.d/suid.sh", 06755, "umask 022\n");
	put_link(h, "terminfo", "/usr/share/terminfo");   /* a link to a directory outside */
	put_link(h, "os-release", "../usr/lib/os-release");
	put_link(h, "resolv.conf", "../run/systemd/resolve/stub-resolv.conf");   /* the layout's own copy wins */
	put_file(h, "login.defs", 0644, "UID_MIN 1000\n");
	put_file(h, "shells", 0644, "/bin/sh\n");
	put_file(h, "nsswitch.conf", 0644, NSSWITCH_HOST);
	put_file(h, "passwd", 0644, "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
	put_file(h, "passwd-", 0644, "root:x:0:0:root:/root:/bin/bash\n");
	put_file(h, "group", 0644, "root:x:0:\nalice:x:1000:\n");
	put_file(h, "group-", 0644, "root:x:0:\n");
	put_file(h, "shadow", 0640, "root:$6$secret:19000::::::\n");
	put_file(h, "gshadow", 0640, "root:*::\n");
	put_file(h, "subuid", 0644, "alice:100000:65536\n");
	put_file(h, "subgid", 0644, "alice:100000:65536\n");
	put_file(h, ".pwd.lock", 0600, "");
	put_file(h, "machine-id", 0444, "0123456789abcdef0123456789abcdef\n");
	put_file(h, "hostname", 0644, "hostbox\n");
	put_file(h, "machine-info", 0644, "PRETTY_HOSTNAME=Host Box\n");
	put_dir(h, "ssh", 0755);
	put_file(h, "ssh/ssh_host_ed25519_key", 0600, "PRIVATE\n");
	put_file(h, "ssh/ssh_host_ed25519_key.pub", 0644, "ssh-ed25519 AAAA root@hostbox\n");
	put_file(h, "ssh/sshd_config", 0644, "PermitRootLogin no\n");
	put_file(h, "fstab", 0644, "/dev/sda1 / ext4 defaults 0 1\n");
	put_file(h, "crypttab", 0644, "");
	put_file(h, "sudoers", 0440, "root ALL=(ALL) ALL\n");
	put_file(h, "motd", 0644, "hello\n");
	put_file(h, "secret.conf", 0600, "token\n");
	put_dir(h, "private", 0700);
	put_file(h, "private/inside.conf", 0644, "x\n");
	put_file(h, "tool", 04755, "#!/bin/sh\n");
	put_dir(h, "readonly", 0755);   /* made read-only once filled, below */
	put_file(h, "readonly/a.conf", 0644, "a\n");
	put_dir(h, "systemd", 0755);
	put_dir(h, "systemd/system", 0755);
	put_dir(h, "systemd/system/multi-user.target.wants", 0755);
	put_link(h, "systemd/system/multi-user.target.wants/foo.service", "/usr/lib/systemd/system/foo.service");
	put_socket(h, "sock");
	char p[512];
	path_in(p, sizeof p, h, "readonly");
	assert_int_equal(chmod(p, 0555), 0);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	if (S_ISDIR(st->st_mode))
		chmod(path, 0700);   /* a 0555 copy must become removable */
	return 0;
}

static int remove_for_real(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct dirs *d = *state;
	nftw(d->root, remove_one, 16, FTW_PHYS);
	int r = nftw(d->root, remove_for_real, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
	return r;
}

/* An empty host and dst in a fresh temporary directory. */
static int setup_empty(void **state)
{
	struct dirs *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	snprintf(d->root, sizeof d->root, "/tmp/volspawn-test-etc.XXXXXX");
	if (!mkdtemp(d->root) || chmod(d->root, 0755) < 0) {
		free(d);
		return -1;
	}
	snprintf(d->host, sizeof d->host, "%s/host", d->root);
	snprintf(d->dst, sizeof d->dst, "%s/dst", d->root);
	*state = d;
	return mkdir(d->host, 0755) || mkdir(d->dst, 0755) ? -1 : 0;
}

static int setup_host(void **state)
{
	if (setup_empty(state) < 0)
		return -1;
	make_host(((struct dirs *)*state)->host);
	return 0;
}

/* ---- looking at the result ----------------------------------------------- */

/* Every entry below dir, one line each: "d 0755 pam.d",
 * "f 0644 pam.d/login", "l alternatives/awk -> /usr/bin/mawk". */
struct listing {
	char *lines[256];
	size_t n;
};

static void list_into(const char *dir, const char *rel, struct listing *l)
{
	char p[512], line[1200], target[512];
	path_in(p, sizeof p, dir, rel);
	DIR *dp = opendir(p);
	assert_non_null(dp);
	for (struct dirent *de; (de = readdir(dp));) {
		struct stat st;
		char sub[512];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		path_in(p, sizeof p, dir, sub);
		assert_int_equal(lstat(p, &st), 0);
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(p, target, sizeof target - 1);
			assert_true(n >= 0);
			target[n] = '\0';
			snprintf(line, sizeof line, "l %s -> %s", sub, target);
		} else {
			snprintf(line, sizeof line, "%c %04o %s", S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : '?',
				 (unsigned)(st.st_mode & 07777), sub);
		}
		assert_true(l->n < sizeof l->lines / sizeof l->lines[0]);
		l->lines[l->n++] = strdup(line);
		if (S_ISDIR(st.st_mode))
			list_into(dir, sub, l);
	}
	closedir(dp);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of l, sorted, each ending in a newline; frees them. */
static void join_sorted(struct listing *l, char *out, size_t size)
{
	qsort(l->lines, l->n, sizeof l->lines[0], by_string);
	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		strncat(out, l->lines[i], size - strlen(out) - 2);
		strcat(out, "\n");
		free(l->lines[i]);
	}
}

/* The tree below dir is exactly the expected lines, in any order. */
static void assert_tree(const char *dir, const char *expected)
{
	struct listing got = { .n = 0 }, want = { .n = 0 };
	char got_text[16384], want_text[16384];
	list_into(dir, "", &got);
	for (const char *p = expected; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		assert_true(want.n < sizeof want.lines / sizeof want.lines[0]);
		want.lines[want.n++] = strndup(p, n);
		p += n + (nl != NULL);
	}
	join_sorted(&got, got_text, sizeof got_text);
	join_sorted(&want, want_text, sizeof want_text);
	assert_string_equal(got_text, want_text);
}

static void assert_content(const char *dir, const char *rel, const char *expected)
{
	char p[512], buf[4096];
	path_in(p, sizeof p, dir, rel);
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, expected);
}

static const char *root_passwd(void)
{
	return access("/usr/bin/bash", X_OK) == 0 ? "root:x:0:0:root:/root:/bin/bash\n" : "root:x:0:0:root:/root:/bin/sh\n";
}

/* etc_populate from d->host into d->dst, in this process. */
static int populate(struct dirs *d, enum etc_mode mode, struct err *e)
{
	int host = open(d->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int dst = open(d->dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(host >= 0 && dst >= 0);
	e->code = 0;
	e->msg[0] = '\0';
	int r = etc_populate(host, dst, mode, "box", e);
	close(host);
	close(dst);
	return r;
}

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
	"d 0755 alternatives\n" \
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
	"l alternatives/awk -> /usr/bin/mawk\n" \
	"l alternatives/awk.1.gz -> /usr/share/man/man1/mawk.1.gz\n" \
	"l alternatives/pager -> /nonexistent/pager\n" \
	"l os-release -> ../usr/lib/os-release\n" \
	"l terminfo -> /usr/share/terminfo\n"

static void test_base(void **state)
{
	struct dirs *d = *state;
	struct err e;
	char expected[4096];
	assert_int_equal(populate(d, ETC_BASE, &e), 0);
	snprintf(expected, sizeof expected, BASE_TREE, "f 0600 security/opasswd\n");
	assert_tree(d->dst, expected);
	assert_content(d->dst, "pam.d/login", "auth required pam_unix.so\n");
	assert_content(d->dst, "default/locale", "LANG=C.UTF-8\n");
	assert_content(d->dst, "nsswitch.conf", NSSWITCH_DST);
	assert_content(d->dst, "passwd", root_passwd());
	assert_content(d->dst, "group", "root:x:0:\n");
	assert_content(d->dst, "hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
}

#define HOST_TREE \
	"d 0755 alternatives\n" \
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
	"l alternatives/awk -> /usr/bin/mawk\n" \
	"l alternatives/awk.1.gz -> /usr/share/man/man1/mawk.1.gz\n" \
	"l alternatives/pager -> /nonexistent/pager\n" \
	"l os-release -> ../usr/lib/os-release\n" \
	"l systemd/system/multi-user.target.wants/foo.service -> /usr/lib/systemd/system/foo.service\n" \
	"l terminfo -> /usr/share/terminfo\n"

/* What only a reader of root's files gets in host mode. */
#define ROOT_DIRS "d 0700 private\n"
#define ROOT_0644 "f 0644 private/inside.conf\n"
#define ROOT_OTHERS "f 0440 sudoers\nf 0600 secret.conf\nf 0600 security/opasswd\n"

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

		cmocka_unit_test_setup_teardown(test_empty_copies_nothing, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_mode, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_base, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_host_unreadable_skipped, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_base_unreadable_skipped, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_existing_entries_kept, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_twice_no_duplicates, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_no_host_nsswitch, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_nsswitch_link_into_etc, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_nsswitch_links, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_reported, setup_empty, teardown),

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
