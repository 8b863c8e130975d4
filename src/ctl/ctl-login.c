/* ctl-login.c — volspawnctl login NAME: a login prompt of the booted twin's
 * own, on a new pty of the twin's, as machinectl login gives one. */
#include "ctl/ctl-bus.h"
#include "ctl/ctl-shell.h"
#include "lib/channel.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int getty_worker(void *arg, int sock)
{
	const char *twin = arg;
	struct err e = { 0 };
	char tty[64];
	int slave = -1, sigfd = worker_signals();
	sd_bus *bus = NULL;
	/* the getty opens its pty by name and hangs it up (TTYVHangup=): our
	 * slave goes, the master the host side holds keeps the pty */
	if (bus_connect(&bus, twin, &e) == 0 && worker_pty(sock, &slave, tty, sizeof tty, &e) == 0) {
		close(slave);
		bus_getty(bus, twin, (unsigned)atoi(tty + strlen("/dev/pts/")), sigfd, &e);
	}
	if (e.code)
		channel_send(sock, MSG_ERROR, -1, &e);
	sd_bus_flush_close_unref(bus);
	return e.code ? 1 : 0;
}

int ctl_login(const struct ctl_opts *o)
{
	struct err e = { 0 };
	struct twin t = { 0 };
	struct twin_ns ns;
	int sock, status = 1;
	if (!session_on_terminal())
		err_set(&e, ENOTTY, "login needs a terminal as stdin and stdout; for a command without one use: volspawnctl shell %s COMMAND",
			o->machine);
	else if (twin_find(o->machine, &t, &e) == 0 && !t.entry.boot)
		err_set(&e, EINVAL, "%s runs a command, not a booted system: it has no login prompt; use volspawnctl shell %s",
			o->machine, o->machine);
	else if (!e.code && twin_ns_open(t.leader, &ns, &e) == 0) {
		pid_t pid = worker_start(&ns, getty_worker, (void *)o->machine, &sock, &e);
		twin_ns_close(&ns);
		if (pid > 0) {
			char banner[160];
			snprintf(banner, sizeof banner, "connected to %s; press ^] three times within 1s to leave.", o->machine);
			status = session_run(pid, sock, SIGTERM, o->quiet ? NULL : banner, SESSION_FEED_NONE);
		}
	}
	if (e.code) {
		ctl_print(&e);
		status = 1;
	}
	twin_free(&t);
	return status;
}
