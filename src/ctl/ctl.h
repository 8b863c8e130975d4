/* ctl.h — volspawnctl: a user's running twins, reached without root or a
 * daemon. The user owns each twin's user namespace, so a child of ours may
 * join its namespaces; what it does there is the verb's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "front/registry.h"
#include "lib/err.h"

/* The command line, parsed (ctl-main.c). */
struct ctl_opts {
	const char *verb;
	const char *machine;      /* -M, or the verb's NAME */
	const char *user;         /* shell: USER@ or --uid; NULL is root */
	const char *output;       /* list: -o table, json or json-pretty */
	bool no_legend;
	bool quiet;
	char **setenv;            /* shell: -E NAME=VALUE, in order */
	size_t n_setenv;
	int signal;               /* kill: --signal, SIGTERM by default */
	bool leader_only;         /* kill: --kill-whom=leader */
	char **command;           /* shell: what to run; NULL: the user's login shell */
};

/* A running twin, found by name. */
struct twin {
	struct registry_entry entry;
	pid_t leader;             /* its PID 1, as we see it */
};

/* The twin called name, waiting (up to 30 s) while it is still starting:
 * until its PID 1 runs in its own root. Unknown names are refused with a
 * line naming the running twins. */
int twin_find(const char *name, struct twin *t, struct err *e);
void twin_free(struct twin *t);

/* The PID 1 of the twin whose front is front, once it runs in the twin's
 * own root; 0 before. */
pid_t twin_leader(pid_t front);

/* Whether the twin's init takes sig yet (a booted systemd blocks what it
 * takes, for its signalfd); until then the kernel drops what it is sent. */
bool twin_takes(pid_t leader, int sig);

/* The namespaces of a twin's PID 1, opened from the host side. */
#define TWIN_NS_MAX 6
struct twin_ns {
	int fd[TWIN_NS_MAX];
	int type[TWIN_NS_MAX];    /* CLONE_NEW*, the user namespace first */
	int n;
	int root_fd;              /* its root directory */
};

int twin_ns_open(pid_t leader, struct twin_ns *ns, struct err *e);
void twin_ns_close(struct twin_ns *ns);

/* Start a worker inside the twin: a child that joins ns, takes its root
 * and becomes its root user, in a session and keyring of its own, as PID
 * N of the twin's PID namespace. It runs fn(arg, sock) and exits with what
 * fn returns; sock is its end of a channel to us (lib/channel.h), the
 * worker's errors ride on it. Returns its pid, *sock our end. */
pid_t worker_start(struct twin_ns *ns, int (*fn)(void *arg, int sock), void *arg, int *sock, struct err *e);

/* Our stdin, a terminal, passed on as a pipe: a booted twin's systemd
 * would make a terminal its service's own (chown), and may not make the
 * host's anyone's. From session_feed_start on, our fd 0 is the pipe's
 * reading end, for the worker to inherit; session_run feeds it. */
struct session_feed {
	int from, to;             /* our terminal, the pipe's writing end; -1: none */
};
#define SESSION_FEED_NONE ((struct session_feed){ -1, -1 })
int session_feed_start(struct session_feed *f, struct err *e);
void session_feed_stop(struct session_feed *f);

/* The host's side while a worker runs: the pty master it may send (relayed
 * like the console, the banner printed first unless NULL), signals passed
 * on to it, its errors printed, the feed fed (and stopped). Returns its
 * exit status. escape_signal: what the worker gets when the user leaves
 * with ^]^]^] or the terminal goes (the pty is closed, too). */
int session_run(pid_t worker, int sock, int escape_signal, const char *banner, struct session_feed feed);

/* Whether a session gets a pty: stdin and stdout are terminals. */
bool session_on_terminal(void);

/* The verbs. Each returns volspawnctl's exit status. */
int ctl_list(const struct ctl_opts *o);
int ctl_shell(const struct ctl_opts *o);
int ctl_login(const struct ctl_opts *o);
int ctl_power(const struct ctl_opts *o);

/* The one place messages reach the user: "volspawnctl: ..." on stderr. */
void ctl_print(const struct err *e);
