/* layout.c — applying the mount table (inside/mount-table.c) in order
 * below the new root: each kind of row is made here, or by the room of its
 * concern. */
#include "inside/layout.h"
#include "creds/creds.h"
#include "etc/etc.h"
#include "inside/kernel-fs.h"
#include "inside/etc-job.h"
#include "inside/mount-table.h"
#include "inside/user-mounts.h"
#include "lib/channel.h"
#include "lib/mount-util.h"
#include "users/bind-user.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Until the pivot, the root is mounted over /tmp of our private mount
 * namespace; for an overlay a tmpfs there holds it with its upper and work
 * directories. */
#define STAGING "/tmp"

/* A detached tree for "tree:PATH", "host:PATH" or "root:PATH". Of the
 * tree, only itself and the usr opened beneath it: no path is looked up in
 * it again, where a symlink could lead out. */
static int source_tree(struct layout *l, const char *what, uint64_t attr)
{
	const char *path = strchr(what, ':') + 1;
	if (strncmp(what, "tree:", 5) == 0) {
		int fd = !*path ? l->tree_fd : !strcmp(path, "usr") ? l->usr_fd : -1;
		return fd < 0 ? -ENOENT : tree_clone(fd, "", true, attr, -1);
	}
	if (strncmp(what, "root:", 5) == 0)
		return tree_clone(l->root_fd, path + 1, false, attr, -1);
	return tree_clone(AT_FDCWD, path, true, attr, -1);
}

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
	l->prepared = malloc(mount_table_size * sizeof *l->prepared);
	for (size_t i = 0; l->prepared && i < mount_table_size; i++) {
		const struct row *r = &mount_table[i];
		l->prepared[i] = -1;
		if (!mount_table_wanted(r, l->cfg, l->ho) || (r->when & INNER))
			continue;
		if (early(r))
			l->prepared[i] = make_tree(l, r);
	}
}

/* The row's detached tree: the root-mode idmapped one, one made early, or a new one. */
static int row_tree(struct layout *l, const struct row *r)
{
	int fd = l->prepared ? l->prepared[r - mount_table] : -1;
	const char *idmapped = volatile_traits(l->cfg->volatile_mode)->idmapped;
	if (l->prepared)
		l->prepared[r - mount_table] = -1;
	if (l->idmapped_fd >= 0 && idmapped && !strncmp(r->what, "tree:", 5) && !strcmp(r->what + 5, idmapped)) {
		if (fd >= 0)
			close(fd);
		fd = l->idmapped_fd;
		l->idmapped_fd = -1;
	}
	return fd >= 0 ? fd : make_tree(l, r);
}

