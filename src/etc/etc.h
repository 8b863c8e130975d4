/* etc.h — the container's /etc (--etc=): empty as nspawn leaves it, a base
 * to log in with, or the host's own without its identity and secrets. */
#pragma once

#include "cli/modes.h"
#include "lib/err.h"
#include "users/bind-user.h"

struct credentials;

#include <stddef.h>

/* What etc_populate makes of the host's /etc. */
struct etc_spec {
	enum etc_mode mode;
	const char *hostname;                /* named in hosts */
	const struct bound_user *users;      /* given lines in passwd and group */
	size_t n_users;
	/* paths below /etc that the layout makes itself (rows of the mount
	 * table, the user's --bind and --tmpfs), left out of the copy so that
	 * the two may be made at once and the layout's win: "" is the whole
	 * of /etc (nothing is written there then), and a path ending in '/' leaves out only a directory by
	 * that name (a host's link there is copied). NULL-terminated, or NULL. */
	const char *const *leave_out;
};

/* Fill the container's /etc (dst_etc_fd, a directory on the tmpfs) from the
 * host's (host_etc_fd; O_PATH is enough) as s->mode says, then write a
 * patched nsswitch.conf, a passwd and group of root and s->users, and a
 * hosts naming s->hostname (unless the copy brought one). Meant to run as
 * root of a user namespace that is not the invoking user: entries that
 * exist in dst are kept, never replaced; host files that cannot be read are
 * skipped. Copies keep the mode less setuid/setgid (not owner or times),
 * keep symlinks as links, and skip sockets, fifos and devices. Returns 0
 * or -errno with e set ("cannot copy /etc/X: ..."). */
int etc_populate(int host_etc_fd, int dst_etc_fd, const struct etc_spec *s, struct err *e);

/* nsswitch.conf text that has `systemd` on its passwd, group and shadow
 * lines, so users and groups from /run/host/userdb resolve: in (len bytes)
 * with " systemd" appended where it is missing and a "db: files systemd"
 * line added for a database it lacks; in == NULL (no host file) gives a
 * minimal file. *out is NUL-terminated, for free(). */
int etc_nsswitch_patch(const char *in, size_t len, char **out, struct err *e);

/* The container's /etc (where, below root_fd) filled from host_etc as s
 * says (etc_populate), less what a firstboot credential of creds sets:
 * firstboot applies those only where the file is missing. */
int etc_fill(int root_fd, const char *where, const char *host_etc, const struct credentials *creds,
	     const struct etc_spec *s, struct err *e);

/* --bind-user-sudo: a sudoers drop-in at path (mode) letting users[0..n)
 * run anything as root without a password, and an /etc/sudoers including
 * the drop-in directory unless the tree has one. */
int etc_write_sudoers(int root_fd, const char *path, mode_t mode, const struct bound_user *users, size_t n,
		      struct err *e);

/* --autologin: a console-getty drop-in at path (mode) logging user in. */
int etc_write_autologin(int root_fd, const char *path, mode_t mode, const char *user, struct err *e);
