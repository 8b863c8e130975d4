/* etc.c — --etc=: what of the host's /etc goes into the container's empty
 * one. Debian ships no factory /etc in /usr, so an empty /etc has no PAM
 * configuration (no login), no nsswitch.conf naming systemd (no users from
 * /run/host/userdb) and no alternatives (/usr/bin/awk and others dangle). */
#include "etc/etc.h"
#include "etc/copy-tree.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --etc=base: what logging in and running commands needs, and never the
 * host's identity or secrets. A directory is copied whole; "dir/name"
 * copies just that entry of dir. Entries the host lacks are skipped.
 * nsswitch.conf, passwd and group are written, not copied (see below). */
static const char *const base_table[] = {
	/* logging in */
	"pam.d", "pam.conf", "security", "login.defs", "shells",
	"authselect",        /* Fedora: pam.d/system-auth and friends link here */
	/* shells and the environment */
	"profile", "profile.d", "bash.bashrc", "bashrc", "environment", "inputrc", "skel",
	"default/locale", "default/keyboard", "default/console-setup", "default/useradd",
	/* commands: /usr links into /etc/alternatives; the dynamic linker's cache */
	"alternatives", "ld.so.conf", "ld.so.conf.d", "ld.so.cache",
	/* certificates */
	"ssl", "ca-certificates", "ca-certificates.conf", "pki", "crypto-policies",
	/* locale, time, terminals */
	"locale.conf", "locale.gen", "locale.alias", "timezone", "localtime", "adjtime", "terminfo",
	/* what the system says it is */
	"issue", "issue.net", "os-release", "debian_version", "lsb-release",
	"redhat-release", "fedora-release", "system-release",
	/* lookups that are not about this machine */
	"services", "protocols", "rpc", "ethertypes", "networks", "host.conf", "gai.conf",
	"mime.types", "mailcap", "magic",
	"sudo.conf",
	/* deliberately not here: machine-id, hostname, hosts, passwd and the
	 * other account files, sudoers, ssh, selinux, vim */
};

/* --etc=host: everything the caller can read except these (fnmatch(3)
 * patterns on the path below /etc). */
static const char *const host_exclusions[] = {
	/* accounts: the container makes its own (sysusers, firstboot, userdb) */
	"passwd", "passwd-", "group", "group-", "shadow", "shadow-", "gshadow", "gshadow-",
	"subuid", "subuid-", "subgid", "subgid-", ".pwd.lock",
	/* the host's identity: the container is a different machine */
	"machine-id", "hostname", "machine-info",
	"ssh/ssh_host_*",    /* host keys, private and .pub alike */
	/* the host's disks: systemd in the container would try to mount them */
	"fstab", "crypttab",
	/* the layout writes a copy of its contents; the host's is often a link
	 * to systemd-resolved's stub, which the container may not run */
	"resolv.conf",
	/* written patched below */
	"nsswitch.conf",
};

#define N(a) (sizeof (a) / sizeof (a)[0])
#define NSSWITCH_MAX 65536

/* What the layout makes there itself (struct etc_spec). */
static bool left_out(const struct etc_spec *s, const char *rel, mode_t mode)
{
	for (const char *const *p = s->leave_out; p && *p; p++) {
		size_t n = strlen(*p);
		if (n == 0)
			return true;
		if ((*p)[n - 1] == '/' ? S_ISDIR(mode) && !strncmp(rel, *p, n - 1) && rel[n - 1] == '\0' : !strcmp(rel, *p))
			return true;
	}
	return false;
}

/* Listed, below a listed directory, or a directory on the way to a
 * listed "dir/name" entry. */
static bool base_wanted(const void *ctx, const char *rel, mode_t mode)
{
	size_t n = strlen(rel);
	if (left_out(ctx, rel, mode))
		return false;
	for (size_t i = 0; i < N(base_table); i++) {
		const char *b = base_table[i];
		size_t bn = strlen(b);
		if (!strcmp(rel, b) || (!strncmp(rel, b, bn) && rel[bn] == '/'))
			return true;
		if (S_ISDIR(mode) && !strncmp(b, rel, n) && b[n] == '/')
			return true;
	}
	return false;
}