static int overlay_root(struct layout *l, int host)
{
	char lower[64];
	int r = tree_place(fs_new("tmpfs", "tmpfs", FS_OPTS("mode", "0700", "size", "1m"), 0), host, STAGING);
	int staging = r < 0 ? r : open(STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (staging < 0)
		return staging == -1 ? -errno : staging;
	if (mkdirat(staging, "root", 0755) < 0 || mkdirat(staging, "upper", 0755) < 0 || mkdirat(staging, "work", 0755) < 0) {
		close(staging);
		return -errno;
	}
	snprintf(lower, sizeof lower, "/proc/self/fd/%d", l->tree_fd);
	const char *opts[] = { "lowerdir", lower, "upperdir", STAGING "/upper", "workdir", STAGING "/work", NULL, NULL, NULL };
	int fd = fs_new("overlay", "overlay", opts, 0);
	if (fd == -EINVAL) {  /* inside a user namespace overlayfs wants user.* xattrs */
		opts[6] = "userxattr";
		fd = fs_new("overlay", "overlay", opts, 0);
	}
	r = tree_place(fd, staging, "root");
	close(staging);
	return r;
}

/* Where the container's root is until the pivot. */
static void staged_root(const struct layout *l, char *path, size_t size)
{
	snprintf(path, size, STAGING "%s", volatile_traits(l->cfg->volatile_mode)->root);
}

static int mount_root(struct layout *l, const struct row *r)
{
	char path[64];
	bool overlay = strcmp(r->what, "overlay") == 0;
	int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return -errno;
	int ret = overlay ? overlay_root(l, host) : tree_place(row_tree(l, r), host, STAGING);
	close(host);
	if (ret < 0)
		return ret;
	staged_root(l, path, sizeof path);
	l->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
	return tree_place(row_tree(l, r), l->root_fd, r->where);
}

/* The connection is opened here, inside our user namespace: the kernel
 * reads the server's owners in the namespace of whoever opened it. */
static int usrfs_mount(struct layout *l, const struct row *r, struct err *e)
{
	const char *opts[32];
	char fd_text[16];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(fd_text, sizeof fd_text, "%d", fd);
	fs_opts_join(opts, sizeof opts / sizeof opts[0], r->options, FS_OPTS("fd", fd_text));
	int tree = fs_new(r->what, "volspawn-usrfs", opts, r->attr);
	if (tree < 0) {
		close(fd);
		return tree;
	}
	int ret = tree_place(tree, l->root_fd, r->where);
	/* its server starts at once, while the rest is built, on the usr we
	 * opened and checked */
	int fds[] = { fd, l->usr_fd };
	if (ret == 0 && (ret = channel_send_fds(l->sock, MSG_USRFS, fds, 2, NULL)) < 0)
		err_sys(e, -ret, "cannot hand /usr to its server");
	close(fd);
	return ret;
}

/* Whether the table binds the host's where (its /sys, read-only) itself. */
static bool binds_host(const struct layout *l, const char *where)
{
	for (size_t i = 0; i < mount_table_size; i++) {
		const struct row *r = &mount_table[i];
		if (r->kind == BIND && !strcmp(r->where, where) && !strncmp(r->what, "host:", 5) && mount_table_wanted(r, l->cfg, l->ho))
			return true;
	}
	return false;
}

static int cover_kernel_fs(struct layout *l, const struct row *r, struct err *e)
{
	char path[64];
	staged_root(l, path, sizeof path);
	return kernel_fs_cover(l->root_fd, path, binds_host(l, "/sys"), r, e);
}

/* The writable layers of each OVERLAY_DIR, below the root: on /run, which
 * the container throws away with it. */
#define LAYERS "/run/host/etc-layers"

static int layer_dir(struct layout *l, const char *where, const char *name, char *fd_path, size_t size)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, LAYERS "%s/%s", where, name);
	int r = mkdir_p_in(l->root_fd, path, 0755), fd = r < 0 ? r : resolve_in(l->root_fd, path);
	if (fd >= 0)
		snprintf(fd_path, size, "/proc/self/fd/%d", fd);
	return fd;
}

/* A directory of the host's, writable: entries can be added, replaced and
 * removed (what update-alternatives does), all in the upper layer. Its
 * files stay the host's, as a copy of them would not. A host without it
 * (or with a link there, which the copy of /etc takes) gets none. */
