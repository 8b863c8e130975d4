/* ctl-bus-wait.h — waiting for a transient service of the twin's systemd
 * to end, and how it ended: the command's exit status, or why systemd
 * could not start it. */
#pragma once

#include <systemd/sd-bus.h>

#include "ctl/ctl-bus.h"
#include "lib/err.h"

#define SD_MANAGER "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER_IF "org.freedesktop.systemd1.Manager"

struct bus_wait {
	sd_bus *bus;
	const char *unit;
	char *unit_path;
	sd_bus_slot *removed, *changed;   /* our matches: JobRemoved, the unit's PropertiesChanged */
	const char *job;                  /* the start job, once it is known */
	char job_result[32];              /* its result, once it is removed */
};

/* Watch for unit's signals: before it is started, so that none is missed. */
int bus_wait_init(struct bus_wait *w, sd_bus *bus, const char *unit, struct err *e);

/* Wait for the unit, started by job, to end, passing signals read from
 * sigfd on to its processes. Returns the exit status; e is set when there
 * is something to say (the command never started: 127 when it cannot be
 * run, else 1). */
int bus_wait_end(struct bus_wait *w, const char *job, const struct bus_command *c, int sigfd, struct err *e);

void bus_wait_done(struct bus_wait *w);
