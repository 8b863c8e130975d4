/* ctl-exec.c — a shell in a twin that runs a command and has no systemd:
 * the worker, already in the twin's namespaces and root, becomes the
 * user and execs the command, as nsenter with --setuid would. */
#include "ctl/ctl-passwd.h"
#include "ctl/ctl-shell.h"
#include "lib/channel.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static int put(char **env, size_t *n, const char *fmt, const char *value)
{
	return value && asprintf(&env[(*n)++], fmt, value) < 0 ? -1 : 0;
}

/* As volspawn's own for a command (inside/env.c), for the user, then -E's. */
static char **command_env(const struct shell_job *j, const struct twin_user *u, const char *name)
{
	size_t n = 0;
	char **env = calloc(j->n_setenv + 10, sizeof *env);
	int bad = !env;
	if (bad)
		return NULL;
	bad |= put(env, &n, "%s", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	bad |= put(env, &n, "%s", "container=volspawn");
	bad |= put(env, &n, "TERM=%s", getenv("TERM"));
	bad |= put(env, &n, "HOME=%s", u->home);
	bad |= put(env, &n, "USER=%s", name);
	bad |= put(env, &n, "LOGNAME=%s", name);
	bad |= put(env, &n, "SHELL=%s", u->shell);
	bad |= put(env, &n, "%s", "LANG=C.UTF-8");
	for (size_t i = 0; i < j->n_setenv; i++)
		bad |= put(env, &n, "%s", j->setenv[i]);
	return bad ? NULL : env;
}

/* The pty's slave as stdio and controlling terminal: the worker is a
 * session leader already. */
static int take_pty(int sock, struct err *e)
{
	char path[64];
	int slave, r = worker_pty(sock, &slave, path, sizeof path, e);
	if (r < 0)
		return r;
	for (int i = 0; i < 3; i++)
		dup2(slave, i);
	close(slave);
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return err_sys(e, errno, "cannot make %s the controlling terminal", path);
	return 0;
}

static int become(const struct twin_user *u, const char *name, struct err *e)
{
	if (setgroups(1, &u->gid) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 || setresuid(u->uid, u->uid, u->uid) < 0)
		return err_sys(e, errno, "cannot become %s (uid %u) in the twin", name, (unsigned)u->uid);
	prctl(PR_SET_PDEATHSIG, SIGHUP);   /* the uid change cleared it: we gone is a hangup */
	if (chdir(u->home) < 0 && chdir("/") < 0)
		return err_sys(e, errno, "cannot change to / in the twin");
	return 0;
}

/* A login shell, as login starts it: "-sh" for /bin/sh. */
static void exec_shell(const char *shell)
{
	char *copy = strdup(shell), *arg0 = NULL;
	if (copy && asprintf(&arg0, "-%s", basename(copy)) >= 0)
		execv(shell, (char *[]){ arg0, NULL });
	free(copy);
	free(arg0);
}

int exec_worker(void *arg, int sock)
{
	const struct shell_job *j = arg;
	const char *name = j->user && *j->user ? j->user : "root";
	struct twin_user u;
	struct err e = { 0 };
	char **env = NULL;
	if (twin_user_lookup(name, j->twin, &u, &e) < 0 || (j->pty && take_pty(sock, &e) < 0) ||
	    !(env = command_env(j, &u, name)) || become(&u, name, &e) < 0) {
		if (!e.code)
			err_set(&e, ENOMEM, "out of memory");
		channel_send(sock, MSG_ERROR, -1, &e);
		return 1;
	}
	umask(022);
	environ = env;   /* execvp searches the twin's PATH, not ours */
	if (j->argv)
		execvp(j->argv[0], j->argv);
	else
		exec_shell(u.shell);
	int err = errno;
	err_set(&e, err, "cannot run %s in %s: %s", j->argv ? j->argv[0] : u.shell, j->twin, strerror(err));
	channel_send(sock, MSG_ERROR, -1, &e);
	return err == ENOENT ? 127 : 126;
}