static int overlay_dir(struct layout *l, const struct row *r)
{
	char lower[64], upper[64], work[64];
	const char *opts[16];
	int low = open(strchr(r->what, ':') + 1, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (low < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -errno;
	snprintf(lower, sizeof lower, "/proc/self/fd/%d", low);
	int up = layer_dir(l, r->where, "upper", upper, sizeof upper);
	int wk = up < 0 ? up : layer_dir(l, r->where, "work", work, sizeof work);
	int ret = wk < 0 ? wk : mkdir_p_in(l->root_fd, r->where, r->mode);
	if (ret == 0) {
		fs_opts_join(opts, sizeof opts / sizeof opts[0], FS_OPTS("lowerdir", lower, "upperdir", upper, "workdir", work), r->options);
		ret = tree_place(fs_new("overlay", "overlay", opts, r->attr), l->root_fd, r->where);
	}
	for (int fd, i = 0; i < 3; i++)
		if ((fd = (int[]){ low, up, wk }[i]) >= 0)
			close(fd);
	return ret;
}

/* Written while the mount is still detached, then sealed and attached. */
static int creds_mount(struct layout *l, const struct row *r, struct err *e)
{
	int fd = fs_new(r->what, r->what, r->options, r->attr & ~(uint64_t)RDONLY), ret;
	if (fd < 0)
		return err_sys(e, -fd, "cannot mount a %s for the credentials", r->what);
	if ((ret = creds_seal(fd, &l->cfg->creds, &l->ho->creds, e)) == 0 && (ret = mkdir_p_in(l->root_fd, r->where, r->mode)) < 0)
		err_sys(e, -ret, "cannot create %s", r->where);
	if (ret == 0 && (ret = tree_attach(fd, l->root_fd, r->where)) < 0)
		err_sys(e, -ret, "cannot mount %s", r->where);
	close(fd);
	return ret;
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
		return tree_place(row_tree(l, r), l->root_fd, r->where);
	case BIND:
		return bind_row(l, r);
	case RO:
		return tree_place(tree_clone(l->root_fd, r->where + 1, true, RDONLY, -1), l->root_fd, r->where);
	case MERGE:
		return merge_links(l, e);
	case ZONE:
		return zone_link(l, r);
	case COPY:
		return copy_host_file(l, r);
	case USRFS:
		return usrfs_mount(l, r, e);
	case NODE: {
		int dir = resolve_in(l->root_fd, "/run/host/inaccessible");
		if (dir < 0)
			return dir;
		int ret = mknodat(dir, strrchr(r->where, '/') + 1, r->mode, 0) < 0 && errno != EPERM ? -errno : 0;
		close(dir);
		return ret;
	}
	case BINDS:
		return user_mounts_bind(l->root_fd, l->cfg, l->bind_fds, e);
	case TMPFS:
		return user_mounts_tmpfs(l->root_fd, l->cfg, r->attr, e);
	case USERDB:
		return bind_user_write_userdb(l->root_fd, r->where, r->mode, l->ho->users, l->ho->n_users, e);
	case HOMES:
		return bind_user_mount_homes(l->root_fd, l->ho->users, l->ho->n_users, l->home_fds, l->homes_idmapped, e);
	case FRESH_HOMES:
		return bind_user_fresh_homes(l->root_fd, l->ho->users, l->ho->n_users, l->cfg, r, e);
	case CREDS:
		return creds_mount(l, r, e);
	case SUDOERS:
		return etc_write_sudoers(l->root_fd, r->where, r->mode, l->ho->users, l->ho->n_users, e);
	case AUTOLOGIN:
		return etc_write_autologin(l->root_fd, r->where, r->mode, l->cfg->autologin, e);
	case POLKIT:
		return etc_write_polkit(l->root_fd, r->where, r->mode, l->ho->users, l->ho->n_users, e);
	case OVERLAY_DIR:
		return overlay_dir(l, r);
	case ETC:
		return etc_job_start(l, r, e);
	case COVERS:
		return cover_kernel_fs(l, r, e);
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
	case FS: case BIND: case ROOT: case USRFS: case OVERLAY_DIR: case COVERS: return "mount";
	case RO: return "make read-only";
	default: return "create";
	}
}

/* The rows of one phase: phase is 0 or INNER. */
static int apply_rows(struct layout *l, unsigned phase, struct err *e)
{
	int r;
	for (size_t i = 0; i < mount_table_size; i++) {
		const struct row *row = &mount_table[i];
		if (!mount_table_wanted(row, l->cfg, l->ho) || (row->when & INNER) != phase)
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
	return apply_rows(l, 0, e);
}

int layout_build_late(struct layout *l, struct err *e)
{
	return etc_job_wait(l, e);
}

/* The root as the container's first process sees it: a clone of the
 * builder's, on top of it. The builder's mounts reached this mount
 * namespace locked (their flags cannot be changed, nor they be unmounted
 * to reveal what is below), and pivot_root refuses a locked new root. */
int layout_reopen_root(struct layout *l)
{
	char path[64];
	staged_root(l, path, sizeof path);
	int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return -errno;
	int r = tree_place(tree_clone(host, path + 1, true, 0, -1), host, path);
	close(host);
	if (l->root_fd >= 0)
		close(l->root_fd);
	l->root_fd = r < 0 ? -1 : open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r < 0 ? r : l->root_fd < 0 ? -errno : 0;
}

int layout_build_inner(struct layout *l, struct err *e)
{
	return apply_rows(l, INNER, e);
}
