/* ctl-shell.h — what a shell's worker needs to know (ctl-shell.c for a
 * booted twin, ctl-exec.c for one that runs a command). */
#pragma once

#include <stdbool.h>

#include "ctl/ctl.h"

struct shell_job {
	const char *twin;
	const char *user;        /* NULL: root */
	char **argv;             /* NULL: the user's login shell */
	char **setenv;           /* -E NAME=VALUE */
	size_t n_setenv;
	bool pty;                /* a pty of the twin's, relayed: we are on a terminal */
};

/* The worker in a twin without systemd: joins it as nsenter would and
 * runs the command itself, as the user, on a pty of the twin's or on our
 * stdio. Never returns when the command runs; its exit status is the
 * command's (127, 126 when it cannot be run). */
int exec_worker(void *job, int sock);

/* A fresh pty of the twin's devpts: its master handed to the host side to
 * relay, *slave opened, *path its name. Our own stdio is the twin's
 * /dev/null from then on: no host terminal stays with a worker. */
int worker_pty(int sock, int *slave, char *path, size_t size, struct err *e);

/* The signals a worker is sent (INT, TERM, HUP, QUIT), blocked and read
 * from the returned signalfd by its loop. */
int worker_signals(void);
