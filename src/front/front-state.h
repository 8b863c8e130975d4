/* front-state.h — one run of the front process: set up in front.c,
 * supervised in supervise.c. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "cli/config.h"
#include "console/console.h"
#include "console/console-stdio.h"
#include "idmap/idmap.h"
#include "inside/handoff.h"
#include "lib/err.h"

struct front {
	const struct config *cfg;
	bool root;           /* real root: maps written directly, /usr idmapped */
	struct idmap map;
	pid_t pid;           /* the builder, then the container's PID 1, as we see them */
	int sock;            /* our end of the channel; -1 once the child is running */
	int sigfd;
	int stop_signals;    /* SIGTERMs and SIGINTs forwarded so far */
	int aborted_by;      /* the signal that stopped the setup, before the container ran */
	bool stop_pending;   /* a clean stop asked for before init could take it */
	bool ready;
	bool reboot;         /* the booted container asked for a reboot */
	bool hung_up;        /* our terminal went away */
	struct cgroup cg;    /* boot: the delegated cgroup and ours in it */
	struct handoff ho; /* what the container's first process needs to know */
	struct console con;  /* the relay of the container's console, once it has one */
	struct console_stdio stdio; /* without one, the user's terminal among stdin, stdout, stderr, relayed */
	int userns_fd;       /* the container's user namespace, for cleaning up */
	const char *usrfs;   /* rootless map: the volspawn-usrfs program */
	pid_t usrfs_pid;     /* and its process serving this run's /usr */
	struct err err;      /* a setup failure, printed once at the end */
};

/* From the container's start to its end: relay its console, pass on
 * signals, serve its /usr, and return volspawn's exit status. */
int supervise(struct front *f);
