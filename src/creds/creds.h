/* creds.h — credentials for the container, as systemd-nspawn's
 * --set-credential and --load-credential give them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

/* Where the container finds its credentials (systemd's $CREDENTIALS_DIRECTORY). */
#define CREDS_DIR "/run/host/credentials"

/* One credential. data may hold NUL bytes, so size is its length; a NUL
 * follows the last byte all the same, so a text credential is a C string. */
struct credential {
	char *id;
	char *data;
	size_t size;
};

/* The credentials of one container, each ID at most once, in the order given. */
struct credentials {
	struct credential *v;
	size_t n;
};

/* --set-credential=ID:VALUE. A backslash in ID makes the next character
 * literal; VALUE is C-unescaped (see creds_unescape). Adds it to c. */
int creds_set(struct credentials *c, const char *arg, struct err *e);

/* --load-credential=ID:PATH. A PATH with a '/' is read whole, a file or an
 * AF_UNIX stream socket (connected to and read until EOF); a bare name is
 * the credential of that name passed to volspawn, in $CREDENTIALS_DIRECTORY.
 * Adds it to c. */
int creds_load(struct credentials *c, const char *arg, struct err *e);

/* Move *cred into c and clear *cred; on failure (a duplicate ID) *cred is
 * left to the caller. */
int creds_add(struct credentials *c, struct credential *cred, struct err *e);

/* The credential named id, or NULL. */
const struct credential *creds_find(const struct credentials *c, const char *id);

/* Wipe and free: credentials are secrets. Both leave their argument empty. */
void credential_free(struct credential *cred);
void creds_free(struct credentials *c);

/* A credential name as systemd accepts it: a file name (not empty, "." or
 * "..", no '/', at most 255 bytes) made of bytes 0x20-0x7e other than ':'. */
bool creds_id_valid(const char *id);

/* Undo C escapes in s: \a \b \f \n \r \t \v \\ \" \' \s (a space), \xHH,
 * \NNN (octal, at most \377), \uXXXX and \UXXXXXXXX (stored as UTF-8).
 * Returns 0 with a new *data of *size bytes (NUL-terminated; NUL bytes may
 * occur inside), or -ENOMEM, or with *bad set to the offending backslash:
 * -EINVAL for an unknown or short escape or a trailing backslash, -ERANGE
 * for an octal escape above \377 or a code point UTF-8 cannot hold. */
int creds_unescape(const char *s, char **data, size_t *size, const char **bad);

/* Read path whole into a new *data of *size bytes (NUL-terminated): a file,
 * or an AF_UNIX stream socket, connected to and read until EOF. Negative
 * errno on failure. */
int creds_read(const char *path, char **data, size_t *size);

/* Write each credential into the directory dirfd as a file named by its ID,
 * created with O_EXCL and mode 0600, then made 0400 once full. On failure
 * the files written so far stay; the caller throws the directory away. */
int creds_write(int dirfd, const struct credentials *c, struct err *e);

/* Fill the detached mount mount_fd (a memory filesystem that never swaps,
 * as nspawn's ramfs) with the credentials given on the command line and
 * ours, then seal it: the directory 0500, the mount read-only. */
int creds_seal(int mount_fd, const struct credentials *given, const struct credentials *ours, struct err *e);

/* Whether s is a crypt(5) hash ("$y$…", "$6$…", "$2b$…" and the other
 * methods crypt(5) lists) or a locked or disabled password ("!…", "*…"). */
bool creds_looks_like_crypt_hash(const char *s);

/* The warning for a passwd.hashed-password.root that is not a crypt(5) hash
 * (a plain password given by mistake, which would never let root log in),
 * or NULL when there is none or it is fine. */
const char *creds_password_warning(const struct credentials *c);
