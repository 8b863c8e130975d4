/* usrfs-ops.c — the ownership view's answers to the kernel: read-only, by
 * path below the served directory (reached as usrfs-host.c reaches it),
 * with the owners the host has (ids the container has no room for show as
 * nobody). The kernel checks the modes reported (default_permissions), but
 * container root passes any: so the server itself lends only what the
 * host lends an unrelated uid (usrfs-view.h), and what the invoking user
 * cannot read fails here with the host's EACCES. */
#include "usrfs/usrfs-server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Host changes reach the kernel's caches as invalidations from the watch;
 * a directory that could not be watched has its entries cached briefly. */
#define CACHE_LONG 86400.0
#define CACHE_SHORT 1.0

static struct usrfs_server *server(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static double cache_time(bool watched)
{
	return watched ? CACHE_LONG : CACHE_SHORT;
}

/* The kernel names one component at a time; anything else could leave
 * the served directory. */
static bool one_component(const char *name)
{
	return *name && strcmp(name, ".") && strcmp(name, "..") && !strchr(name, '/');
}

static bool same_inode(const struct stat *st, const struct usrfs_ident *who)
{
	return st->st_dev == who->attr.st_dev && st->st_ino == who->attr.st_ino;
}

/* The node's path now and its attributes; -ESTALE when the host replaced
 * the file there (the kernel then looks the name up again). */
static int node_stat(struct usrfs_server *s, fuse_ino_t ino, char *path, struct stat *st, struct usrfs_ident *who)
{
	int r = usrfs_node_path(&s->nodes, ino, NULL, path, PATH_MAX, who);
	if (r < 0)
		return r;
	r = usrfs_stat(s, path, st);
	if (r < 0)
		return r == -ENOENT ? -ESTALE : r;
	return same_inode(st, who) ? 0 : -ESTALE;
}

/* Open the node's file, the same inode it was looked up as (or -ESTALE),
 * if the host lets an unrelated uid read it (or -EACCES); *st gets its
 * attributes. */
static int node_open(struct usrfs_server *s, fuse_ino_t ino, int flags, struct stat *st)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *name;
	struct usrfs_ident who;
	int r = usrfs_node_path(&s->nodes, ino, NULL, path, sizeof path, &who);
	int parent = r < 0 ? r : usrfs_parent(s, path, dir, sizeof dir, &name);
	if (parent < 0)
		return parent == -ENOENT ? -ESTALE : parent;
	int fd = openat(parent, name, flags | O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	r = fd < 0 ? (errno == ENOENT || errno == ELOOP ? -ESTALE : -errno) : 0;
	usrfs_parent_done(s, parent);
	if (r == 0 && (fstat(fd, st) < 0 || !same_inode(st, &who)))
		r = -ESTALE;
	else if (r == 0 && !usrfs_view_lends(st, S_IROTH))
		r = -EACCES;
	if (r < 0 && fd >= 0)
		close(fd);
	return r < 0 ? r : fd;
}

/* name in the directory dir (node parent, its fd open, attributes dst),
 * as an entry the kernel may cache as long as the directory is watched;
 * looked up only if the host lets an unrelated uid search the directory. */
static int lookup_at(struct usrfs_server *s, fuse_ino_t parent, int dir, const struct stat *dst, const char *name,
		     struct fuse_entry_param *e)
{
	char path[PATH_MAX];
	struct usrfs_ident who;
	*e = (struct fuse_entry_param){ 0 };
	int r = usrfs_node_path(&s->nodes, parent, name, path, sizeof path, &who);
	if (r < 0)
		return r;
	if (!same_inode(dst, &who))
		return -ESTALE;
	if (!usrfs_view_lends(dst, S_IXOTH))
		return -EACCES;
	if (who.wd == WD_NONE)
		who.wd = usrfs_watch(s, parent);
	e->entry_timeout = e->attr_timeout = cache_time(who.wd >= 0);
	if (fstatat(dir, name, &e->attr, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	/* another filesystem mounted here: not the host's processes or devices */
	if (e->attr.st_dev != dst->st_dev && usrfs_kernel_fs(dir, name))
		return -EACCES;
	e->ino = usrfs_node_ref(&s->nodes, &e->attr, path);
	if (!e->ino)
		return -ENOMEM;
	usrfs_view_attr(&e->attr);
	return 0;
}

/* The same, opening the directory first. */
static int lookup_entry(struct usrfs_server *s, fuse_ino_t parent, const char *name, struct fuse_entry_param *e)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *last;
	struct stat dst;
	int r = usrfs_node_path(&s->nodes, parent, name, path, sizeof path, NULL);
	int fd = r < 0 ? r : usrfs_parent(s, path, dir, sizeof dir, &last);
	if (fd < 0)
		return fd == -ENOENT ? -ESTALE : fd;
	r = fstat(fd, &dst) < 0 ? -errno : lookup_at(s, parent, fd, &dst, last, e);
	usrfs_parent_done(s, fd);
	return r;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e = { 0 };
	int r = one_component(name) ? lookup_entry(server(req), parent, name, &e) : -ENOENT;
	if (r == -ENOENT) {   /* a negative entry, cached as long as a positive one */
		e.ino = 0;
		fuse_reply_entry(req, &e);
	} else if (r < 0)
		fuse_reply_err(req, -r);
	else
		fuse_reply_entry(req, &e);
}

static void forget_one(struct usrfs_server *s, fuse_ino_t ino, uint64_t n)
{
	int wd = usrfs_node_forget(&s->nodes, ino, n);
	if (wd >= 0)
		inotify_rm_watch(usrfs_inotify(s), wd);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t n)
{
	forget_one(server(req), ino, n);
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *list)
{
	for (size_t i = 0; i < count; i++)
		forget_one(server(req), list[i].ino, list[i].nlookup);
	fuse_reply_none(req);
}

/* A file the host replaced or removed may still be open in the container
 * (fstat comes without the open file): it gets the attributes it last had. */
static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct usrfs_server *s = server(req);
	char path[PATH_MAX];
	struct usrfs_ident who;
	struct stat st;
	int r = fi ? (fstat((int)fi->fh, &st) < 0 ? -errno : 0) : node_stat(s, ino, path, &st, &who);
	if (r == -ESTALE)
		st = who.attr;
	else if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	} else
		usrfs_node_seen(&s->nodes, ino, &st);
	usrfs_view_attr(&st);
	fuse_reply_attr(req, &st, cache_time(usrfs_inotify(s) >= 0));
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct usrfs_server *s = server(req);
	char path[PATH_MAX], dir[PATH_MAX], target[PATH_MAX];
	const char *name;
	struct usrfs_ident who;
	struct stat st;
	int r = usrfs_node_path(&s->nodes, ino, NULL, path, sizeof path, &who);
	int parent = r < 0 ? r : usrfs_parent(s, path, dir, sizeof dir, &name);
	if (parent >= 0) {
		r = fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !same_inode(&st, &who) ? -ESTALE : 0;
		ssize_t n = r < 0 ? r : readlinkat(parent, name, target, sizeof target - 1);
		r = n < 0 ? (r < 0 ? r : -errno) : (int)n;
		usrfs_parent_done(s, parent);
	} else
		r = parent == -ENOENT ? -ESTALE : parent;
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	target[r] = '\0';
	fuse_reply_readlink(req, target);
}

