/* layout.c — the container's layout: every mount, directory and link that
 * volspawn makes, in one table, applied in order below the new root. */
#include "inside/layout.h"
#include "users/bind-user.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

enum kind {
	ROOT,    /* the root mount itself: a tmpfs, the tree, or an overlay */
	DIR_,    /* a directory */
	FILE_,   /* a file holding `what` */
	LINK,    /* a symlink to `what` */
	FS,      /* a new filesystem of type `what` */
	BIND,    /* a bind mount of `what`: "tree:PATH", "host:PATH" or "root:PATH" */
	RO,      /* the mount point made read-only (a bind onto itself) */
	MERGE,   /* the tree's /usr-merge links: bin, sbin, lib, lib64, ... */
	ZONE,    /* the host's /etc/localtime link */
	UUID,    /* a file holding the container's UUID */
	NODE,    /* a fifo, socket or device node of `mode`; skipped where mknod is not allowed */
	COPY,    /* a copy of the host file `what` */
	USRFS,   /* a FUSE mount of type `what` for volspawn-usrfs to serve */
};

enum when {
	V_YES = 1, V_STATE = 2, V_OVERLAY = 4, V_NO = 8,
	V_ANY = 15,
	NETNS = 16,     /* only with --private-network */
	HOSTNET = 32,   /* only without it */
	OPTIONAL = 64,  /* skip when the target does not exist */
	BOOT = 128,     /* only with --boot */
	SERVED = 256,   /* only when volspawn-usrfs serves /usr */
	PLAIN = 512,    /* only when it does not */
	INNER = 1024,   /* made by the container's first process, in the namespaces it owns */
};

struct row {
	enum kind kind;
	const char *where;
	const char *what;
	const char *options;
	uint64_t attr;
	mode_t mode;
	unsigned when;
};

#define RDONLY MOUNT_ATTR_RDONLY
#define NOSUID MOUNT_ATTR_NOSUID
#define NODEV MOUNT_ATTR_NODEV
#define NOEXEC MOUNT_ATTR_NOEXEC
#define TMPFS_ROOT "mode=0755,size=25%,nr_inodes=1m"
/* the owners the server reports are read in our user namespace, where
 * the connection was opened and mounted; fd= is added when it is opened */
#define USRFS_OPTIONS "rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions"

