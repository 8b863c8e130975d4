/* kernel-fs.c — covering the host's procfs and sysfs below the
 * container's root. The builder's mounts are private (builder.c), so
 * what it finds here is all there will ever be; the covers reach the
 * container's namespace locked, and cannot be taken off there. */
#include "inside/kernel-fs.h"
#include "lib/mount-util.h"
#include "lib/mountinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

struct covering {
	int root_fd;
	const char *root_path;
	size_t root_len;
	bool keep_sys;
	const struct row *row;
};

/* What is at rel now: a procfs or sysfs (not one a cover already hides) is covered. */
static int cover_at(const struct covering *c, const char *rel)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct statfs sf;
	int fd = (int)syscall(SYS_openat2, c->root_fd, rel, &how, sizeof how);
	if (fd < 0)
		return 0;   /* under a cover, or no directory: not reachable */
	int r = fstatfs(fd, &sf) < 0 ? -errno : 0;
	if (r == 0 && (sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC)) {
		int tree = fs_new(c->row->what, c->row->what, c->row->options, c->row->attr);
		r = tree < 0 ? tree : move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ? -errno : 0;
		if (tree >= 0)
			close(tree);
	}
	close(fd);
	return r;
}

static int each_mount(const struct mountinfo_entry *m, void *ctx)
{
	const struct covering *c = ctx;
	if (strcmp(m->fstype, "proc") && strcmp(m->fstype, "sysfs"))
		return 0;
	if (strncmp(m->target, c->root_path, c->root_len) || m->target[c->root_len] != '/')
		return 0;
	const char *rel = m->target + c->root_len + 1;
	if (c->keep_sys && !strcmp(rel, "sys"))
		return 0;
	return cover_at(c, rel);
}

int kernel_fs_cover(int root_fd, const char *root_path, bool keep_sys, const struct row *r, struct err *e)
{
	struct covering c = { root_fd, root_path, strlen(root_path), keep_sys, r };
	char *text;
	int ret = mountinfo_read(&text);
	if (ret < 0)
		return err_sys(e, -ret, "cannot read /proc/self/mountinfo");
	ret = mountinfo_parse(text, each_mount, &c);
	free(text);
	return ret < 0 ? err_sys(e, -ret, "cannot cover a procfs or sysfs of the host's below the container's root") : 0;
}
