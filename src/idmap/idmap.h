/* idmap.h — the container's UID/GID maps: choosing them and writing them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

#define IDMAP_SIZE 65536UL   /* ids a container gets, as systemd-nspawn */
#define IDMAP_MAX_EXTENTS 5  /* the kernel allows more; we need few */

struct id_extent {
	unsigned long inside, outside, count;
};

struct idmap {
	struct id_extent uid[IDMAP_MAX_EXTENTS], gid[IDMAP_MAX_EXTENTS];
	size_t n_uid, n_gid;
	int lock_fd;       /* root mode: the range's lock, held while we run; else -1 */
	char *lock_path;   /* root mode: unlinked on release */
};

/* Rootless: the invoking user's ranges from /etc/subuid and /etc/subgid,
 * container 0..65535 onto the first range of at least 65536 ids. */
int idmap_from_subid(struct idmap *m, uid_t uid, const char *user, struct err *e);

/* Root: a free 65536-aligned range, locked so no other container (of ours
 * or of systemd-nspawn, which uses the same lock files) takes it. */
int idmap_pick(struct idmap *m, const char *machine, struct err *e);
void idmap_release(struct idmap *m);

/* Check, before any namespace is made, that newuidmap and newgidmap exist
 * and that their setuid bit will take effect (no no_new_privs). */
int idmap_helpers_usable(struct err *e);

/* Rootless: run newuidmap and newgidmap for pid, concurrently. */
int idmap_apply_helpers(const struct idmap *m, pid_t pid, struct err *e);

/* Root: write /proc/PID/{uid,gid}_map ourselves. */
int idmap_apply_direct(const struct idmap *m, pid_t pid, struct err *e);

/* The user namespace of our child pid mapped one to one onto ours, extent
 * by extent: we (the builder) own it, and may write its maps ourselves. */
int idmap_apply_same(pid_t pid, struct err *e);
