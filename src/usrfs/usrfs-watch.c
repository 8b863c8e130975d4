/* usrfs-watch.c — host changes under the served directory (a package
 * upgrade) reach the container: every directory the kernel knows is
 * watched with inotify, and each event drops what the kernel cached of the
 * name and of the directory's listing. A replaced file is a new inode, hence
 * a new node: programs that still have the old one open go on reading it
 * whole. */
#include "usrfs/usrfs-server.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY | \
		    IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

/* Watching starts this long after the server: an inotify instance that
 * had watches costs its process ~10 ms of kernel time to tear down (an
 * SRCU grace period), which a short command would wait for at its end.
 * Until then entries are cached briefly. */
#define WATCH_DELAY_MS 100

int usrfs_watch(struct usrfs_server *s, uint64_t id)
{
	char path[PATH_MAX], proc[PATH_MAX + 64];
	struct usrfs_ident who;
	int fd = usrfs_inotify(s), parent;
	if (fd < 0 || usrfs_node_path(&s->nodes, id, NULL, path, sizeof path, &who) < 0)
		return WD_NONE;
	if (who.wd != WD_NONE)
		return who.wd;
	if (usrfs_proc_path(s, path, proc, sizeof proc, &parent) < 0)
		return WD_NONE;
	int wd = inotify_add_watch(fd, proc, WATCH_MASK);
	usrfs_parent_done(s, parent);
	usrfs_node_set_watch(&s->nodes, id, wd < 0 ? WD_FAILED : wd);
	return wd < 0 ? WD_FAILED : wd;
}

/* A file changed in place: the pages the kernel has of it. */
static void drop_file_pages(struct usrfs_server *s, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path || usrfs_stat(s, path, &st) < 0)
		return;
	pthread_mutex_lock(&s->nodes.lock);
	struct usrfs_node *n = usrfs_node_find(&s->nodes, st.st_dev, st.st_ino);
	uint64_t id = n ? n->id : 0;
	pthread_mutex_unlock(&s->nodes.lock);
	if (id)
		fuse_lowlevel_notify_inval_inode(s->se, id, 0, 0);
}

static void changed(struct usrfs_server *s, const struct inotify_event *ev)
{
	char dir[PATH_MAX];
	/* an overflowed queue (wd -1) tells nothing more; a directory the
	 * kernel forgot meanwhile needs nothing */
	uint64_t id = usrfs_node_by_watch(&s->nodes, ev->wd, dir, sizeof dir);
	if (!id)
		return;
	fuse_lowlevel_notify_inval_inode(s->se, id, 0, 0);
	if (!ev->len)
		return;
	fuse_lowlevel_notify_inval_entry(s->se, id, ev->name, strlen(ev->name));
	if (ev->mask & (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE))
		drop_file_pages(s, dir, ev->name);
}

void *usrfs_watch_thread(void *server)
{
	struct usrfs_server *s = server;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd p[2] = { { s->stop_fd, POLLIN, 0 }, { -1, POLLIN, 0 } };
	if (poll(p, 1, WATCH_DELAY_MS) != 0)
		return NULL;
	int fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		return NULL;   /* the user's instances are used up: entries stay brief */
	__atomic_store_n(&s->inotify_fd, fd, __ATOMIC_RELEASE);
	p[1].fd = fd;
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno == EINTR)
			continue;
		if (p[0].revents)
			return NULL;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		for (char *ev = buf; ev < buf + n; ev += sizeof(struct inotify_event) + ((struct inotify_event *)ev)->len)
			changed(s, (const struct inotify_event *)ev);
	}
}
