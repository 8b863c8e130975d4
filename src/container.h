/* container.h — what the front works out before the clone and the
 * container's first process uses: derived from the configuration, never
 * changed after the clone. */
#pragma once

#include <stddef.h>

#include "bind-user.h"
#include "creds.h"

struct container {
	struct bound_user *users;    /* --bind-user, resolved and numbered */
	size_t n_users;
	struct credentials creds;    /* made from what we asked for (a root password) */
};

/* Credentials from the command line, then ours. */
static inline bool container_has_creds(const struct credentials *cmdline, const struct container *ct)
{
	return cmdline->n + ct->creds.n > 0;
}

void container_free(struct container *ct);
