/* etc.h — the container's /etc (--etc=): empty as nspawn leaves it, a base
 * to log in with, or the host's own without its identity and secrets. */
#pragma once

#include "cli/modes.h"
#include "lib/err.h"
#include "users/bind-user.h"

struct config;

#include <stddef.h>

/* Fill the container's /etc (dst_etc_fd, a directory on the tmpfs) from the
 * host's (host_etc_fd; O_PATH is enough) as mode says, then write a patched
 * nsswitch.conf, a root-only passwd and group, and a hosts naming hostname
 * (unless the copy brought one). Meant to run as root of a
 * user namespace that is not the invoking user, after the layout has made
 * /etc/localtime and /etc/resolv.conf: entries that exist in dst are kept,
 * never replaced; host files that cannot be read are skipped. Copies keep
 * the mode less setuid/setgid (not owner or times), keep symlinks as links,
 * and skip sockets, fifos and devices. Returns 0 or -errno with e set
 * ("cannot copy /etc/X: ..."). */
int etc_populate(int host_etc_fd, int dst_etc_fd, enum etc_mode mode, const char *hostname,
		 const struct bound_user *users, size_t n_users, struct err *e);

/* nsswitch.conf text that has `systemd` on its passwd, group and shadow
 * lines, so users and groups from /run/host/userdb resolve: in (len bytes)
 * with " systemd" appended where it is missing and a "db: files systemd"
 * line added for a database it lacks; in == NULL (no host file) gives a
 * minimal file. *out is NUL-terminated, for free(). */
int etc_nsswitch_patch(const char *in, size_t len, char **out, struct err *e);

/* The container's /etc (where, below root_fd) filled from host_etc as
 * c->etc_mode says (etc_populate, users given lines in passwd and group),
 * less what a firstboot credential of c sets: firstboot applies those only
 * where the file is missing. */
int etc_fill(int root_fd, const char *where, const char *host_etc, const struct config *c,
	     const struct bound_user *users, size_t n, struct err *e);

/* --bind-user-sudo: a sudoers drop-in at path (mode) letting users[0..n)
 * run anything as root without a password, and an /etc/sudoers including
 * the drop-in directory unless the tree has one. */
int etc_write_sudoers(int root_fd, const char *path, mode_t mode, const struct bound_user *users, size_t n,
		      struct err *e);

/* --autologin: a console-getty drop-in at path (mode) logging user in. */
int etc_write_autologin(int root_fd, const char *path, mode_t mode, const char *user, struct err *e);
