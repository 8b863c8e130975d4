/* tree-check.c — checks of the --directory tree. */
#include "front/tree-check.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool is_dir_at(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int check_merged(int dirfd, const char *dir, bool has_usr, struct err *e)
{
	static const char *const names[] = { "bin", "sbin", "lib", "lib64" };
	if (!has_usr)
		return err_set(e, ENOENT, "%s has no /usr directory; --volatile=yes uses only the tree's /usr", dir);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (is_dir_at(dirfd, names[i]))
			return err_set(e, EISDIR, "%s has a /%s directory, not a link into /usr: --volatile=yes needs a merged /usr (try --volatile=overlay)",
				       dir, names[i]);
	return 0;
}

int tree_open_usr(int tree_fd, const char *dir, struct err *e)
{
	/* O_PATH | O_NOFOLLOW: a symlink is opened as itself, and refused */
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	const char *root = strcmp(dir, "/") ? dir : "";
	int fd = (int)syscall(SYS_openat2, tree_fd, "usr", &how, sizeof how);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0)
		return err_sys(e, errno, "cannot open %s/usr", root);
	if (fstat(fd, &st) < 0) {
		int r = err_sys(e, errno, "cannot open %s/usr", root);
		close(fd);
		return r;
	}
	if (S_ISDIR(st.st_mode))
		return fd;
	close(fd);
	return err_set(e, ENOTDIR, "%s/usr is %s, not a directory: volspawn takes nothing from outside the tree; give a tree whose /usr is a directory",
		       root, S_ISLNK(st.st_mode) ? "a symlink" : "a file");
}

/* An os-release of the tree's, resolved as inside it (Debian's
 * /etc/os-release is a link to ../usr/lib/os-release). */
static bool has_os_release(int dirfd)
{
	static const char *const paths[] = { "usr/lib/os-release", "etc/os-release" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		int fd = resolve_in(dirfd, paths[i]);
		if (fd >= 0) {
			close(fd);
			return true;
		}
	}
	return false;
}

int ostree_check(const struct config *c, struct stat *usr, struct err *e)
{
	int dirfd = open(c->directory, O_PATH | O_DIRECTORY | O_CLOEXEC), r = 0;
	*usr = (struct stat){ 0 };
	if (dirfd < 0 && errno == ENOENT)
		return err_set(e, ENOENT, "--directory=%s does not exist; give the root of an OS tree", c->directory);
	if (dirfd < 0)
		return err_set(e, errno, "--directory=%s: %s; give a directory you can reach", c->directory, strerror(errno));
	if (!has_os_release(dirfd))
		r = err_set(e, ENOENT, "%s is not an OS tree: it has neither /usr/lib/os-release nor /etc/os-release", c->directory);
	int fd = r < 0 ? r : tree_open_usr(dirfd, c->directory, e);
	if (fd >= 0) {
		r = fstat(fd, usr) < 0 ? err_sys(e, errno, "cannot open %s/usr", c->directory) : 0;
		close(fd);
	} else if (fd != -ENOENT)
		r = fd;
	if (r == 0 && volatile_traits(c->volatile_mode)->merged_usr)
		r = check_merged(dirfd, c->directory, fd != -ENOENT, e);
	close(dirfd);
	return r;
}
