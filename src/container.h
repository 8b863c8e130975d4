/* container.h — what the front works out before the clone and the
 * container's first process uses: derived from the configuration, never
 * changed after the clone. */
#pragma once

#include <stddef.h>

#include "bind-user.h"

struct container {
	struct bound_user *users;    /* --bind-user, resolved and numbered */
	size_t n_users;
};

void container_free(struct container *ct);
