/* registry-dir.c — where a user's running twins are registered: a
 * directory of the user's alone, where the kernel empties it at a reboot
 * (a runtime directory, a tmpfs /tmp) or at least never shares it. */
#include "front/registry.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A parent that is not ours could be swapped under us: only a runtime
 * directory of our own, or a sticky one everybody shares (/tmp, /run as
 * root), where our leaf is checked instead. */
static int open_parent(const char *path, bool must_be_ours)
{
	struct stat st;
	if (!path || path[0] != '/')
		return -ENOENT;
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (must_be_ours && (fstat(fd, &st) < 0 || st.st_uid != getuid())) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

static void choose(struct registry_dir *d)
{
	char run_user[64];
	uid_t uid = getuid();
	snprintf(run_user, sizeof run_user, "/run/user/%u", (unsigned)uid);
	const struct { const char *parent; bool ours; const char *leaf; } where[] = {
		{ getenv("XDG_RUNTIME_DIR"), true, "volspawn" },
		{ uid == 0 ? "/run" : NULL, false, "volspawn" },
		{ run_user, true, "volspawn" },
		{ "/tmp", false, NULL },
	};
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		if ((d->parent_fd = open_parent(where[i].parent, where[i].ours)) < 0)
			continue;
		if (where[i].leaf)
			snprintf(d->leaf, sizeof d->leaf, "%s", where[i].leaf);
		else
			snprintf(d->leaf, sizeof d->leaf, "volspawn-%u", (unsigned)uid);
		snprintf(d->path, sizeof d->path, "%s/%s", where[i].parent, d->leaf);
		return;
	}
}

static void close_fds(struct registry_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->parent_fd >= 0)
		close(d->parent_fd);
	d->fd = d->parent_fd = -1;
}

int registry_dir_open(struct registry_dir *d, bool create, struct err *e)
{
	struct stat st;
	*d = (struct registry_dir){ .fd = -1, .parent_fd = -1 };
	choose(d);
	if (d->parent_fd < 0)
		return err_sys(e, -d->parent_fd, "cannot open /tmp to keep track of the twins");
	if (create && mkdirat(d->parent_fd, d->leaf, 0700) < 0 && errno != EEXIST) {
		int r = err_sys(e, errno, "cannot create %s to keep track of the twins", d->path);
		close_fds(d);
		return r;
	}
	d->fd = openat(d->parent_fd, d->leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0 && errno == ENOENT && !create) {
		close_fds(d);
		return -ENOENT;
	}
	if (d->fd < 0 || fstat(d->fd, &st) < 0 || st.st_uid != getuid() || (st.st_mode & 077)) {
		int r = d->fd < 0 && errno != ELOOP && errno != ENOTDIR
				? err_sys(e, errno, "cannot open %s, where volspawn keeps track of the twins", d->path)
				: err_set(e, EPERM, "%s is not a private directory of yours, so volspawn cannot keep track of its twins there; remove it, or set XDG_RUNTIME_DIR to a directory of yours",
					  d->path);
		close_fds(d);   /* and it stays: it is not ours to judge */
		return r;
	}
	return 0;
}

void registry_dir_close(struct registry_dir *d)
{
	if (d->fd >= 0 && d->parent_fd >= 0)
		unlinkat(d->parent_fd, d->leaf, AT_REMOVEDIR);   /* fails while it holds entries */
	close_fds(d);
}
