/* mount-util.c — fd-based mount primitives (open_tree, fsopen, move_mount). */
#include "lib/mount-util.h"
#include "lib/io-util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int resolve_in(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* Split "a/b/c" into the resolved parent "a/b" and the name "c". */
static int open_parent(int rootfd, const char *path, const char **name)
{
	char parent[4096];
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*name = path;
		return resolve_in(rootfd, "/");
	}
	if ((size_t)(slash - path) >= sizeof parent)
		return -ENAMETOOLONG;
	memcpy(parent, path, slash - path);
	parent[slash - path] = '\0';
	*name = slash + 1;
	return resolve_in(rootfd, parent);
}

static int mkdir_one(int rootfd, const char *path, mode_t mode)
{
	const char *name;
	int dir = open_parent(rootfd, path, &name);
	if (dir < 0)
		return dir;
	int r = *name && mkdirat(dir, name, mode) < 0 && errno != EEXIST ? -errno : 0;
	close(dir);
	return r;
}

/* Cut path at its last '/' into parent; false for a top-level path. */
static bool parent_of(const char *path, char *parent, size_t size)
{
	snprintf(parent, size, "%s", path);
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return false;
	*slash = '\0';
	return true;
}

/* Usually the parent exists: one lookup; walk up only when it does not. */
int mkdir_p_in(int rootfd, const char *path, mode_t mode)
{
	char parent[4096];
	int r = mkdir_one(rootfd, path, mode);
	if (r != -ENOENT || !parent_of(path, parent, sizeof parent))
		return r;
	r = mkdir_p_in(rootfd, parent, 0755);
	return r < 0 ? r : mkdir_one(rootfd, path, mode);
}

static int create_in(int rootfd, const char *path, mode_t mode, int extra)
{
	const char *name;
	int dir = open_parent(rootfd, path, &name);
	if (dir < 0)
		return dir;
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | extra, mode);
	int r = fd < 0 ? -errno : fd;
	close(dir);
	return r;
}

int touch_in(int rootfd, const char *path, mode_t mode)
{
	char parent[4096];
	int fd = create_in(rootfd, path, mode, 0);
	if (fd == -ENOENT && parent_of(path, parent, sizeof parent)) {
		int r = mkdir_p_in(rootfd, parent, 0755);
		fd = r < 0 ? r : create_in(rootfd, path, mode, 0);
	}
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int write_in(int rootfd, const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = create_in(rootfd, path, mode, O_TRUNC);
	if (fd < 0)
		return fd;
	int r = write_full(fd, data, len);
	close(fd);
	return r;
}

int write_p_in(int rootfd, const char *path, const void *data, size_t len, mode_t mode)
{
	char parent[4096];
	int r = parent_of(path, parent, sizeof parent) ? mkdir_p_in(rootfd, parent, 0755) : 0;
	return r < 0 ? r : write_in(rootfd, path, data, len, mode);
}

const char *const *fs_opts_join(const char **out, size_t max, const char *const *options, const char *const *more)
{
	size_t n = 0;
	for (const char *const *o = options; o && *o && n + 3 <= max; o += 2, n += 2)
		out[n] = o[0], out[n + 1] = o[1];
	for (const char *const *o = more; o && *o && n + 3 <= max; o += 2, n += 2)
		out[n] = o[0], out[n + 1] = o[1];
	out[n] = NULL;
	return out;
}

int fs_new(const char *type, const char *source, const char *const *options, uint64_t attr)
{
	int fsfd = fsopen(type, FSOPEN_CLOEXEC), mfd = -1, r;
	if (fsfd < 0)
		return -errno;
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		r = -errno;
		goto out;
	}
	for (size_t i = 0; options && options[i]; i += 2) {
		const char *value = options[i + 1];
		if (fsconfig(fsfd, value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, options[i], value, 0) < 0) {
			r = -errno;
			goto out;
		}
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		r = -errno;
		goto out;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned)attr);
	r = mfd < 0 ? -errno : mfd;
out:
	close(fsfd);
	return r;
}

int tree_clone(int dirfd, const char *path, bool recursive, uint64_t attr, int userns_fd)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0) | (*path ? 0 : AT_EMPTY_PATH);
	int fd = open_tree(dirfd, path, flags);
	if (fd < 0)
		return -errno;
	if (userns_fd >= 0)
		attr |= MOUNT_ATTR_IDMAP;
	if (attr) {
		struct mount_attr ma = { .attr_set = attr, .userns_fd = (uint64_t)(userns_fd >= 0 ? userns_fd : 0) };
		if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &ma, sizeof ma) < 0) {
			int r = -errno;
			close(fd);
			return r;
		}
	}
	return fd;
}

int tree_attach(int treefd, int rootfd, const char *path)
{
	int target = resolve_in(rootfd, path);
	if (target < 0)
		return target;
	int r = move_mount(treefd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ? -errno : 0;
	close(target);
	return r;
}

int tree_place(int treefd, int rootfd, const char *path)
{
	if (treefd < 0)
		return treefd;
	int r = tree_attach(treefd, rootfd, path);
	close(treefd);
	return r;
}