static bool host_wanted(const void *ctx, const char *rel, mode_t mode)
{
	if (left_out(ctx, rel, mode))
		return false;
	for (size_t i = 0; i < N(host_exclusions); i++)
		if (fnmatch(host_exclusions[i], rel, FNM_PATHNAME) == 0)
			return false;
	return true;
}

/* Create dst/name holding data, unless something is there already. */
static int write_new(int dst, const char *name, const char *data, size_t len, mode_t mode, struct err *e)
{
	int fd = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : err_sys(e, errno, "cannot write /etc/%s", name);
	ssize_t n = write(fd, data, len);
	int r = n < 0 ? errno : (size_t)n != len ? ENOSPC : fchmod(fd, mode) < 0 ? errno : 0;
	if (close(fd) < 0 && r == 0)
		r = errno;
	return r ? err_sys(e, r, "cannot write /etc/%s", name) : 0;
}

/* Open path (relative) below dir a component at a time, never up and
 * through no link: stricter than openat2's RESOLVE_BENEATH, and unlike it
 * known to valgrind. */
static int open_below(int dir, const char *path)
{
	char name[NAME_MAX + 1];
	int cur = -1;
	while (*path) {
		size_t n = strcspn(path, "/");
		bool last = path[n + strspn(path + n, "/")] == '\0';
		if (n > NAME_MAX || (n == 2 && !strncmp(path, "..", 2))) {
			if (cur >= 0)
				close(cur);
			return n > NAME_MAX ? -ENAMETOOLONG : -EXDEV;
		}
		memcpy(name, path, n);
		name[n] = '\0';
		path += n + strspn(path + n, "/");
		if (n == 0 || !strcmp(name, "."))
			continue;
		int flags = last ? O_RDONLY | O_NONBLOCK | O_NOCTTY : O_PATH | O_DIRECTORY;
		int next = openat(cur >= 0 ? cur : dir, name, flags | O_NOFOLLOW | O_CLOEXEC);
		if (cur >= 0)
			close(cur);
		if (next < 0)
			return -errno;
		cur = next;
	}
	return cur >= 0 ? cur : -ENOENT;
}

/* The host's nsswitch.conf, through one link if it is one, as long as the
 * link stays in /etc. An absolute link into /etc (Fedora's authselect makes
 * nsswitch.conf one) is taken as relative to host: the host's root is not
 * ours to resolve in (after pivot_root it is the container's). */
static int open_nsswitch(int host)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(host, "nsswitch.conf", target, sizeof target - 1);
	if (n < 0)
		return errno == EINVAL ? open_below(host, "nsswitch.conf") : -errno;
	target[n] = '\0';
	if (!strncmp(target, "/etc/", 5))
		return open_below(host, target + 5);
	return target[0] == '/' ? -EXDEV : open_below(host, target);
}

/* The host's nsswitch.conf into buf; *len is -1 when there is none we may
 * read (then the minimal one is written). */
static int read_nsswitch(int host, char *buf, size_t size, ssize_t *len, mode_t *mode, struct err *e)
{
	struct stat st;
	size_t got = 0;
	ssize_t n = 1;
	int fd = open_nsswitch(host);
	*len = -1;
	if (fd == -ENOENT || fd == -EACCES || fd == -EPERM || fd == -EXDEV || fd == -ELOOP || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return err_sys(e, -fd, "cannot copy /etc/nsswitch.conf");
	/* only what an unrelated uid may read, as for the rest (copy-tree.h) */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & S_IROTH)) {
		close(fd);
		return 0;
	}
	while (got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += (size_t)n;
	int saved = errno;
	close(fd);
	if (n < 0)
		return err_sys(e, saved, "cannot copy /etc/nsswitch.conf");
	if (got == size)
		return err_set(e, EFBIG, "cannot copy /etc/nsswitch.conf: larger than %zu bytes", size - 1);
	*len = (ssize_t)got;
	*mode = st.st_mode & 0777;
	return 0;
}

static int write_nsswitch(int host, int dst, struct err *e)
{
	mode_t mode = 0644;
	ssize_t len;
	char *text, *buf = malloc(NSSWITCH_MAX);
	if (!buf)
		return err_set(e, ENOMEM, "cannot copy /etc/nsswitch.conf: out of memory");
	int r = read_nsswitch(host, buf, NSSWITCH_MAX, &len, &mode, e);
	if (r == 0)
		r = etc_nsswitch_patch(len < 0 ? NULL : buf, len < 0 ? 0 : (size_t)len, &text, e);
	free(buf);
	if (r < 0)
		return r;
	r = write_new(dst, "nsswitch.conf", text, strlen(text), mode, e);
	free(text);
	return r;
}

