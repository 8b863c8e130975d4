/* handoff.h — what the front works out before the clone and hands to the
 * container's builder: derived from the configuration, never changed
 * after the clone. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "creds/creds.h"
#include "users/bind-user.h"

struct handoff {
	struct bound_user *users;    /* --bind-user, resolved and numbered */
	size_t n_users;
	struct credentials creds;    /* made from what we asked for (a root password) */
	bool serve_usr;              /* rootless: /usr is volspawn-usrfs's FUSE view */
};

/* Credentials from the command line, then ours. */
static inline bool handoff_has_creds(const struct credentials *cmdline, const struct handoff *ho)
{
	return cmdline->n + ho->creds.n > 0;
}

static inline void handoff_free(struct handoff *ho)
{
	for (size_t i = 0; i < ho->n_users; i++)
		bound_user_free(&ho->users[i]);
	free(ho->users);
	creds_free(&ho->creds);
	*ho = (struct handoff){ 0 };
}
