/* copy-tree.h — copying a directory tree between two directory fds without
 * ever following a symlink, for a caller that may not read everything. */
#pragma once

#include "lib/err.h"

#include <stdbool.h>
#include <sys/types.h>

/* Whether the entry at rel ("pam.d/login", relative to the source; its
 * type and mode in mode) is copied; ctx is copy_tree's. A directory
 * refused is not descended. */
typedef bool copy_filter(const void *ctx, const char *rel, mode_t mode);

/* Copy what want accepts below src_fd into dst_fd (both directories; src_fd
 * may be O_PATH). Regular files keep their mode less setuid/setgid, links
 * their text; directories are recreated, other types skipped. Only what an
 * unrelated uid may read is copied (files others may read, directories they
 * may list and enter), whoever copies. Entries that exist in dst are kept. Source entries we may not
 * read, or that vanish, are skipped; anything else fails with e set to "cannot copy <label>/<rel>". */
int copy_tree(int src_fd, int dst_fd, copy_filter *want, const void *ctx, const char *label, struct err *e);
