/* env.h — the container's environment: a clean one, never the host's. */
#pragma once

#include "cli/config.h"
#include "users/run-as.h"

/* NULL-terminated NAME=VALUE list for the payload; free with env_free.
 * creds_dir: where the credentials are, or NULL when there are none; who:
 * the --user the command runs as (HOME, USER, LOGNAME, SHELL are theirs),
 * NULL for root. */
char **env_build(const struct config *c, const char *uuid, const char *creds_dir, const struct run_as *who);
void env_free(char **env);

/* A random RFC 4122 UUID in its 36-character text form. */
void env_uuid(char out[37]);

/* Zero the strings of our own (the host's) environment: in command mode
 * PID 1 is this process, and container root reads /proc/1/environ. */
void env_wipe_host(void);
