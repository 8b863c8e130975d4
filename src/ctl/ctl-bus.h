/* ctl-bus.h — a worker inside a booted twin talks to the twin's own
 * systemd over the twin's system bus, as systemd-run --machine does
 * through machined: a transient service for a shell, a getty for a login. */
#pragma once

#include <systemd/sd-bus.h>

#include "lib/err.h"

/* What to run, and as whom. */
struct bus_command {
	const char *twin;        /* its name, for messages */
	const char *user;        /* User=; "root" by default */
	char **argv;             /* NULL: the user's login shell */
	char **env;              /* NAME=VALUE, NULL-terminated; TERM among them */
	int fd[3];               /* stdin, stdout, stderr: ours, or a pty's slave */
	const char *tty;         /* the pty's slave path, NULL with pipes */
};

/* Connect to /run/dbus/system_bus_socket (we are inside the twin), waiting
 * up to 30 s for a booting twin's bus and systemd to answer. */
int bus_connect(sd_bus **bus, const char *twin, struct err *e);

/* Run c in a transient service (PAMName=login, so a login session with
 * logind, XDG_RUNTIME_DIR and a user manager) and wait for it to end,
 * passing signals read from sigfd on to its processes. Returns its exit
 * status (128+N for signal N), or -errno with e set when it could not be
 * started. */
int bus_run(sd_bus *bus, const struct bus_command *c, int sigfd, struct err *e);

/* Start container-getty@N.service on /dev/pts/N, as machinectl login
 * does; stop it once sigfd has a signal or the bus goes. */
int bus_getty(sd_bus *bus, const char *twin, unsigned n, int sigfd, struct err *e);
