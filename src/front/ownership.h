/* ownership.h — --private-users-ownership: how the tree's /usr shows its
 * owners inside. As root an idmapped mount does it; rootless the kernel
 * refuses that, and volspawn-usrfs serves /usr over FUSE instead. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cli/modes.h"
#include "lib/err.h"

struct config;

/* Rootless: whether volspawn-usrfs serves /usr (the tree's, as usr
 * describes it: st_mode 0 if there is none), and where the program is
 * (program holds PATH_MAX bytes). Refused map says why in e; auto falls
 * back to off with a notice. */
int ownership_serve_usr(const struct config *c, const struct stat *usr, bool *serve, char *program, struct err *e);

/* Start volspawn-usrfs on the FUSE connection fuse_fd, serving the
 * directory usr_fd (the tree's /usr as the builder opened it), as the
 * invoking user, dying with us. */
int ownership_start_server(const char *program, int fuse_fd, int usr_fd, pid_t *pid, struct err *e);

/* Whether the server *pid has died (reaped: *pid becomes 0), with e
 * saying so; one that ended on its own saw the mount go, and is no failure. */
bool ownership_server_failed(pid_t *pid, struct err *e);

/* Wait a little for the server to end after the container, then kill it. */
void ownership_stop_server(pid_t *pid);
