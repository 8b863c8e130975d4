/* user-mounts.c — --bind, --bind-ro and --tmpfs in the container. */
#include "inside/user-mounts.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

int user_mounts_bind(int root_fd, const struct config *c, const int *bind_fds, struct err *e)
{
	for (size_t i = 0; i < c->n_binds; i++) {
		const struct bind *b = &c->binds[i];
		struct stat st;
		int r = fstat(bind_fds[i], &st) < 0 ? -errno : 0;
		if (r == 0)
			r = S_ISDIR(st.st_mode) ? mkdir_p_in(root_fd, b->dst, 0755) : touch_in(root_fd, b->dst, 0644);
		if (r == 0)
			r = tree_place(tree_clone(bind_fds[i], "", b->recursive, b->read_only ? MOUNT_ATTR_RDONLY : 0, -1), root_fd, b->dst);
		if (r < 0)
			return err_sys(e, -r, "cannot bind %s to %s", b->src, b->dst);
	}
	return 0;
}

int user_mounts_tmpfs(int root_fd, const struct config *c, uint64_t attr, struct err *e)
{
	for (size_t i = 0; i < c->n_tmpfs; i++) {
		const struct tmpfs *t = &c->tmpfs[i];
		int r = mkdir_p_in(root_fd, t->path, 0755);
		if (r == 0)
			r = tree_place(fs_new("tmpfs", "tmpfs", (const char *const *)t->fs_options, attr | t->attr), root_fd, t->path);
		if (r < 0)
			return err_set(e, -r, "--tmpfs=%s:%s: the kernel refused these tmpfs options (%s); give options of tmpfs(5), such as mode=0755,size=10%%",
				       t->path, t->options, strerror(-r));
	}
	return 0;
}
