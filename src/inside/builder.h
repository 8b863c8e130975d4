/* builder.h — the builder: it mounts the container's tree, then clones the
 * container's first process (first-process.c) below it. */
#pragma once

#include "cli/config.h"
#include "inside/handoff.h"
#include "lib/err.h"

/* The front's child, in new user and mount namespaces; sock is its end of
 * the channel. Never returns. */
__attribute__((noreturn)) void builder_main(const struct config *c, const struct handoff *ho, int sock);

/* Shared with the first process: */

/* Tell the front why the setup failed, and end. */
__attribute__((noreturn)) void builder_fail(int sock, const struct err *e);

/* Become uid and gid 0 of our user namespace, with no supplementary groups. */
int builder_become_root(struct err *e);

/* Die with the front: armed again after each uid change, which clears it. */
void builder_die_with_front(int sock);
