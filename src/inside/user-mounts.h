/* user-mounts.h — the mounts the command line asks for: --bind, --bind-ro
 * and --tmpfs, each below the container's root. */
#pragma once

#include <stdint.h>

#include "cli/config.h"
#include "lib/err.h"

/* Each --bind and --bind-ro of c in order, from bind_fds (the sources,
 * opened as the invoking user), onto its destination below root_fd, made
 * (a directory or an empty file, as the source is) where missing. */
int user_mounts_bind(int root_fd, const struct config *c, const int *bind_fds, struct err *e);

/* Each --tmpfs of c in order, with its options and attr besides. */
int user_mounts_tmpfs(int root_fd, const struct config *c, uint64_t attr, struct err *e);
