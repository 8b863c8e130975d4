/* ownership.h — --private-users-ownership: how the tree's /usr shows its
 * owners inside. As root an idmapped mount does it; rootless the kernel
 * refuses that, and volspawn-usrfs serves /usr over FUSE instead. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cli/modes.h"
#include "lib/err.h"

struct config;

/* Rootless: whether volspawn-usrfs serves /usr, and where the program is
 * (program holds PATH_MAX bytes). Refused map says why in e; auto falls
 * back to off with a notice. */
int ownership_serve_usr(const struct config *c, bool *serve, char *program, struct err *e);

/* The served directory: the tree's /usr. */
void ownership_usr_dir(const struct config *c, char *buf, size_t size);

/* Start volspawn-usrfs on the FUSE connection fuse_fd, as the invoking
 * user, dying with us. */
int ownership_start_server(const char *program, const char *dir, int fuse_fd, pid_t *pid, struct err *e);
