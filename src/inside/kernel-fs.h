/* kernel-fs.h — the host's procfs and sysfs mounts that came into the
 * container's tree with a recursive bind (the tree itself with
 * --volatile=state or no, a --bind, a home): each covered, so that none
 * shows the host's processes. */
#pragma once

#include <stdbool.h>

#include "inside/mount-table.h"
#include "lib/err.h"

/* Cover, with row r's filesystem, each procfs and sysfs that mountinfo
 * places below root_path (root_fd: the container's root, staged there)
 * and that is visible there, but for the host's /sys that the table binds
 * at /sys itself (keep_sys). */
int kernel_fs_cover(int root_fd, const char *root_path, bool keep_sys, const struct row *r, struct err *e);
