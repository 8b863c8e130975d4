/* usrfs-host.c — reaching the host's files below the served directory:
 * every path is walked beneath the directory's fd with no symlink followed,
 * so a directory that another process replaces with a link (a twin of the
 * user rewriting a tree) is never a way out; a name is then taken in the
 * directory reached, as itself. */
#include "usrfs/usrfs-server.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The same walk one name at a time, each opened as itself beneath the
 * last (a link fails O_NOFOLLOW | O_DIRECTORY), where openat2 answers
 * ENOSYS: a kernel before 5.6, or valgrind 3.19 (bats/ownership.bats runs
 * the server under it). The kernel's names hold no "/", "." or "..". */
static int walk(int top, char *dir)
{
	int fd = top;
	for (char *p = dir, *next; p; p = next) {
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		int sub = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != top)
			close(fd);
		if (sub < 0)
			return -errno;
		fd = sub;
	}
	return fd;
}

int usrfs_parent(struct usrfs_server *s, const char *path, char *dir, size_t size, const char **name)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*name = path;
		return s->dir_fd;
	}
	if ((size_t)(slash - path) >= size)
		return -ENAMETOOLONG;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*name = slash + 1;
	int fd = (int)syscall(SYS_openat2, s->dir_fd, dir, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS && (fd = walk(s->dir_fd, dir)) < 0)
		errno = -fd;
	if (fd >= 0)
		return fd;
	/* a link, or no directory, where one was: the kernel looks again */
	return errno == ENOENT ? -ENOENT : errno == ELOOP || errno == ENOTDIR || errno == EXDEV ? -ESTALE : -errno;
}

void usrfs_parent_done(struct usrfs_server *s, int fd)
{
	if (fd >= 0 && fd != s->dir_fd)
		close(fd);
}

int usrfs_stat(struct usrfs_server *s, const char *path, struct stat *st)
{
	char dir[PATH_MAX];
	const char *name;
	int parent = usrfs_parent(s, path, dir, sizeof dir, &name);
	if (parent < 0)
		return parent;
	int r = fstatat(parent, name, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	usrfs_parent_done(s, parent);
	return r;
}

bool usrfs_kernel_fs(int parent, const char *name)
{
	struct statfs sf;
	int fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return true;   /* it cannot be told: not shown */
	bool r = fstatfs(fd, &sf) < 0 || sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC;
	close(fd);
	return r;
}

int usrfs_proc_path(struct usrfs_server *s, const char *path, char *buf, size_t size, int *parent)
{
	char dir[PATH_MAX];
	const char *name;
	*parent = usrfs_parent(s, path, dir, sizeof dir, &name);
	if (*parent < 0)
		return *parent;
	int len = snprintf(buf, size, "/proc/self/fd/%d/%s", *parent, name);
	if (len < 0 || (size_t)len >= size) {
		usrfs_parent_done(s, *parent);
		*parent = -1;
		return -ENAMETOOLONG;
	}
	return 0;
}