/* root is uid 0, gid 0, group root before anything else writes these
 * files: when systemd-firstboot writes passwd first, systemd-sysusers then
 * gives group root GID 998. No shadow: firstboot goes on while shadow is
 * missing, rewrites root's line of this passwd and writes shadow with the
 * password from the credential. */
/* A user's line in passwd and in group; none for fields a line cannot hold. */
static void user_lines(FILE *pw, FILE *gr, const struct bound_user *u)
{
	const char *fields[] = { u->name, u->real_name ? u->real_name : "", u->home, u->shell ? u->shell : "" };
	for (size_t i = 0; i < N(fields); i++)
		if (strpbrk(fields[i], ":\n"))
			return;
	fprintf(pw, "%s:x:%u:%u:%s:%s:%s\n", u->name, (unsigned)u->uid, (unsigned)u->gid, fields[1], u->home, fields[3]);
	fprintf(gr, "%s:x:%u:\n", u->name, (unsigned)u->gid);
}

static int seed_accounts(int dst, const struct bound_user *users, size_t n, struct err *e)
{
	/* /usr is the host's, so its bash is the container's */
	bool bash = faccessat(AT_FDCWD, "/usr/bin/bash", X_OK, AT_EACCESS) == 0;
	char *passwd = NULL, *group = NULL;
	size_t plen = 0, glen = 0;
	FILE *pw = open_memstream(&passwd, &plen), *gr = open_memstream(&group, &glen);
	if (pw && gr) {
		fprintf(pw, "root:x:0:0:root:/root:%s\n", bash ? "/bin/bash" : "/bin/sh");
		fputs("root:x:0:\n", gr);
		for (size_t i = 0; i < n; i++)
			user_lines(pw, gr, &users[i]);
	}
	/* both closed, whatever the other did */
	bool pw_ok = pw && fclose(pw) == 0, gr_ok = gr && fclose(gr) == 0;
	int r = pw_ok && gr_ok ? 0 : err_set(e, ENOMEM, "cannot write /etc/passwd: out of memory");
	if (r == 0)
		r = write_new(dst, "passwd", passwd, plen, 0644, e);
	if (r == 0)
		r = write_new(dst, "group", group, glen, 0644, e);
	free(passwd);
	free(group);
	return r;
}

static int seed_root(int dst, const char *hostname, const struct bound_user *users, size_t n, struct err *e)
{
	int r = seed_accounts(dst, users, n, e);
	if (r < 0)
		return r;
	/* the host's hosts file names the host, not the container; the
	 * container's own name must resolve as Debian's installer makes it
	 * (127.0.1.1), or sudo says "unable to resolve host" on every run */
	char hosts[128 + HOST_NAME_MAX];
	int len = snprintf(hosts, sizeof hosts, "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n"
			   "::1\tlocalhost ip6-localhost ip6-loopback\n", hostname);
	if (len < 0 || (size_t)len >= sizeof hosts)
		return err_set(e, ENAMETOOLONG, "cannot write /etc/hosts: host name too long");
	return write_new(dst, "hosts", hosts, (size_t)len, 0644, e);
}

int etc_populate(int host_etc_fd, int dst_etc_fd, const struct etc_spec *s, struct err *e)
{
	if (s->mode == ETC_EMPTY)
		return 0;
	if (s->mode != ETC_BASE && s->mode != ETC_HOST)
		return err_set(e, EINVAL, "unknown --etc mode %d", (int)s->mode);
	if (left_out(s, "", S_IFDIR))
		return 0;   /* something of the user's lies over all of it */
	int r = copy_tree(host_etc_fd, dst_etc_fd, s->mode == ETC_BASE ? base_wanted : host_wanted, s, "/etc", e);
	if (r == 0)
		r = write_nsswitch(host_etc_fd, dst_etc_fd, e);
	return r < 0 ? r : seed_root(dst_etc_fd, s->hostname, s->users, s->n_users, e);
}
