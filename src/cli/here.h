/* here.h — --here, the short form of the dev loop: run a command in a twin
 * as you, in the directory you are in (README, "The dev loop"). */
#pragma once

#include "cli/config.h"
#include "lib/err.h"

/* What --here means, added to c: you bound (--bind-user, your home a fresh
 * one inside), the working directory bound writable at its own path and
 * made the command's (--chdir), and the command run as you (--user).
 * Options given explicitly win. Refused with --boot, as root, and in /. */
int here_expand(struct config *c, struct err *e);
