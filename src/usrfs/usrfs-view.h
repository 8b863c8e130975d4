/* usrfs-view.h — what the ownership view shows of a host inode, and what it
 * lends: no more than the host gives an unrelated uid. The server runs as
 * the invoking user and could read what only the user, or one of the
 * user's groups, may; container root (which the kernel lets past any mode
 * bits) must not get that. So content, listings and lookups are given only
 * where the host's "other" bits allow, and the modes reported say so. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

/* The container's ids are 0..65535; others show as nobody. */
#define USRFS_ID_LAST 65535
#define USRFS_NOBODY 65534

/* The attributes as the container sees them: owners it has no id for as
 * nobody, and the owner's and group's read and execute bits no more than
 * other's (write bits stay: the view is read-only anyway). */
void usrfs_view_attr(struct stat *st);

/* Whether the host lets an unrelated uid do what (S_IROTH: read a file
 * or list a directory; S_IXOTH: look a name up in a directory). */
static inline bool usrfs_view_lends(const struct stat *st, mode_t what)
{
	return (st->st_mode & what) == what;
}
