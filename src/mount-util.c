/* mount-util.c — fd-based mount primitives (open_tree, fsopen, move_mount). */
#include "mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
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

int mkdir_p_in(int rootfd, const char *path, mode_t mode)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -ENAMETOOLONG;
	for (char *p = buf + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = '\0';
		const char *name;
		int dir = open_parent(rootfd, buf, &name);
		if (dir < 0)
			return dir;
		int r = *name && mkdirat(dir, name, mode) < 0 && errno != EEXIST ? -errno : 0;
		close(dir);
		if (r < 0)
			return r;
		if (!c)
			return 0;
		*p = c;
	}
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
	snprintf(parent, sizeof parent, "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		int r = mkdir_p_in(rootfd, parent, 0755);
		if (r < 0)
			return r;
	}
	int fd = create_in(rootfd, path, mode, 0);
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
	ssize_t n = write(fd, data, len);
	int r = n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
	if (r == 0 && fchmod(fd, mode) < 0)   /* the umask must not change it */
		r = -errno;
	close(fd);
	return r;
}

/* Options for fsconfig() one by one; VFS flags become mount attributes. */
static int configure(int fsfd, const char *options, uint64_t *attr)
{
	static const struct { const char *name; uint64_t attr; } vfs[] = {
		{ "ro", MOUNT_ATTR_RDONLY }, { "nosuid", MOUNT_ATTR_NOSUID },
		{ "nodev", MOUNT_ATTR_NODEV }, { "noexec", MOUNT_ATTR_NOEXEC },
		{ "noatime", MOUNT_ATTR_NOATIME }, { "relatime", MOUNT_ATTR_RELATIME },
		{ "strictatime", MOUNT_ATTR_STRICTATIME }, { "nodiratime", MOUNT_ATTR_NODIRATIME },
		{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW },
	};
	static const char *const ignored[] = { "rw", "suid", "dev", "exec", "defaults" };
	char *optstr = (char *)options, *name, *value;
	size_t nsz, vsz;
	int r;

	while (optstr && (r = mnt_optstr_next_option(&optstr, &name, &nsz, &value, &vsz)) == 0) {
		char key[128], val[1024];
		bool done = false;
		if (nsz >= sizeof key || vsz >= sizeof val)
			return -EINVAL;
		memcpy(key, name, nsz);
		key[nsz] = '\0';
		for (size_t i = 0; i < sizeof vfs / sizeof vfs[0] && !done; i++)
			if (!value && strcmp(key, vfs[i].name) == 0)
				*attr |= vfs[i].attr, done = true;
		for (size_t i = 0; i < sizeof ignored / sizeof ignored[0] && !done; i++)
			done = !value && strcmp(key, ignored[i]) == 0;
		if (done)
			continue;
		if (value) {
			memcpy(val, value, vsz);
			val[vsz] = '\0';
		}
		if (fsconfig(fsfd, value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, key, value ? val : NULL, 0) < 0)
			return -errno;
	}
	return r < 0 ? r : 0;
}

int fs_new(const char *type, const char *source, const char *options, uint64_t attr)
{
	int fsfd = fsopen(type, FSOPEN_CLOEXEC), mfd = -1, r;
	if (fsfd < 0)
		return -errno;
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		r = -errno;
		goto out;
	}
	if ((r = configure(fsfd, options, &attr)) < 0)
		goto out;
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
