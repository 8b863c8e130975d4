/* usrfs-nodes.h — the ownership view's inodes: one node per host inode the
 * kernel has looked up, found again by its (dev, ino). A file replaced on
 * the host is a new inode, hence a new node with a page cache of its own:
 * readers of the old file never see new bytes. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define USRFS_ROOT_ID 1   /* FUSE_ROOT_ID */
#define WD_NONE (-1)      /* not watched (yet) */
#define WD_FAILED (-2)    /* could not be watched: don't try again */

struct usrfs_node {
	uint64_t id;               /* the FUSE node id: the node's address, 1 for the root */
	dev_t dev;
	ino_t ino;
	uint64_t nlookup;          /* the kernel's references; freed at 0 */
	struct stat attr;          /* as last seen: the answer for a file that is gone */
	char *path;                /* below the served directory; "." for its root */
	int wd;                    /* inotify watch of a directory; WD_NONE, WD_FAILED */
	struct usrfs_node *next;   /* in its hash bucket */
};

struct usrfs_nodes {
	pthread_mutex_t lock;
	struct usrfs_node root;
	struct usrfs_node **buckets;
	size_t n_buckets, count;
	struct usrfs_node **by_wd;   /* watched directories by watch descriptor */
	size_t n_wd;
};

int usrfs_nodes_init(struct usrfs_nodes *t, const struct stat *root);
void usrfs_nodes_free(struct usrfs_nodes *t);

/* The node for id, or NULL; the caller holds t->lock. */
struct usrfs_node *usrfs_node_of(struct usrfs_nodes *t, uint64_t id);

/* What a node stands for, copied out under the lock. */
struct usrfs_ident {
	struct stat attr;   /* st_dev and st_ino say which inode the node is */
	int wd;
};

/* The path of node id joined with name (name NULL: the node's own path),
 * copied into buf, and (if who) the node's identity. Returns 0,
 * -ENAMETOOLONG. */
int usrfs_node_path(struct usrfs_nodes *t, uint64_t id, const char *name, char *buf, size_t size, struct usrfs_ident *who);

/* One more lookup of the inode st describes, now reached at path: its node
 * id, the node made if new. 0 when out of memory. */
uint64_t usrfs_node_ref(struct usrfs_nodes *t, const struct stat *st, const char *path);

/* The inode's attributes as they are now. */
void usrfs_node_seen(struct usrfs_nodes *t, uint64_t id, const struct stat *st);

/* The node of (dev, ino) if the kernel knows it; caller holds t->lock. */
struct usrfs_node *usrfs_node_find(struct usrfs_nodes *t, dev_t dev, ino_t ino);

/* Note that directory node id is watched as wd (< 0: it can't be). */
int usrfs_node_set_watch(struct usrfs_nodes *t, uint64_t id, int wd);

/* The id of the directory watched as wd, 0 if none; its path into buf. */
uint64_t usrfs_node_by_watch(struct usrfs_nodes *t, int wd, char *buf, size_t size);

/* The kernel dropped n references; returns the node's watch if the node
 * was freed and had one (to be removed), else -1. */
int usrfs_node_forget(struct usrfs_nodes *t, uint64_t id, uint64_t n);
