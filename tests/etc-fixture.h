/* etc-fixture.h — what the test_etc*.c programs share: a fake host /etc
 * built in a temporary directory next to an empty one for the container,
 * etc_populate run from one into the other, and a look at the result. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "etc/etc.h"

/* ---- building trees ----------------------------------------------------- */

struct dirs {
	char root[64];     /* the temporary directory holding the others */
	char host[96];     /* the fake host /etc */
	char dst[96];      /* the container's /etc */
};

static inline void path_in(char *out, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(out, size, "%s/%s", dir, rel);
	assert_true(n > 0 && (size_t)n < size);
}

static inline void put_dir(const char *dir, const char *rel, mode_t mode)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(chmod(p, mode), 0);   /* past the umask */
}

static inline void put_file(const char *dir, const char *rel, mode_t mode, const char *text)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static inline void put_link(const char *dir, const char *rel, const char *target)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

static inline void put_socket(const char *dir, const char *rel)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	path_in(sa.sun_path, sizeof sa.sun_path, dir, rel);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
}

static inline void put_fifo(const char *dir, const char *rel)
{
	char p[512];
	path_in(p, sizeof p, dir, rel);
	assert_int_equal(mkfifo(p, 0644), 0);
}

#define NSSWITCH_HOST "passwd: files\ngroup: files systemd\n# shadow: files\nhosts: files dns\n"
#define NSSWITCH_DST  "passwd: files systemd\ngroup: files systemd\n# shadow: files\nhosts: files dns\nshadow: files systemd\n"

/* A host /etc with a bit of everything the two modes tell apart. */
static inline void make_host(const char *h)
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

static inline int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	if (S_ISDIR(st->st_mode))
		chmod(path, 0700);   /* a 0555 copy must become removable */
	return 0;
}

static inline int remove_for_real(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static inline int teardown(void **state)
{
	struct dirs *d = *state;
	nftw(d->root, remove_one, 16, FTW_PHYS);
	int r = nftw(d->root, remove_for_real, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
	return r;
}

/* An empty host and dst in a fresh temporary directory. */
static inline int setup_empty(void **state)
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

static inline int setup_host(void **state)
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

static inline void list_into(const char *dir, const char *rel, struct listing *l)
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

static inline int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of l, sorted, each ending in a newline; frees them. */
static inline void join_sorted(struct listing *l, char *out, size_t size)
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
static inline void assert_tree(const char *dir, const char *expected)
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

static inline void assert_content(const char *dir, const char *rel, const char *expected)
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

static inline const char *root_passwd(void)
{
	return access("/usr/bin/bash", X_OK) == 0 ? "root:x:0:0:root:/root:/bin/bash\n" : "root:x:0:0:root:/root:/bin/sh\n";
}

/* etc_populate from d->host into d->dst, in this process. */
static inline int populate(struct dirs *d, enum etc_mode mode, struct err *e)
{
	int host = open(d->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int dst = open(d->dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(host >= 0 && dst >= 0);
	e->code = 0;
	e->msg[0] = '\0';
	/* what the mount table overlays, as the layout leaves it out */
	static const char *const overlaid[] = { "alternatives/", "ssl/certs/", NULL };
	const struct etc_spec s = { .mode = mode, .hostname = "box", .leave_out = overlaid };
	int r = etc_populate(host, dst, &s, e);
	close(host);
	close(dst);
	return r;
}
