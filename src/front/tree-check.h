/* ostree.h — is the directory an OS tree volspawn can use? */
#pragma once

#include "cli/config.h"
#include "lib/err.h"

/* Checked in the front process, before any namespace exists, so a bad
 * directory costs nothing and leaves nothing. */
int ostree_check(const struct config *c, struct err *e);
