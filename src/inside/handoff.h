/* container.h — what the front works out before the clone and the
 * container's first process uses: derived from the configuration, never
 * changed after the clone. */
#pragma once

#include <stddef.h>

#include "users/bind-user.h"
#include "cli/config.h"
#include "creds/creds.h"
#include "lib/err.h"
#include "idmap/idmap.h"

struct container {
	struct bound_user *users;    /* --bind-user, resolved and numbered */
	size_t n_users;
	struct credentials creds;    /* made from what we asked for (a root password) */
	bool serve_usr;              /* rootless: /usr is volspawn-usrfs's FUSE view */
};

/* Credentials from the command line, then ours. */
static inline bool container_has_creds(const struct credentials *cmdline, const struct container *ct)
{
	return cmdline->n + ct->creds.n > 0;
}

/* --bind-user: look the users up and number them. Rootless, newuidmap
 * maps only the caller's own uid besides its ranges: anyone else is refused. */
int container_resolve_users(struct container *ct, const struct config *c, bool root, struct err *e);

/* --root-password=ask, --bind-user-password=ask, and a locked root when a
 * boot has no root password at all. */
int container_ask_passwords(struct container *ct, const struct config *c, struct err *e);

/* The holes the bound users (rootless) and, rootless in boot mode, the
 * invoking user need in map. */
int container_add_holes(const struct container *ct, const struct config *c, struct idmap *map, bool root, struct err *e);

void container_free(struct container *ct);
