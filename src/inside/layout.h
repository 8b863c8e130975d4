/* layout.h — assembling the container's tree from the mount table. */
#pragma once

#include "cli/config.h"
#include "inside/handoff.h"
#include "lib/err.h"

#include <sys/types.h>

struct layout {
	const struct config *cfg;
	const struct handoff *ho;
	int tree_fd;       /* the OS tree, opened as the invoking user */
	int usr_fd;        /* its usr, opened beneath it once (tree_open_usr), or -1 */
	int *bind_fds;     /* each --bind source, opened as the invoking user */
	int *home_fds;     /* each bound user's home, likewise */
	bool homes_idmapped; /* root mode: home_fds are detached idmapped trees instead */
	int idmapped_fd;   /* root mode: idmapped clone of the tree (or its /usr), else -1 */
	int sock;          /* the channel to the front, which serves /usr once it is mounted */
	int root_fd;       /* the container's root, once mounted */
	int *prepared;     /* per table row: a detached tree made early, or -1 */
	const char *uuid;  /* the container's UUID */
	pid_t etc_pid;     /* the /etc copy running beside the rest (inside/etc-job.c), or 0 */
	int etc_fd;        /* its error, if it fails */
};

/* Make, as the invoking user and before the id maps exist, the detached
 * trees that need no container identity (binds of host and tree paths),
 * so the work overlaps newuidmap. Best effort: what fails here is made,
 * and reported, by layout_build. */
void layout_prepare(struct layout *l);

/* Mount the root and everything below it but what belongs to the
 * container's own namespaces (proc, mqueue, a private sysfs, cgroup2). */
int layout_build(struct layout *l, struct err *e);

/* Then, once the container's first process runs, what it needs only when
 * it is about to start the payload: the copy of the host's /etc, made
 * meanwhile on the second core, is waited for. */
int layout_build_late(struct layout *l, struct err *e);

/* In the container's first process, after layout_build's mounts were
 * copied, locked, into its mount namespace: root_fd opened again, on a
 * fresh clone of the root that it may pivot into. */
int layout_reopen_root(struct layout *l);

/* Then the rest of the table; the caller pivots into root_fd. */
int layout_build_inner(struct layout *l, struct err *e);
