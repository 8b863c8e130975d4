/* ctl-bus.c — the twin's systemd over its system bus: connecting, and the
 * units a shell and a login run in. Waiting for them is ctl-bus-wait.c's. */
#include "ctl/ctl-bus.h"
#include "ctl/ctl-bus-wait.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define BUS_ADDRESS "unix:path=/run/dbus/system_bus_socket"
#define CONNECT_WAIT_MS 30000

static int try_connect(sd_bus **out, sd_bus_error *why)
{
	sd_bus *bus = NULL;
	int r = sd_bus_new(&bus);
	if (r >= 0 && (r = sd_bus_set_address(bus, BUS_ADDRESS)) >= 0 && (r = sd_bus_set_bus_client(bus, 1)) >= 0 &&
	    (r = sd_bus_start(bus)) >= 0)
		/* systemd's unit signals go to subscribers only */
		r = sd_bus_call_method(bus, SD_MANAGER, SD_PATH, SD_MANAGER_IF, "Subscribe", why, NULL, "");
	if (r < 0) {
		sd_bus_flush_close_unref(bus);
		return r;
	}
	*out = bus;
	return 0;
}

int bus_connect(sd_bus **bus, const char *twin, struct err *e)
{
	sd_bus_error why = SD_BUS_ERROR_NULL;
	int r = 0;
	for (int waited = 0; waited <= CONNECT_WAIT_MS; waited += 100) {
		sd_bus_error_free(&why);
		if ((r = try_connect(bus, &why)) >= 0)
			return 0;
		struct timespec pause = { 0, 100 * 1000000L };
		nanosleep(&pause, NULL);
	}
	r = err_set(e, -r, "%s: its systemd does not answer on its system bus after %d s (%s); is it still booting, or has it no dbus?",
		    twin, CONNECT_WAIT_MS / 1000, why.message ? why.message : strerror(-r));
	sd_bus_error_free(&why);
	return r;
}

/* ExecStart: the user's login shell ($SHELL, which systemd sets from
 * User=), or the command through sh: found in the service's PATH, relative
 * to the home, and 127 with sh's word when there is no such program. */
static char **exec_argv(char **argv)
{
	static char *login_shell[] = { "sh", "-c", "exec \"${SHELL:-/bin/sh}\" -l", NULL };
	size_t n = 0;
	while (argv && argv[n])
		n++;
	char **out = argv ? calloc(n + 5, sizeof *out) : login_shell;
	if (out && argv) {
		out[0] = "sh", out[1] = "-c", out[2] = "exec \"$@\"", out[3] = "volspawnctl";
		memcpy(out + 4, argv, n * sizeof *argv);
	}
	return out;
}

/* ExecStartEx: with no-env-expand, as systemd would otherwise expand
 * $VAR (and $$) in the command's own arguments. */
static int append_exec(sd_bus_message *m, char **argv)
{
	static char *flags[] = { "no-env-expand", NULL };
	char **exec = exec_argv(argv);
	if (!exec)
		return -ENOMEM;
	int r = sd_bus_message_open_container(m, 'r', "sv");
	if (r >= 0 && (r = sd_bus_message_append(m, "s", "ExecStartEx")) >= 0 &&
	    (r = sd_bus_message_open_container(m, 'v', "a(sasas)")) >= 0 &&
	    (r = sd_bus_message_open_container(m, 'a', "(sasas)")) >= 0 &&
	    (r = sd_bus_message_open_container(m, 'r', "sasas")) >= 0 && (r = sd_bus_message_append(m, "s", "/bin/sh")) >= 0 &&
	    (r = sd_bus_message_append_strv(m, exec)) >= 0 && (r = sd_bus_message_append_strv(m, flags)) >= 0)
		for (int i = 0; i < 4 && r >= 0; i++)
			r = sd_bus_message_close_container(m);
	if (argv)
		free(exec);
	return r;
}

static int append_env(sd_bus_message *m, char **env)
{
	int r = sd_bus_message_open_container(m, 'r', "sv");
	if (r >= 0 && (r = sd_bus_message_append(m, "s", "Environment")) >= 0 &&
	    (r = sd_bus_message_open_container(m, 'v', "as")) >= 0 && (r = sd_bus_message_append_strv(m, env)) >= 0 &&
	    (r = sd_bus_message_close_container(m)) >= 0)
		r = sd_bus_message_close_container(m);
	return r;
}

/* As machined's shell: a login session (PAM), hung up with its pty,
 * kept loaded (AddRef) until we have read how it ended. Type=exec would
 * tell a command that could not start from one that failed, but the PAM
 * process holds the pipe it watches: the start job waits for the end. */
