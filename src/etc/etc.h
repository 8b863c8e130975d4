/* etc.h — the container's /etc (--etc=): empty as nspawn leaves it, a base
 * to log in with, or the host's own without its identity and secrets. */
#pragma once

#include "cli/modes.h"
#include "lib/err.h"

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
		 struct err *e);

/* nsswitch.conf text that has `systemd` on its passwd, group and shadow
 * lines, so users and groups from /run/host/userdb resolve: in (len bytes)
 * with " systemd" appended where it is missing and a "db: files systemd"
 * line added for a database it lacks; in == NULL (no host file) gives a
 * minimal file. *out is NUL-terminated, for free(). */
int etc_nsswitch_patch(const char *in, size_t len, char **out, struct err *e);
