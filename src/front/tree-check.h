/* tree-check.h — is the directory an OS tree volspawn can use, and its
 * /usr, opened so that nothing outside the tree can stand in for it. */
#pragma once

#include <sys/stat.h>

#include "cli/config.h"
#include "lib/err.h"

/* Checked in the front process, before any namespace exists, so a bad
 * directory costs nothing and leaves nothing. *usr gets the tree's /usr as
 * it is now (st_mode 0: there is none), for choosing how to show it; the
 * builder opens it again for good and checks what it holds. */
int ostree_check(const struct config *c, struct stat *usr, struct err *e);

/* The tree's usr, opened O_PATH once, beneath tree_fd and without
 * following a symlink: what was checked is what is mounted and served,
 * whatever another process does to the tree meanwhile. -ENOENT (e not
 * set) when the tree has none; a usr that is not a directory (a symlink
 * out of the tree) is refused in e. */
int tree_open_usr(int tree_fd, const char *dir, struct err *e);
