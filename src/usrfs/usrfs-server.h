/* usrfs-server.h — what the threads of volspawn-usrfs share: the server of
 * the ownership view, a separate program so that volspawn itself does not
 * load libfuse3 at every start. */
#pragma once

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>

#include "usrfs/usrfs-nodes.h"

struct usrfs_server {
	struct fuse_session *se;
	int dir_fd;                 /* the served directory (the tree's /usr), O_PATH */
	int inotify_fd;             /* -1 until (or unless) host changes are watched;
				     * set once by the watch thread, read atomically */
	char proc_dir[64];          /* "/proc/self/fd/N": dir_fd as a path, for path-only calls */
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
