/* ostree.c — checks of the --directory tree. */
#include "front/tree-check.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir_at(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int check_merged(int dirfd, const char *dir, struct err *e)
{
	static const char *const names[] = { "bin", "sbin", "lib", "lib64" };
	if (!is_dir_at(dirfd, "usr"))
		return err_set(e, ENOENT, "%s has no /usr directory; --volatile=yes uses only the tree's /usr", dir);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (is_dir_at(dirfd, names[i]))
			return err_set(e, EISDIR, "%s has a /%s directory, not a link into /usr: --volatile=yes needs a merged /usr (try --volatile=overlay)",
				       dir, names[i]);
	return 0;
}

int ostree_check(const struct config *c, struct err *e)
{
	int dirfd = open(c->directory, O_PATH | O_DIRECTORY | O_CLOEXEC), r = 0;
	if (dirfd < 0 && errno == ENOENT)
		return err_set(e, ENOENT, "--directory=%s does not exist; give the root of an OS tree", c->directory);
	if (dirfd < 0)
		return err_set(e, errno, "--directory=%s: %s; give a directory you can reach", c->directory, strerror(errno));
	if (faccessat(dirfd, "usr/lib/os-release", F_OK, 0) < 0 && faccessat(dirfd, "etc/os-release", F_OK, 0) < 0)
		r = err_set(e, ENOENT, "%s is not an OS tree: it has neither /usr/lib/os-release nor /etc/os-release", c->directory);
	else if (volatile_traits(c->volatile_mode)->merged_usr)
		r = check_merged(dirfd, c->directory, e);
	close(dirfd);
	return r;
}
