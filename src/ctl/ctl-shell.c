/* ctl-shell.c — volspawnctl shell [[USER]@]NAME [COMMAND...]: in a booted
 * twin, a login session its systemd starts; in a command twin, the
 * command run in its namespaces directly. */
#include "console/console.h"
#include "ctl/ctl-bus.h"
#include "ctl/ctl-shell.h"
#include "lib/channel.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

int worker_pty(int sock, int *slave, char *path, size_t size, struct err *e)
{
	int master, r = console_open_pty(&master, path, size, e);
	if (r < 0)
		return r;
	*slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		r = err_sys(e, errno, "cannot open %s", path);
		close(master);
		return r;
	}
	r = channel_send(sock, MSG_READY, master, NULL);
	close(master);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	if (null > 2)
		close(null);
	return r < 0 ? err_sys(e, -r, "cannot hand the pty over") : 0;
}

/* TERM, when the service will have a terminal, then -E's, in order. */
static char **service_env(const struct shell_job *j)
{
	const char *term = getenv("TERM");
	bool tty = j->pty || isatty(0) || isatty(1) || isatty(2);
	char **env = calloc(j->n_setenv + 2, sizeof *env);
	size_t n = 0;
	if (env && term && tty && asprintf(&env[n], "TERM=%s", term) >= 0)
		n++;
	for (size_t i = 0; env && i < j->n_setenv; i++)
		env[n++] = strdup(j->setenv[i]);
	return env;
}

static void free_env(char **env)
{
	for (char **p = env; p && *p; p++)
		free(*p);
	free(env);
}

int worker_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	for (int i = 0, sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT }; i < 4; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static int bus_worker(void *arg, int sock)
{
	const struct shell_job *j = arg;
	struct err e = { 0 };
	char tty[64];
	int slave = -1, status = 1, sigfd = worker_signals();
	sd_bus *bus = NULL;
	char **env = service_env(j);
	struct bus_command c = { .twin = j->twin, .user = j->user ? j->user : "root", .argv = j->argv, .env = env,
				 .fd = { 0, 1, 2 } };
	if (!env)
		err_set(&e, ENOMEM, "out of memory");
	else if (bus_connect(&bus, j->twin, &e) == 0 && (!j->pty || worker_pty(sock, &slave, tty, sizeof tty, &e) == 0)) {
		if (j->pty) {
			c.fd[0] = c.fd[1] = c.fd[2] = slave;
			c.tty = tty;
		}
		status = bus_run(bus, &c, sigfd, &e);
	}
	if (e.code)
		channel_send(sock, MSG_ERROR, -1, &e);
	if (slave >= 0)
		close(slave);
	sd_bus_flush_close_unref(bus);
	free_env(env);
	return status;
}

/* [[USER]@]NAME: an empty USER is root, as with machinectl. */
static const char *split_user(const char *arg, char *user, size_t size)
{
	const char *at = strrchr(arg, '@');
	if (!at)
		return arg;
	snprintf(user, size, "%.*s", (int)(at - arg), arg);
	return at + 1;
}

int ctl_shell(const struct ctl_opts *o)
{
	char user[64] = "";
	struct err e = { 0 };
	struct twin t;
	struct twin_ns ns;
	const char *name = split_user(o->machine, user, sizeof user);
	struct shell_job j = { .twin = name, .user = user[0] ? user : o->user, .argv = o->command, .setenv = o->setenv,
			       .n_setenv = o->n_setenv, .pty = session_on_terminal() };
	struct session_feed feed = SESSION_FEED_NONE;
	if (twin_find(name, &t, &e) < 0 || twin_ns_open(t.leader, &ns, &e) < 0) {
		ctl_print(&e);
		twin_free(&t);
		return 1;
	}
	int sock, status = 1;
	/* a command of ours joins directly and may have our terminal as it is */
	pid_t pid = t.entry.boot && !j.pty && isatty(0) && session_feed_start(&feed, &e) < 0
			    ? -1 : worker_start(&ns, t.entry.boot ? bus_worker : exec_worker, &j, &sock, &e);
	twin_ns_close(&ns);
	if (pid < 0) {
		session_feed_stop(&feed);
		ctl_print(&e);
	} else {
		char banner[160];
		snprintf(banner, sizeof banner, "connected to %s; press ^] three times within 1s to leave.", name);
		status = session_run(pid, sock, SIGHUP, o->quiet ? NULL : banner, feed);
	}
	twin_free(&t);
	return status;
}