/* The container, top to bottom; sizes and modes as systemd-nspawn's. */
static const struct row table[] = {
/*	 kind   where                         what                   options / contents                            attr                     mode   when */
	{ ROOT,  "/",                          "tmpfs",               TMPFS_ROOT,                                   0,                       0,     V_YES },
	{ ROOT,  "/",                          "tree:",               NULL,                                         RDONLY,                  0,     V_STATE },
	{ ROOT,  "/",                          "tree:",               NULL,                                         0,                       0,     V_NO },
	{ ROOT,  "/",                          "overlay",             NULL,                                         0,                       0,     V_OVERLAY },
	{ DIR_,  "/usr",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ BIND,  "/usr",                       "tree:usr",            NULL,                                         RDONLY,                  0,     V_YES | PLAIN },
	/* rootless, the true owners: host root's files as container root's, setuid working */
	{ USRFS, "/usr",                       "fuse",                USRFS_OPTIONS,                                RDONLY | NODEV,          0,     V_YES | V_STATE | V_OVERLAY | SERVED },
	{ MERGE, "/",                          NULL,                  NULL,                                         0,                       0,     V_YES },
	{ DIR_,  "/etc",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/var",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/root",                      NULL,                  NULL,                                         0,                       0700,  V_YES },
	{ DIR_,  "/home",                      NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/srv",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/mnt",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/opt",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ ZONE,  "/etc/localtime",             NULL,                  NULL,                                         0,                       0,     V_YES | V_OVERLAY },
	{ COPY,  "/etc/resolv.conf",           "/etc/resolv.conf",    NULL,                                         0,                       0644,  V_YES | V_OVERLAY },
	{ FS,    "/var",                       "tmpfs",               TMPFS_ROOT,                                   0,                       0,     V_STATE },
	{ DIR_,  "/tmp",                       NULL,                  NULL,                                         0,                       01777, V_ANY },
	{ FS,    "/tmp",                       "tmpfs",               "mode=1777,size=10%,nr_inodes=400k",          NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/run",                       NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/run",                       "tmpfs",               "mode=0755,size=20%,nr_inodes=800k",          NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/run/host",                  NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FILE_, "/run/host/container-manager", "volspawn\n",         NULL,                                         0,                       0444,  V_ANY },
	{ UUID,  "/run/host/container-uuid",   NULL,                  NULL,                                         0,                       0444,  V_ANY },
	{ BIND,  "/run/host/os-release",       "host:/etc/os-release", NULL,                                        RDONLY,                  0444,  V_ANY },
	{ DIR_,  "/run/host/inaccessible",     NULL,                  NULL,                                         0,                       0755,  V_ANY },
	/* what systemd mounts over paths its services may not see (mknod of
	 * devices is refused in a user namespace: those are best effort) */
	{ FILE_, "/run/host/inaccessible/reg", "",                    NULL,                                         0,                       0000,  V_ANY },
	{ DIR_,  "/run/host/inaccessible/dir", NULL,                  NULL,                                         0,                       0000,  V_ANY },
	{ NODE,  "/run/host/inaccessible/fifo", NULL,                 NULL,                                         0,                       S_IFIFO,  V_ANY },
	{ NODE,  "/run/host/inaccessible/sock", NULL,                 NULL,                                         0,                       S_IFSOCK, V_ANY },
	{ NODE,  "/run/host/inaccessible/chr", NULL,                  NULL,                                         0,                       S_IFCHR,  V_ANY },
	{ NODE,  "/run/host/inaccessible/blk", NULL,                  NULL,                                         0,                       S_IFBLK,  V_ANY },
	{ DIR_,  "/dev",                       NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev",                       "tmpfs",               "mode=0755,size=4m,nr_inodes=64k",            NOSUID,                  0,     V_ANY },
	{ BIND,  "/dev/null",                  "host:/dev/null",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/zero",                  "host:/dev/zero",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/full",                  "host:/dev/full",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/random",                "host:/dev/random",    NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/urandom",               "host:/dev/urandom",   NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/tty",                   "host:/dev/tty",       NULL,                                         0,                       0666,  V_ANY },
	{ DIR_,  "/dev/pts",                   NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev/pts",                   "devpts",              "newinstance,ptmxmode=0666,mode=620,gid=5",   NOSUID | NOEXEC,         0,     V_ANY },
	{ LINK,  "/dev/ptmx",                  "pts/ptmx",            NULL,                                         0,                       0,     V_ANY },
	{ DIR_,  "/dev/shm",                   NULL,                  NULL,                                         0,                       01777, V_ANY },
	{ FS,    "/dev/shm",                   "tmpfs",               "mode=1777,size=10%,nr_inodes=400k",          NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/dev/mqueue",                NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev/mqueue",                "mqueue",              NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | INNER },
	{ LINK,  "/dev/fd",                    "/proc/self/fd",       NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stdin",                 "/proc/self/fd/0",     NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stdout",                "/proc/self/fd/1",     NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stderr",                "/proc/self/fd/2",     NULL,                                         0,                       0,     V_ANY },
	{ DIR_,  "/proc",                      NULL,                  NULL,                                         0,                       0555,  V_ANY },
	/* a tree's /proc and /sys may hold mounts (the host's own, for -D /):
	 * covered here, locked, so that unmounting the container's shows nothing */
	{ FS,    "/proc",                      "tmpfs",               "mode=0555,size=4k,nr_inodes=1",              RDONLY | NOSUID | NODEV | NOEXEC, 0, V_STATE | V_NO | V_OVERLAY },
	{ FS,    "/proc",                      "proc",                NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | INNER },
	{ RO,    "/proc/sys",                  NULL,                  NULL,                                         0,                       0,     V_ANY | INNER },
	{ BIND,  "/proc/kallsyms",             "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/kcore",                "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/keys",                 "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/sysrq-trigger",        "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/timer_list",           "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/acpi",                 NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/apm",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/asound",               NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/bus",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/fs",                   NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/irq",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/scsi",                 NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ DIR_,  "/sys",                       NULL,                  NULL,                                         0,                       0555,  V_ANY },
	{ BIND,  "/sys",                       "host:/sys",           NULL,                                         RDONLY,                  0,     V_ANY | HOSTNET },
	{ FS,    "/sys",                       "tmpfs",               "mode=0555,size=4k,nr_inodes=1",              RDONLY | NOSUID | NODEV | NOEXEC, 0, V_STATE | V_NO | V_OVERLAY | NETNS },
	{ FS,    "/sys",                       "sysfs",               NULL,                                         RDONLY | NOSUID | NODEV | NOEXEC, 0, V_ANY | NETNS | INNER },
	{ FS,    "/sys/fs/cgroup",             "cgroup2",             NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | BOOT | INNER },
	/* units that cannot work in a container masked: nothing would come
	 * online, and without privilege on the host no debugfs, no network setup */
	{ DIR_,  "/etc/systemd/system",        NULL,                  NULL,                                         0,                       0755,  V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/systemd-networkd-wait-online.service", "/dev/null", NULL,                     0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/sys-kernel-debug.mount", "/dev/null", NULL,                                   0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/sys-kernel-tracing.mount", "/dev/null", NULL,                                 0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/systemd-networkd.service", "/dev/null", NULL,                                 0,                       0,     V_YES | V_OVERLAY | BOOT | HOSTNET },
	{ LINK,  "/etc/systemd/system/systemd-networkd.socket", "/dev/null", NULL,                                  0,                       0,     V_YES | V_OVERLAY | BOOT | HOSTNET },
};

/* Until the pivot, the root is mounted over /tmp of our private mount
 * namespace; for an overlay a tmpfs there holds it with its upper and work
 * directories. */
#define STAGING "/tmp"

const char *layout_idmapped_path(enum volatile_mode mode)
{
	return mode == VOLATILE_YES ? "usr" : mode == VOLATILE_OVERLAY ? NULL : "";
}

static bool wanted(const struct row *r, const struct config *c, const struct handoff *ho)
{
	static const unsigned by_mode[] = {
		[VOLATILE_NO] = V_NO, [VOLATILE_YES] = V_YES,
		[VOLATILE_STATE] = V_STATE, [VOLATILE_OVERLAY] = V_OVERLAY,
	};
	if (!(r->when & by_mode[c->volatile_mode]))
		return false;
	if ((r->when & NETNS) && !c->private_network)
		return false;
	if ((r->when & BOOT) && !c->boot)
		return false;
	if ((r->when & (ho->serve_usr ? PLAIN : SERVED)))
		return false;
	return !((r->when & HOSTNET) && c->private_network);
}

/* A detached tree for "tree:PATH", "host:PATH" or "root:PATH". */
static int source_tree(struct layout *l, const char *what, uint64_t attr)
{
	const char *path = strchr(what, ':') + 1;
	if (strncmp(what, "tree:", 5) == 0)
		return tree_clone(l->tree_fd, path, true, attr, -1);
	if (strncmp(what, "root:", 5) == 0)
		return tree_clone(l->root_fd, path + 1, false, attr, -1);
	return tree_clone(AT_FDCWD, path, true, attr, -1);
}

#define N_ROWS (sizeof table / sizeof table[0])

/* Rows whose tree can be made before we have an identity in the namespace. */
static bool early(const struct row *r)
{
	return (r->kind == BIND || r->kind == ROOT) &&
	       (strncmp(r->what, "host:", 5) == 0 || strncmp(r->what, "tree:", 5) == 0);
}

static int make_tree(struct layout *l, const struct row *r)
{
	if (strchr(r->what, ':'))
		return source_tree(l, r->what, r->attr);
	return fs_new(r->what, r->what, r->options, r->attr);
}

void layout_prepare(struct layout *l)
{
	l->prepared = malloc(N_ROWS * sizeof *l->prepared);
	for (size_t i = 0; l->prepared && i < N_ROWS; i++) {
		l->prepared[i] = -1;
		if (wanted(&table[i], l->cfg, l->ho) && !(table[i].when & INNER) && early(&table[i]))
			l->prepared[i] = make_tree(l, &table[i]);
	}
}

/* The row's detached tree: the root-mode idmapped one, one made early, or a new one. */
static int row_tree(struct layout *l, const struct row *r)
{
	int fd = l->prepared ? l->prepared[r - table] : -1;
	const char *idmapped = layout_idmapped_path(l->cfg->volatile_mode);
	if (l->prepared)
		l->prepared[r - table] = -1;
	if (l->idmapped_fd >= 0 && idmapped && !strncmp(r->what, "tree:", 5) && !strcmp(r->what + 5, idmapped)) {
		if (fd >= 0)
			close(fd);
		fd = l->idmapped_fd;
		l->idmapped_fd = -1;
	}
	return fd >= 0 ? fd : make_tree(l, r);
}

static int attach(int tree, int rootfd, const char *where)
{
	if (tree < 0)
		return tree;
	int r = tree_attach(tree, rootfd, where);
	close(tree);
	return r;
}

static int overlay_root(struct layout *l, int host)
{
	char opts[256];
	int r = attach(fs_new("tmpfs", "tmpfs", "mode=0700,size=1m", 0), host, STAGING);
	int staging = r < 0 ? r : open(STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (staging < 0)
		return staging == -1 ? -errno : staging;
	if (mkdirat(staging, "root", 0755) < 0 || mkdirat(staging, "upper", 0755) < 0 || mkdirat(staging, "work", 0755) < 0) {
		close(staging);
		return -errno;
	}
	snprintf(opts, sizeof opts, "lowerdir=/proc/self/fd/%d,upperdir=" STAGING "/upper,workdir=" STAGING "/work", l->tree_fd);
	int fd = fs_new("overlay", "overlay", opts, 0);
	if (fd == -EINVAL) {  /* inside a user namespace overlayfs wants user.* xattrs */
		strncat(opts, ",userxattr", sizeof opts - strlen(opts) - 1);
		fd = fs_new("overlay", "overlay", opts, 0);
	}
	r = attach(fd, staging, "root");
	close(staging);
	return r;
}

static int mount_root(struct layout *l, const struct row *r)
{
	bool overlay = strcmp(r->what, "overlay") == 0;
	int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return -errno;
	int ret = overlay ? overlay_root(l, host) : attach(row_tree(l, r), host, STAGING);
	close(host);
	if (ret < 0)
		return ret;
	l->root_fd = open(overlay ? STAGING "/root" : STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return l->root_fd < 0 ? -errno : 0;
}

/* bin, sbin, lib... exactly as the tree links them into /usr. */
static int merge_links(struct layout *l, struct err *e)
{
	static const char *const names[] = { "bin", "sbin", "lib", "lib64", "lib32", "libx32" };
	char target[256];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		ssize_t n = readlinkat(l->tree_fd, names[i], target, sizeof target - 1);
		if (n < 0 && errno == ENOENT)
			continue;
		if (n < 0 && errno == EINVAL)
			return err_set(e, EISDIR, "%s/%s is not a link into /usr: --volatile=yes needs a tree with a merged /usr; use --volatile=state or overlay",
				       l->cfg->directory, names[i]);
		if (n < 0)
			return err_sys(e, errno, "cannot read %s/%s", l->cfg->directory, names[i]);
		target[n] = '\0';
		if (symlinkat(target, l->root_fd, names[i]) < 0)
			return err_sys(e, errno, "cannot create /%s", names[i]);
	}
	return 0;
}

/* nspawn's way: a relative link to the host's zone in the container's /usr. */
static int zone_link(struct layout *l, const struct row *r)
{
	char target[256], rel[300];
	ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);
	if (n < 0)
		return 0;   /* no zone on the host: UTC, as without the link */
	target[n] = '\0';
	const char *zone = strstr(target, "zoneinfo/");
	if (!zone)
		return 0;
	snprintf(rel, sizeof rel, "../usr/share/%s", zone);
	const char *name = strrchr(r->where, '/') + 1;
	int dir = resolve_in(l->root_fd, "/etc");
	if (dir < 0)
		return dir;
	int ret = symlinkat(rel, dir, name) < 0 && errno != EEXIST ? -errno : 0;
	close(dir);
	return ret;
}

static int copy_host_file(struct layout *l, const struct row *r)
{
	char buf[65536];
	int fd = open(r->what, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0)
		return -errno;
	return write_in(l->root_fd, r->where, buf, (size_t)n, r->mode);
}

static int link_in(int rootfd, const char *target, const char *where)
{
	char parent[256];
	snprintf(parent, sizeof parent, "%s", where);
	*strrchr(parent, '/') = '\0';
	int dir = resolve_in(rootfd, parent);
	if (dir < 0)
		return dir;
	int r = symlinkat(target, dir, strrchr(where, '/') + 1) < 0 && errno != EEXIST ? -errno : 0;
	close(dir);
	return r;
}

static int bind_row(struct layout *l, const struct row *r)
{
	if (r->mode) {   /* a device node or file: it needs a file to sit on */
		int t = touch_in(l->root_fd, r->where, 0644);
		if (t < 0)
			return t;
	} else if (r->when & OPTIONAL) {   /* don't make a tree for nothing */
		int t = resolve_in(l->root_fd, r->where);
		if (t < 0)
			return t;
		close(t);
	}
	return attach(row_tree(l, r), l->root_fd, r->where);
}

/* The connection is opened here, inside our user namespace: the kernel
 * reads the server's owners in the namespace of whoever opened it. */
static int usrfs_mount(struct layout *l, const struct row *r)
{
	char opts[256];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(opts, sizeof opts, "fd=%d,%s", fd, r->options);
	int tree = fs_new(r->what, "volspawn-usrfs", opts, r->attr);
	if (tree < 0) {
		close(fd);
		return tree;
	}
	l->usrfs_fd = fd;
	return attach(tree, l->root_fd, r->where);
}

static int apply(struct layout *l, const struct row *r, struct err *e)
{
	switch (r->kind) {
	case ROOT:
		return mount_root(l, r);
	case DIR_:
		return mkdir_p_in(l->root_fd, r->where, r->mode);
	case FILE_:
		return write_in(l->root_fd, r->where, r->what, strlen(r->what), r->mode);
	case LINK:
		return link_in(l->root_fd, r->what, r->where);
	case FS:
		return attach(row_tree(l, r), l->root_fd, r->where);
	case BIND:
		return bind_row(l, r);
	case RO:
		return attach(tree_clone(l->root_fd, r->where + 1, true, RDONLY, -1), l->root_fd, r->where);
	case MERGE:
		return merge_links(l, e);
	case ZONE:
		return zone_link(l, r);
	case COPY:
		return copy_host_file(l, r);
	case USRFS:
		return usrfs_mount(l, r);
	case NODE: {
		int dir = resolve_in(l->root_fd, "/run/host/inaccessible");
		if (dir < 0)
			return dir;
		int ret = mknodat(dir, strrchr(r->where, '/') + 1, r->mode, 0) < 0 && errno != EPERM ? -errno : 0;
		close(dir);
		return ret;
	}
	case UUID: {
		char text[40];
		snprintf(text, sizeof text, "%s\n", l->uuid);
		return write_in(l->root_fd, r->where, text, strlen(text), r->mode);
	}
	}
	return -EINVAL;
}

static const char *verb(enum kind k)
{
	switch (k) {
	case FS: case BIND: case ROOT: case USRFS: return "mount";
	case RO: return "make read-only";
	default: return "create";
	}
}

static int user_binds(struct layout *l, struct err *e)
{
	const struct config *c = l->cfg;
	for (size_t i = 0; i < c->n_binds; i++) {
		const struct bind *b = &c->binds[i];
		struct stat st;
		int r = fstat(l->bind_fds[i], &st) < 0 ? -errno : 0;
		if (r == 0)
			r = S_ISDIR(st.st_mode) ? mkdir_p_in(l->root_fd, b->dst, 0755) : touch_in(l->root_fd, b->dst, 0644);
		if (r == 0)
			r = attach(tree_clone(l->bind_fds[i], "", b->recursive, b->read_only ? RDONLY : 0, -1), l->root_fd, b->dst);
		if (r < 0)
			return err_sys(e, -r, "cannot bind %s to %s", b->src, b->dst);
	}
	for (size_t i = 0; i < c->n_tmpfs; i++) {
		const struct tmpfs *t = &c->tmpfs[i];
		int r = mkdir_p_in(l->root_fd, t->path, 0755);
		if (r == 0)
			r = attach(fs_new("tmpfs", "tmpfs", t->options, NOSUID | NODEV), l->root_fd, t->path);
		if (r < 0)
			return err_set(e, -r, "--tmpfs=%s:%s: the kernel refused these tmpfs options (%s); give options of tmpfs(5), such as mode=0755,size=10%%",
				       t->path, t->options, strerror(-r));
	}
	return 0;
}

/* Bound users: the home at the same path as on the host, so paths in the
 * user's files still work, and records nss-systemd reads. */
static int bound_users(struct layout *l, struct err *e)
{
	const struct handoff *ho = l->ho;
	int r, dir;
	if (!ho->n_users)
		return 0;
	if ((r = mkdir_p_in(l->root_fd, BIND_USER_USERDB_DIR, 0755)) < 0 || (dir = r = resolve_in(l->root_fd, BIND_USER_USERDB_DIR)) < 0)
		return err_sys(e, -r, "cannot create " BIND_USER_USERDB_DIR);
	for (size_t i = 0; i < ho->n_users && r >= 0; i++) {
		const struct bound_user *u = &ho->users[i];
		if ((r = bind_user_write_records(dir, u, e)) < 0)
			break;
		r = mkdir_p_in(l->root_fd, u->home, 0755);
		if (r == 0)
			r = l->homes_idmapped ? tree_attach(l->home_fds[i], l->root_fd, u->home)
					      : attach(tree_clone(l->home_fds[i], "", true, 0, -1), l->root_fd, u->home);
		if (r < 0)
			r = err_sys(e, -r, "cannot bind the home of %s", u->name);
	}
	close(dir);
	return r < 0 ? r : 0;
}

/* Credentials on a memory filesystem that never swaps (ramfs, as nspawn),
 * files 0400 and the directory 0500 owned by container root, read-only:
 * written while the mount is still detached, then attached. */
static int credentials(struct layout *l, struct err *e)
{
	char path[64];
	int r, fd;
	if (!handoff_has_creds(&l->cfg->creds, l->ho))
		return 0;
	fd = fs_new("ramfs", "ramfs", "mode=0700", NOSUID | NODEV | NOEXEC);
	if (fd < 0)
		return err_sys(e, -fd, "cannot mount a ramfs for the credentials");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	r = creds_write(fd, &l->cfg->creds, e);
	if (r == 0)
		r = creds_write(fd, &l->ho->creds, e);
	if (r == 0 && chmod(path, 0500) < 0)
		r = err_sys(e, errno, "cannot seal " CREDS_DIR);
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	if (r == 0 && mount_setattr(fd, "", AT_EMPTY_PATH, &ro, sizeof ro) < 0)
		r = err_sys(e, errno, "cannot seal " CREDS_DIR);
	if (r == 0 && (r = mkdir_p_in(l->root_fd, CREDS_DIR, 0700)) < 0)
		r = err_sys(e, -r, "cannot create " CREDS_DIR);
	if (r == 0 && (r = tree_attach(fd, l->root_fd, CREDS_DIR)) < 0)
		r = err_sys(e, -r, "cannot mount " CREDS_DIR);
	close(fd);
	return r;
}

/* agetty logs the user in on the console; "-f" in its login options skips
 * the password (rootless, the user's hash is unreadable). */
static int autologin(struct layout *l, struct err *e)
{
	static const char dir[] = "/etc/systemd/system/console-getty.service.d";
	char text[512];
	int r;
	if (!l->cfg->autologin)
		return 0;
	snprintf(text, sizeof text, "[Service]\nExecStart=\nExecStart=-/sbin/agetty -o \"-p -f -- \\\\u\" --noclear --autologin %s --keep-baud - 115200,38400,9600 $TERM\n",
		 l->cfg->autologin);
	if ((r = mkdir_p_in(l->root_fd, dir, 0755)) < 0 || (r = write_in(l->root_fd, "/etc/systemd/system/console-getty.service.d/autologin.conf", text, strlen(text), 0644)) < 0)
		return err_sys(e, -r, "--autologin needs a writable /etc (--volatile=yes or overlay)");
	return 0;
}

/* sudo reads only root's files: the drop-in, and the main file (the host's
 * is readable by root only, so never copied) naming the drop-in directory. */
static int sudoers(struct layout *l, struct err *e)
{
	static const char main_file[] =
		"# made by volspawn --bind-user-sudo\n"
		"Defaults\tenv_reset\n"
		"Defaults\tsecure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
		"root\tALL=(ALL:ALL) ALL\n"
		"@includedir /etc/sudoers.d\n";
	char text[4096];
	size_t n = 0;
	int r, fd;
	if (!l->cfg->bind_user_sudo)
		return 0;
	for (size_t i = 0; i < l->ho->n_users && n < sizeof text; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s\tALL=(ALL:ALL) NOPASSWD: ALL\n", l->ho->users[i].name);
	if (n >= sizeof text)
		return err_set(e, E2BIG, "--bind-user-sudo: too many bound users");
	if ((fd = resolve_in(l->root_fd, "/etc/sudoers")) >= 0)
		close(fd);
	else if ((r = write_in(l->root_fd, "/etc/sudoers", main_file, sizeof main_file - 1, 0440)) < 0)
		return err_sys(e, -r, "--bind-user-sudo needs a writable /etc (--volatile=yes or overlay)");
	if ((r = mkdir_p_in(l->root_fd, "/etc/sudoers.d", 0755)) < 0 ||
	    (r = write_in(l->root_fd, "/etc/sudoers.d/volspawn-bind-user", text, n, 0440)) < 0)
		return err_sys(e, -r, "--bind-user-sudo needs a writable /etc (--volatile=yes or overlay)");
	return 0;
}

static int apply_rows(struct layout *l, bool inner, struct err *e)
{
	int r;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct row *row = &table[i];
		if (!wanted(row, l->cfg, l->ho) || (bool)(row->when & INNER) != inner)
			continue;
		e->code = 0;
		r = apply(l, row, e);
		if (r == -ENOENT && (row->when & OPTIONAL))
			continue;
		if (r < 0 && e->code)
			return r;
		if (r < 0)
			return err_sys(e, -r, "cannot %s %s%s%s", verb(row->kind), row->where,
				       row->kind == FS || row->kind == ROOT || row->kind == USRFS ? " as " : "",
				       row->kind == FS || row->kind == ROOT || row->kind == USRFS ? row->what : "");
	}
	return 0;
}

int layout_build(struct layout *l, struct err *e)
{
	int r;
	if ((r = apply_rows(l, false, e)) < 0 || (r = user_binds(l, e)) < 0 || (r = bound_users(l, e)) < 0 || (r = credentials(l, e)) < 0 ||
	    (r = sudoers(l, e)) < 0)
		return r;
	return autologin(l, e);
}

/* The root as the container's first process sees it: a clone of the
 * builder's, on top of it. The builder's mounts reached this mount
 * namespace locked (their flags cannot be changed, nor they be unmounted
 * to reveal what is below), and pivot_root refuses a locked new root. */
int layout_reopen_root(struct layout *l)
{
	const char *path = l->cfg->volatile_mode == VOLATILE_OVERLAY ? STAGING "/root" : STAGING;
	int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return -errno;
	int r = attach(tree_clone(host, path + 1, true, 0, -1), host, path);
	close(host);
	if (l->root_fd >= 0)
		close(l->root_fd);
	l->root_fd = r < 0 ? -1 : open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r < 0 ? r : l->root_fd < 0 ? -errno : 0;
}

int layout_build_inner(struct layout *l, struct err *e)
{
	return apply_rows(l, true, e);
}
