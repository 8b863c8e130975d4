/* ctl-bus-wait.c — a transient service from its start job to its end,
 * and how it ended: the command's status, or systemd's own when it could
 * not become the user (those a command would hardly return itself). */
#include "ctl/ctl-bus-wait.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNIT_IF "org.freedesktop.systemd1.Unit"
#define SERVICE_IF "org.freedesktop.systemd1.Service"
#define LATE_SIGNAL_MS 2000   /* how long JobRemoved may trail the unit's end */

/* systemd's own exit statuses for a command it could not start */
#define EXIT_USER 217
#define EXIT_PAM 224

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret)
{
	struct bus_wait *w = userdata;
	const char *path, *unit, *result;
	uint32_t id;
	(void)ret;
	if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) >= 0 && w->job && strcmp(path, w->job) == 0)
		snprintf(w->job_result, sizeof w->job_result, "%s", result);
	return 0;
}

/* Only to wake us: the state is read anew at every wake. */
static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret)
{
	(void)m, (void)userdata, (void)ret;
	return 0;
}

int bus_wait_init(struct bus_wait *w, sd_bus *bus, const char *unit, struct err *e)
{
	*w = (struct bus_wait){ .bus = bus, .unit = unit };
	int r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, &w->unit_path);
	if (r >= 0)
		r = sd_bus_match_signal(bus, &w->removed, SD_MANAGER, SD_PATH, SD_MANAGER_IF, "JobRemoved", on_job_removed, w);
	if (r >= 0)
		r = sd_bus_match_signal(bus, &w->changed, SD_MANAGER, w->unit_path, "org.freedesktop.DBus.Properties",
					"PropertiesChanged", on_changed, w);
	return r < 0 ? err_sys(e, -r, "cannot watch the twin's systemd") : 0;
}

void bus_wait_done(struct bus_wait *w)
{
	sd_bus_slot_unref(w->removed);
	sd_bus_slot_unref(w->changed);
	free(w->unit_path);
	*w = (struct bus_wait){ 0 };
}

/* 1 once the unit is inactive or failed with no job pending, 0 before. */
static int ended(struct bus_wait *w)
{
	sd_bus_error why = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char *state = NULL;
	const char *job_path;
	uint32_t job = 0;
	int r = sd_bus_get_property_string(w->bus, SD_MANAGER, w->unit_path, UNIT_IF, "ActiveState", &why, &state);
	if (r >= 0 && (r = sd_bus_get_property(w->bus, SD_MANAGER, w->unit_path, UNIT_IF, "Job", &why, &reply, "(uo)")) >= 0)
		r = sd_bus_message_read(reply, "(uo)", &job, &job_path);
	if (r >= 0)
		r = job == 0 && (strcmp(state, "inactive") == 0 || strcmp(state, "failed") == 0);
	free(state);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&why);
	return r;
}

static int main_status(struct bus_wait *w, int32_t *code, int32_t *status)
{
	int r = sd_bus_get_property_trivial(w->bus, SD_MANAGER, w->unit_path, SERVICE_IF, "ExecMainCode", NULL, 'i', code);
	return r < 0 ? r : sd_bus_get_property_trivial(w->bus, SD_MANAGER, w->unit_path, SERVICE_IF, "ExecMainStatus", NULL, 'i', status);
}

static const char *what(const struct bus_command *c)
{
	return c->argv ? c->argv[0] : "a login shell";
}

static int exit_status(struct bus_wait *w, const struct bus_command *c, struct err *e)
{
	int32_t code = 0, status = 0;
	if (strcmp(w->job_result, "") != 0 && strcmp(w->job_result, "done") != 0) {
		err_set(e, EIO, "%s's systemd could not start %s as %s (%s); see journalctl -u %s in the twin", c->twin, what(c),
			c->user, w->job_result, w->unit);
		return 1;
	}
	if (main_status(w, &code, &status) < 0) {
		err_set(e, EIO, "cannot read how %s ended in %s", what(c), c->twin);
		return 1;
	}
	if (code == CLD_EXITED && status == EXIT_USER) {
		err_set(e, ENOENT, "%s has no user %s (systemd's status 217/USER)", c->twin, c->user);
		return 1;
	}
	if (code == CLD_EXITED && status == EXIT_PAM) {
		err_set(e, EPERM, "%s's PAM refused a login session to %s (systemd's status 224/PAM)", c->twin, c->user);
		return 1;
	}
	return code == CLD_EXITED ? status : 128 + status;
}

/* What we are sent goes on to all of the unit's processes, as a
 * terminal's ^C reaches its whole foreground process group. */
static void pass_on(struct bus_wait *w, int sigfd)
{
	struct signalfd_siginfo si;
	if (read(sigfd, &si, sizeof si) != sizeof si)
		return;
	sd_bus_call_method(w->bus, SD_MANAGER, SD_PATH, SD_MANAGER_IF, "KillUnit", NULL, NULL, "ssi", w->unit, "all",
			   (int32_t)si.ssi_signo);
}

int bus_wait_end(struct bus_wait *w, const char *job, const struct bus_command *c, int sigfd, struct err *e)
{
	int late = 0;
	w->job = job;
	for (;;) {
		int r;
		while ((r = sd_bus_process(w->bus, NULL)) > 0)
			;
		if (r < 0) {
			err_set(e, -r, "%s's system bus went away while %s ran; is the twin shutting down?", c->twin, what(c));
			return 1;
		}
		if ((r = ended(w)) < 0) {
			err_sys(e, -r, "cannot follow %s in %s", what(c), c->twin);
			return 1;
		}
		if (r > 0 && (w->job_result[0] || late >= LATE_SIGNAL_MS))
			return exit_status(w, c, e);
		struct pollfd p[2] = { { sd_bus_get_fd(w->bus), (short)sd_bus_get_events(w->bus), 0 }, { sigfd, POLLIN, 0 } };
		if (!(p[0].events & POLLIN))   /* reading the state queued messages: process them first */
			continue;
		int timeout = r > 0 ? 100 : 1000;   /* the state is read again at least this often */
		if (poll(p, 2, timeout) == 0 && r > 0)
			late += timeout;
		if (p[1].revents & POLLIN)
			pass_on(w, sigfd);
	}
}
