/* reaper.h — in command mode the container's PID 1 is volspawn itself, a
 * tiny init: a command as PID 1 would ignore SIGTERM and leave zombies. */
#pragma once

#include <stdbool.h>

#include "cli/config.h"
#include "users/run-as.h"

/* Start the command as PID 2, forward signals to it, reap orphans, and exit
 * with its status (128+N for a death by signal N). Never returns. */
__attribute__((noreturn)) void reaper_run(const struct config *c, char **env, bool on_pty, const struct run_as *who);

/* exec the command (or the login shell of who, root's if NULL) with env;
 * returns only on failure, having printed why, with the exit status to use. */
int payload_exec(const struct config *c, char **env, const struct run_as *who);
