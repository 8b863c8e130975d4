/* init.h — PID 1 of a booted container: the tree's own init. */
#pragma once

#include "cli/config.h"
#include "lib/err.h"

/* Whether the assembled root has an init to exec: checked before the
 * container is reported ready, so that its absence is our one line on
 * stderr rather than a line on the console. */
int init_check(struct err *e);

/* exec the tree's init, found as systemd-nspawn finds it, with the
 * command-line arguments as its own. Returns only on failure, having said
 * why, with the exit status to use. */
int init_exec(const struct config *c, char **env);