/* One host fd per open file: a file the host replaces while it is open
 * goes on being read whole, and its pages stay cached (keep_cache) as they
 * belong to that inode only. */
static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EROFS);
		return;
	}
	struct stat st;
	int fd = node_open(server(req), ino, 0, &st);
	if (fd < 0) {
		fuse_reply_err(req, -fd);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	fi->noflush = 1;
	if (fuse_reply_open(req, fi) < 0)
		close(fd);   /* the open was interrupted: no release will come */
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	struct fuse_bufvec buf = FUSE_BUFVEC_INIT(size);
	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = (int)fi->fh;
	buf.buf[0].pos = off;
	fuse_reply_data(req, &buf, FUSE_BUF_SPLICE_MOVE);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	close((int)fi->fh);
	fuse_reply_err(req, 0);
}

/* No OPENDIR: the kernel then opens directories without asking and keeps
 * their listings cached (until a host change drops them), and each READDIR
 * reads the directory at the kernel's offset by path. */
static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, ENOSYS);
}

/* The directory being listed: its node, fd and attributes. */
struct listing {
	fuse_ino_t ino;
	int fd;
	struct stat st;
};

/* One entry into out; 0 when it does not fit (nothing is taken then). */
static size_t add_entry(fuse_req_t req, const struct listing *dir, const struct dirent64 *de, char *out, size_t room, bool plus)
{
	if (!plus) {
		struct stat st = { .st_ino = de->d_ino, .st_mode = DTTOIF(de->d_type) };
		size_t need = fuse_add_direntry(req, out, room, de->d_name, &st, de->d_off);
		return need <= room ? need : 0;
	}
	if (fuse_add_direntry_plus(req, NULL, 0, de->d_name, NULL, 0) > room)
		return 0;
	struct fuse_entry_param e = { .attr = { .st_ino = de->d_ino, .st_mode = DTTOIF(de->d_type) } };
	/* . and .. carry no lookup, nor do entries of a directory the host
	 * lets others list but not search; an entry gone meanwhile is left out */
	if (one_component(de->d_name) && usrfs_view_lends(&dir->st, S_IXOTH) &&
	    lookup_at(server(req), dir->ino, dir->fd, &dir->st, de->d_name, &e) < 0)
		return SIZE_MAX;
	return fuse_add_direntry_plus(req, out, room, de->d_name, &e, de->d_off);
}

