/* init.h — PID 1 of a booted container: the tree's own init. */
#pragma once

#include "config.h"

/* exec the tree's init, found as systemd-nspawn finds it, with the
 * command-line arguments as its own. Returns only on failure, having said
 * why, with the exit status to use. */
int init_exec(const struct config *c, char **env);
