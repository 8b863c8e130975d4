/* mount-util.h — fd-based mount primitives. A mount is made in two steps:
 * a detached tree (a new filesystem or a clone of an existing path), then
 * attached at a path resolved inside the container root, so symlinks in an
 * OS tree can never point a mount outside it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Open path below rootfd as O_PATH, resolving as if rootfd were "/". */
int resolve_in(int rootfd, const char *path);

/* mkdir -p below rootfd; existing directories are fine. Modes are taken
 * as given: the container's first process runs with umask 0. */
int mkdir_p_in(int rootfd, const char *path, mode_t mode);

/* Create an empty regular file (and its parents) below rootfd. */
int touch_in(int rootfd, const char *path, mode_t mode);

/* Write a small file below rootfd (parents must exist). */
int write_in(int rootfd, const char *path, const void *data, size_t len, mode_t mode);

/* The same, making missing parents first (0755). */
int write_p_in(int rootfd, const char *path, const void *data, size_t len, mode_t mode);

/* A filesystem's options as fsconfig takes them, one by one: key, value
 * (NULL for a flag), ..., NULL. No string to parse at start-up: parsing one
 * would take libmount, which costs every start more than the mounts. */
#define FS_OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* options, then more: into out (max entries), for values known only at
 * run time. Returns out; what does not fit is left out. */
const char *const *fs_opts_join(const char **out, size_t max, const char *const *options, const char *const *more);

/* A detached new filesystem with options (NULL: none) and mount attributes. */
int fs_new(const char *type, const char *source, const char *const *options, uint64_t attr);

/* A detached clone of dirfd/path (path "" clones dirfd itself), with
 * attributes set recursively; userns_fd >= 0 makes it an idmapped mount. */
int tree_clone(int dirfd, const char *path, bool recursive, uint64_t attr, int userns_fd);

/* Attach a detached tree at path below rootfd. */
int tree_attach(int treefd, int rootfd, const char *path);

/* tree_attach, then close treefd; a negative treefd (a failed fs_new or
 * tree_clone) is passed on as the error it is. */
int tree_place(int treefd, int rootfd, const char *path);
