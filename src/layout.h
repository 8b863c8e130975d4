/* layout.h — assembling the container's tree from the mount table. */
#pragma once

#include "config.h"
#include "err.h"

struct layout {
	const struct config *cfg;
	int tree_fd;       /* the OS tree, opened as the invoking user */
	int *bind_fds;     /* each --bind source, opened as the invoking user */
	int idmapped_fd;   /* root mode: idmapped clone of the tree (or its /usr), else -1 */
	int staging_fd;    /* a private tmpfs holding the root mount point */
	int root_fd;       /* the container's root, once mounted */
};

/* Which tree the front should idmap in root mode: "usr", "" (the whole
 * tree) or NULL (none). */
const char *layout_idmapped_path(enum volatile_mode mode);

/* Mount the root and everything below it; the caller pivots into root_fd. */
int layout_build(struct layout *l, struct err *e);
