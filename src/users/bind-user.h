/* bind-user.h — --bind-user=USER: a host user, its home and its id carried
 * into the container, described by records nss-systemd reads. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

/* nspawn's MAP_UID_MIN…MAP_UID_MAX: container uid = gid of bound users. */
#define BIND_USER_UID_MIN 60514UL
#define BIND_USER_UID_MAX 60577UL
#define BIND_USER_MAX (BIND_USER_UID_MAX - BIND_USER_UID_MIN + 1)

/* Where the records go inside the container: nss-systemd's drop-in directory. */
#define BIND_USER_USERDB_DIR "/run/host/userdb"

/* nspawn's value, so that tools treat our records as they treat its. */
#define BIND_USER_SERVICE "io.systemd.NSpawn"

struct bound_user {
	char *name;
	uid_t host_uid;
	gid_t host_gid;
	char *real_name;        /* the GECOS field's first part; NULL if empty */
	char *home;             /* the host path, an existing directory; bound at the same path */
	char *shell;            /* NULL if the passwd entry has none */
	char *hashed_password;  /* NULL if none, unreadable (rootless) or locked */
	uid_t uid;              /* in the container, = gid; set by bind_user_allocate */
	gid_t gid;
};

/* Resolve the host user `name` (getpwnam, getgrgid; getspnam only as root,
 * since rootless /etc/shadow is unreadable). Refused, each with one line:
 * an invalid name, an unknown user, root, nobody, a primary group not
 * named as the user, a home that is not an existing directory, and fields
 * that are not UTF-8 (JSON records cannot hold them; a non-UTF-8 real name
 * is dropped instead). On success u owns copies; free with bound_user_free. */
int bind_user_lookup(const char *name, struct bound_user *u, struct err *e);

/* Give users[0..n) container uid = gid 60514, 60515, … in order. A later
 * user with the name of an earlier one is dropped (freed, the array closed
 * up), as nspawn does; two names for one host uid are refused, as are more
 * than BIND_USER_MAX users. Returns the number of users kept. Success or
 * not, bound_user_free on all n entries is right: moved-from ones are zeroed. */
int bind_user_allocate(struct bound_user *users, size_t n, struct err *e);

/* Write u's records into userdb_dirfd (BIND_USER_USERDB_DIR in the
 * container): NAME.user (0644), NAME.user-privileged (0600, only with a
 * password hash), NAME.group (0644), and the relative links UID.user,
 * UID.user-privileged and GID.group naming them. Each file is one line of
 * JSON and a newline. Existing files are not replaced (EEXIST); on failure
 * the files written so far stay, for the throwaway /run to take away. */
int bind_user_write_records(int userdb_dirfd, const struct bound_user *u, struct err *e);

/* The users names[0..n) (--bind-user), looked up and numbered, in a new
 * *users of *n_users entries (free each with bound_user_free, then the
 * array, whether this succeeds or not). Rootless, newuidmap maps only the
 * caller's own uid besides its ranges: anyone else is refused. */
int bind_user_resolve(char *const *names, size_t n, bool root, struct bound_user **users, size_t *n_users, struct err *e);

/* Make dir (BIND_USER_USERDB_DIR) below root_fd with mode and write the
 * records of users[0..n) into it. */
int bind_user_write_userdb(int root_fd, const char *dir, mode_t mode, const struct bound_user *users, size_t n,
			   struct err *e);

/* Bind each user's home (home_fds[i], opened as the invoking user; as
 * root, idmapped detached trees instead) at its host path below root_fd. */
int bind_user_mount_homes(int root_fd, const struct bound_user *users, size_t n, const int *home_fds, bool idmapped,
			  struct err *e);

struct config;
struct row;

/* --here: instead of their own, each user gets a fresh home at its host
 * path, the filesystem r says (its uid and gid the user's), and owns the
 * directories from it down to each --bind of c inside it. */
int bind_user_fresh_homes(int root_fd, const struct bound_user *users, size_t n, const struct config *c,
			  const struct row *r, struct err *e);

/* Free u's strings; u may then be looked up again. */
void bound_user_free(struct bound_user *u);
