/* cgroup.h — the delegated cgroup2 subtree a booted systemd needs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/err.h"

struct cgroup {
	char *base;      /* the delegated cgroup we were started in (a full path) */
	char *dir;       /* ours: base/volspawn-PID, holding supervisor/ and payload/ */
	bool moved;      /* we moved ourselves into dir/supervisor */
	pid_t janitor;   /* cleans up if we die first (cgroup_janitor); 0 if none */
	int janitor_fd;  /* its pipe: it wakes when this closes, our last act or our death */
};

/* Our cgroup2 path ("/" or "/a/b"), from the "0::" line of /proc/self/cgroup. */
int cgroup_self(char *out, size_t size);
/* The same from f, text in /proc/self/cgroup's form. -ENOENT without a
 * "0::" line, -ENAMETOOLONG when the path does not fit. */
int cgroup_self_from(FILE *f, char *out, size_t size);

/* The mount point of the first cgroup2 mount of its hierarchy's root
 * (root field "/") in f, text in /proc/self/mountinfo's form, the kernel's
 * octal escapes undone, as libmount reads it. -ENOENT when there is none,
 * -ENAMETOOLONG, -ELIBACC without libmount. */
int cgroup2_mount_from(FILE *f, char *out, size_t size);

/* The cgroup2 directory this process is in, if the invoking user may
 * create sub-cgroups there and move processes between them (delegated, as
 * systemd's Delegate=yes leaves it). -ENOENT when there is none, with a
 * message saying what to run instead. */
int cgroup_find_delegated(struct cgroup *cg, struct err *e);

/* Make dir/supervisor (and move ourselves there) and dir/payload (and move
 * pid, the container's PID 1, there): systemd inside gets a cgroup of its
 * own that we can still clean up. */
int cgroup_create(struct cgroup *cg, pid_t pid, struct err *e);

/* Root mode: hand the payload cgroup to container root, as a delegation
 * would (rootless, the invoking user's uid is mapped into the container). */
int cgroup_chown_payload(const struct cgroup *cg, uid_t uid, gid_t gid, struct err *e);

/* If we die, even by SIGKILL, the container dies with us but its cgroups
 * would stay: start a process of ours, outside them, that waits for our
 * end and then removes what is left. userns_fd as for cgroup_destroy. */
int cgroup_janitor(struct cgroup *cg, int userns_fd);

/* Move ourselves back and remove what cgroup_create made, bottom up; base
 * stays, for a reboot (the caller frees it).
 * userns_fd: the container's user namespace, to remove as its root the
 * cgroups its systemd made; -1 if not needed. */
void cgroup_destroy(struct cgroup *cg, int userns_fd);
