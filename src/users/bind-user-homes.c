/* bind-user-homes.c — each bound user's home, at the same path as on the
 * host, so that paths in the user's files still work; or, with --here, a
 * fresh one there. */
#include "users/bind-user.h"
#include "cli/config.h"
#include "inside/mount-table.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bind_user_mount_homes(int root_fd, const struct bound_user *users, size_t n, const int *home_fds, bool idmapped,
			  struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		int r = mkdir_p_in(root_fd, users[i].home, 0755);
		if (r == 0)
			r = idmapped ? tree_attach(home_fds[i], root_fd, users[i].home)
				     : tree_place(tree_clone(home_fds[i], "", true, 0, -1), root_fd, users[i].home);
		if (r < 0)
			return err_sys(e, -r, "cannot bind the home of %s", users[i].name);
	}
	return 0;
}

/* dir below root_fd owned by the user: made if missing, its owner set only
 * where it is on the fresh home (dev), never on what a bind brought. */
static int own_dir(int root_fd, const char *dir, dev_t dev, const struct bound_user *u)
{
	struct stat st;
	int r = mkdir_p_in(root_fd, dir, 0755), fd = r < 0 ? r : resolve_in(root_fd, dir);
	if (fd < 0)
		return fd;
	r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && st.st_dev == dev && fchownat(fd, "", u->uid, u->gid, AT_EMPTY_PATH) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The directories from the home down to each --bind destination inside
 * it are the user's, as on the host: made by root, they would stop the
 * user from writing next to their checkout. */
static int own_paths_to_binds(int root_fd, const struct bound_user *u, const struct config *c, dev_t dev)
{
	size_t len = strlen(u->home);
	char path[PATH_MAX];
	for (size_t i = 0; i < c->n_binds; i++) {
		const char *dst = c->binds[i].dst;
		if (strncmp(dst, u->home, len) || dst[len] != '/' || strlen(dst) >= sizeof path)
			continue;
		for (const char *s = strchr(dst + len + 1, '/'); s; s = strchr(s + 1, '/')) {
			memcpy(path, dst, (size_t)(s - dst));
			path[s - dst] = '\0';
			int r = own_dir(root_fd, path, dev, u);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int fresh_home(int root_fd, const struct bound_user *u, const struct config *c, const struct row *r)
{
	char uid[16], gid[16];
	const char *opts[32];
	struct stat st;
	snprintf(uid, sizeof uid, "%u", (unsigned)u->uid);
	snprintf(gid, sizeof gid, "%u", (unsigned)u->gid);
	fs_opts_join(opts, sizeof opts / sizeof opts[0], r->options, FS_OPTS("uid", uid, "gid", gid));
	int ret = mkdir_p_in(root_fd, u->home, r->mode);
	if (ret == 0)
		ret = tree_place(fs_new(r->what, r->what, opts, r->attr), root_fd, u->home);
	int fd = ret < 0 ? ret : resolve_in(root_fd, u->home);
	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) < 0 ? -errno : own_paths_to_binds(root_fd, u, c, st.st_dev);
	close(fd);
	return ret;
}

int bind_user_fresh_homes(int root_fd, const struct bound_user *users, size_t n, const struct config *c,
			  const struct row *r, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		int ret = fresh_home(root_fd, &users[i], c, r);
		if (ret < 0)
			return err_sys(e, -ret, "cannot make a fresh home %s for %s", users[i].home, users[i].name);
	}
	return 0;
}
