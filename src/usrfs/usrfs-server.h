/* usrfs-server.h — what the threads of volspawn-usrfs share: the server of
 * the ownership view, a separate program so that volspawn itself does not
 * load libfuse3 at every start. */
#pragma once

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>

#include "usrfs/usrfs-nodes.h"
#include "usrfs/usrfs-view.h"

struct usrfs_server {
	struct fuse_session *se;
	int dir_fd;                 /* the served directory (the tree's /usr), O_PATH */
	int inotify_fd;             /* -1 until (or unless) host changes are watched;
				     * set once by the watch thread, read atomically */
	int stop_fd;                /* hangs up when the server ends: the watch thread stops */
	struct usrfs_nodes nodes;
};

/* The low-level operations, in usrfs-ops.c. */
extern const struct fuse_lowlevel_ops usrfs_ops;

static inline int usrfs_inotify(struct usrfs_server *s)
{
	return __atomic_load_n(&s->inotify_fd, __ATOMIC_ACQUIRE);
}

/* Watch directory node id for changes made on the host, once watching has
 * begun: its watch (>= 0), or < 0 if it is not watched, and the entries
 * in it must then be cached briefly. */
int usrfs_watch(struct usrfs_server *s, uint64_t id);

/* The thread that turns host changes into cache invalidations. */
void *usrfs_watch_thread(void *server);

/* In usrfs-host.c: the directory holding path's last component (a path
 * below the served directory, "." for itself), opened beneath it with no
 * symlink followed, and *name pointing at that component (dir holds the
 * directory's path meanwhile). Returns the fd (dir_fd itself for a name at
 * the top), -ENOENT, or -ESTALE where a directory was replaced by a link.
 * dir is scratch, left cut. Give the fd back with usrfs_parent_done. */
int usrfs_parent(struct usrfs_server *s, const char *path, char *dir, size_t size, const char **name);
void usrfs_parent_done(struct usrfs_server *s, int fd);

/* lstat of path, reached as usrfs_parent reaches it. */
int usrfs_stat(struct usrfs_server *s, const char *path, struct stat *st);

/* Whether name in parent is the root of a procfs or sysfs (the host's
 * processes and devices): never shown, wherever it is mounted. */
bool usrfs_kernel_fs(int parent, const char *name);

/* "/proc/self/fd/P/NAME" for path-only calls (xattrs, inotify), P the
 * parent as usrfs_parent opened it (*parent; give it back). */
int usrfs_proc_path(struct usrfs_server *s, const char *path, char *buf, size_t size, int *parent);
