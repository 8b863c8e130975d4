/* ctl-passwd.h — a user of a twin that has no systemd to ask: looked up
 * in its files, by our own reading (NSS would load the twin's modules
 * into a process that still holds the host's descriptors). */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

struct twin_user {
	uid_t uid;
	gid_t gid;
	char home[1024];
	char shell[1024];
};

/* name in passwd-format text (len bytes): 0 and *u filled, or -ENOENT. */
int twin_user_from_passwd(const char *text, size_t len, const char *name, struct twin_user *u);

/* name in a userdb user record (JSON, as volspawn --bind-user writes into
 * /run/host/userdb): 0 and *u filled, or -ENOENT for a record that lacks
 * a uid or gid or is not well-formed. Home and shell are optional. */
int twin_user_from_record(const char *text, size_t len, struct twin_user *u);

/* In the twin's root: root (name NULL or "root"), else /etc/passwd, else
 * /run/host/userdb/NAME.user. Unknown users are refused with a message
 * naming twin. Home defaults to /, the shell to /bin/sh. */
int twin_user_lookup(const char *name, const char *twin, struct twin_user *u, struct err *e);