static int append_props(sd_bus_message *m, const struct bus_command *c, const char *desc)
{
	int r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)(sv)(sv)(sv)(sv)", "Description", "s", desc, "Type", "s", "simple",
				      "User", "s", c->user, "PAMName", "s", "login", "WorkingDirectory", "s", "-~",
				      "SendSIGHUP", "b", 1, "IgnoreSIGPIPE", "b", 0, "AddRef", "b", 1, "CollectMode", "s",
				      "inactive-or-failed");
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)(sv)(sv)", "StandardInputFileDescriptor", "h", c->fd[0],
					  "StandardOutputFileDescriptor", "h", c->fd[1], "StandardErrorFileDescriptor", "h", c->fd[2]);
	if (r >= 0 && c->tty)
		r = sd_bus_message_append(m, "(sv)(sv)(sv)", "TTYPath", "s", c->tty, "UtmpIdentifier", "s",
					  c->tty + strlen("/dev/"), "UtmpMode", "s", "user");
	if (r >= 0)
		r = append_env(m, c->env);
	return r >= 0 ? append_exec(m, c->argv) : r;
}

static int start_transient(sd_bus *bus, const struct bus_command *c, const char *unit, char **job, struct err *e)
{
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus_error why = SD_BUS_ERROR_NULL;
	char desc[128];
	const char *path;
	snprintf(desc, sizeof desc, "volspawnctl shell of %s", c->user);
	int r = sd_bus_message_new_method_call(bus, &m, SD_MANAGER, SD_PATH, SD_MANAGER_IF, "StartTransientUnit");
	if (r >= 0 && (r = sd_bus_message_append(m, "ss", unit, "fail")) >= 0 &&
	    (r = sd_bus_message_open_container(m, 'a', "(sv)")) >= 0 && (r = append_props(m, c, desc)) >= 0 &&
	    (r = sd_bus_message_close_container(m)) >= 0 && (r = sd_bus_message_append(m, "a(sa(sv))", 0)) >= 0)
		r = sd_bus_call(bus, m, 0, &why, &reply);
	if (r >= 0 && (r = sd_bus_message_read(reply, "o", &path)) >= 0)
		r = (*job = strdup(path)) ? 0 : -ENOMEM;
	if (r < 0)
		err_set(e, -r, "%s: its systemd refused to start the shell: %s", c->twin,
			why.message ? why.message : strerror(-r));
	sd_bus_error_free(&why);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
	return r;
}

int bus_run(sd_bus *bus, const struct bus_command *c, int sigfd, struct err *e)
{
	char unit[96], *job = NULL;
	unsigned rnd = 0;
	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
		rnd = (unsigned)time(NULL);
	snprintf(unit, sizeof unit, "volspawnctl-shell-%d-%08x.service", (int)getpid(), rnd);
	struct bus_wait w;
	int r = bus_wait_init(&w, bus, unit, e);
	if (r >= 0 && (r = start_transient(bus, c, unit, &job, e)) >= 0)
		r = bus_wait_end(&w, job, c, sigfd, e);
	bus_wait_done(&w);
	free(job);
	return r;
}

static int unit_call(sd_bus *bus, const char *method, const char *unit, struct err *e)
{
	sd_bus_error why = SD_BUS_ERROR_NULL;
	int r = sd_bus_call_method(bus, SD_MANAGER, SD_PATH, SD_MANAGER_IF, method, &why, NULL, "ss", unit, "replace");
	if (r < 0 && e)
		err_set(e, -r, "cannot %s %s: %s", strcmp(method, "StartUnit") ? "stop" : "start", unit,
			why.message ? why.message : strerror(-r));
	sd_bus_error_free(&why);
	return r;
}

int bus_getty(sd_bus *bus, const char *twin, unsigned n, int sigfd, struct err *e)
{
	char unit[64];
	snprintf(unit, sizeof unit, "container-getty@%u.service", n);
	int r = unit_call(bus, "StartUnit", unit, e);
	if (r < 0) {
		snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " (in %s)", twin);
		return r;
	}
	for (;;) {   /* until we are told to go, or the twin's bus goes */
		while ((r = sd_bus_process(bus, NULL)) > 0)
			;
		if (r < 0)
			return 0;
		struct pollfd p[2] = { { sd_bus_get_fd(bus), (short)sd_bus_get_events(bus), 0 }, { sigfd, POLLIN, 0 } };
		if (!(p[0].events & POLLIN))   /* messages are queued already */
			continue;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return err_sys(e, errno, "poll");
		if (p[0].revents & (POLLHUP | POLLERR))
			return 0;
		if (p[1].revents & POLLIN)
			break;
	}
	unit_call(bus, "StopUnit", unit, NULL);
	return 0;
}