/* Entries from the host directory's offset off into out, as many as fit. */
static int fill(fuse_req_t req, const struct listing *dir, off_t off, char *out, size_t size, bool plus, size_t *used)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct dirent64))));
	if (off && lseek(dir->fd, off, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ssize_t n = getdents64(dir->fd, buf, sizeof buf);
		if (n <= 0)
			return n < 0 ? -errno : 0;
		for (ssize_t at = 0; at < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + at);
			size_t len = add_entry(req, dir, de, out + *used, size - *used, plus);
			if (len == 0)
				return 0;
			if (len != SIZE_MAX)
				*used += len;
			at += de->d_reclen;
		}
	}
}

static void list_dir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, bool plus)
{
	struct usrfs_server *s = server(req);
	char *out = malloc(size);
	size_t used = 0;
	struct listing dir = { .ino = ino };
	usrfs_watch(s, ino);   /* the kernel caches the listing from now on */
	dir.fd = out ? node_open(s, ino, O_DIRECTORY, &dir.st) : -ENOMEM;
	int r = dir.fd < 0 ? dir.fd : fill(req, &dir, off, out, size, plus, &used);
	if (dir.fd >= 0)
		close(dir.fd);
	if (r < 0 && !used)
		fuse_reply_err(req, -r);
	else
		fuse_reply_buf(req, out, used);
	free(out);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	list_dir(req, ino, size, off, false);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	list_dir(req, ino, size, off, true);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	(void)ino;
	struct statvfs st;
	if (fstatvfs(server(req)->dir_fd, &st) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &st);
}

/* Extended attributes as the host has them: security.capability is asked
 * for at every exec and carries file capabilities. */
static void reply_xattr(fuse_req_t req, size_t size, ssize_t n, const char *value)
{
	if (n < 0)
		fuse_reply_err(req, errno);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)n);
	else
		fuse_reply_buf(req, value, (size_t)n);
}

/* getxattr of name, or listxattr (name NULL), by path; user.* values
 * are a file's content, lent as its content is */
static void xattr_op(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct usrfs_server *s = server(req);
	char path[PATH_MAX], proc[PATH_MAX + 64];
	struct stat st;
	int parent = -1;
	char *buf = size ? malloc(size) : NULL;
	int r = size && !buf ? -ENOMEM : usrfs_node_path(&s->nodes, ino, NULL, path, sizeof path, NULL);
	if (r == 0)
		r = usrfs_proc_path(s, path, proc, sizeof proc, &parent);
	if (r == 0 && name && !strncmp(name, "user.", 5))
		r = lstat(proc, &st) < 0 ? -errno : usrfs_view_lends(&st, S_IROTH) ? 0 : -EACCES;
	if (r < 0)
		fuse_reply_err(req, r == -ENOENT ? ESTALE : -r);
	else
		reply_xattr(req, size, name ? lgetxattr(proc, name, buf, size) : llistxattr(proc, buf, size), buf);
	usrfs_parent_done(s, parent);
	free(buf);
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	xattr_op(req, ino, name, size);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	xattr_op(req, ino, NULL, size);
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* symlink targets and directory listings stay in the kernel's cache
	 * (until a host change invalidates them); replies are spliced from
	 * the host file */
	conn->want |= conn->capable & (FUSE_CAP_CACHE_SYMLINKS | FUSE_CAP_SPLICE_WRITE);
	conn->want &= ~(unsigned)FUSE_CAP_EXPORT_SUPPORT;
}

const struct fuse_lowlevel_ops usrfs_ops = {
	.init = op_init,
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.readdirplus = op_readdirplus,
	.statfs = op_statfs,
	.getxattr = op_getxattr,
	.listxattr = op_listxattr,
};
