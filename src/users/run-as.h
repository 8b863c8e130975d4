/* run-as.h — --user: whom the command runs as inside, looked up in the
 * container, and becoming them. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "inside/handoff.h"
#include "lib/err.h"

struct run_as {
	char *name;
	uid_t uid;        /* container ids */
	gid_t gid;
	char *home;
	char *shell;
	gid_t *groups;    /* supplementary groups, the primary one among them */
	size_t n_groups;
};

/* Look spec (a name, or a number) up inside the container, after the
 * pivot: the bound users first (their records are for nss-systemd, which a
 * command may lack), then the container's /etc/passwd and /etc/group, read
 * as files (no NSS module of the tree's is loaded into us), then root,
 * known without any file. -ESRCH, with e saying how to bind a user, when
 * the container knows no such user. */
int run_as_lookup(const char *spec, const struct handoff *ho, struct run_as *ra, struct err *e);

/* Change to dir with ra's permissions, so that a directory the user may not
 * enter is refused now, in one line, rather than when the command starts.
 * We stay root; the working directory is inherited by the command. */
int run_as_chdir(const struct run_as *ra, const char *dir, struct err *e);

/* Become ra for good: its groups, gid and uid. */
int run_as_become(const struct run_as *ra);

void run_as_free(struct run_as *ra);
