/* cgroup-scope.c — a transient scope with Delegate=yes from the user's
 * systemd manager, over sd-bus loaded only when it is needed. */
#include "cgroup/cgroup-scope.h"
#include "cgroup/cgroup.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define WAIT_NS (5 * 1000000000LL)

/* The sd-bus calls we make, resolved from libsystemd.so.0: linked, the
 * library would be loaded (and cost start-up time) at every exec. */
struct sdbus {
	void *dl;
	__typeof__(sd_bus_open_user) *open_user;
	__typeof__(sd_bus_call_method) *call_method;
	__typeof__(sd_bus_error_free) *error_free;
	__typeof__(sd_bus_flush_close_unref) *flush_close_unref;
};

#define NO_MANAGER "no systemd user manager to delegate a cgroup to you (%s); " \
	"is a login session or `loginctl enable-linger` missing? Or run volspawn in a delegated cgroup"

static bool unit_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

void cgroup_scope_name(char out[CGROUP_SCOPE_NAME_MAX], const char *machine, pid_t pid)
{
	char safe[65];
	size_t n = 0;
	for (const char *p = machine && *machine ? machine : "container"; *p && n < 64; p++)
		safe[n++] = unit_char(*p) ? *p : '_';
	safe[n] = '\0';
	snprintf(out, CGROUP_SCOPE_NAME_MAX, "volspawn-%s-%d.scope", safe, (int)pid);
}

static const char *dl_why(void)
{
	const char *why = dlerror();
	return why ? why : "unknown error";
}

#define RESOLVE(b, field, name) ((b)->field = (__typeof__((b)->field))dlsym((b)->dl, name))

static int sdbus_load(struct sdbus *b, struct err *e)
{
	b->dl = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!b->dl)
		return err_set(e, ENOENT, "cannot load libsystemd to ask systemd for a delegated cgroup (%s); install libsystemd0, or run volspawn in a delegated cgroup",
			       dl_why());
	if (RESOLVE(b, open_user, "sd_bus_open_user") && RESOLVE(b, call_method, "sd_bus_call_method") &&
	    RESOLVE(b, error_free, "sd_bus_error_free") && RESOLVE(b, flush_close_unref, "sd_bus_flush_close_unref"))
		return 0;
	int r = err_set(e, ENOENT, "libsystemd.so.0 is too old to ask systemd for a delegated cgroup (%s); upgrade libsystemd0, or run volspawn in a delegated cgroup",
			dl_why());
	dlclose(b->dl);
	return r;
}

/* Where sd_bus_open_user looks, for messages; NULL when nowhere. */
static const char *user_bus(char *buf, size_t size)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS"), *dir = getenv("XDG_RUNTIME_DIR");
	if (addr && *addr)
		return addr;
	if (!dir || !*dir)
		return NULL;
	snprintf(buf, size, "%s/bus", dir);
	return buf;
}

static bool no_manager(const sd_bus_error *error)
{
	return error->name && (strcmp(error->name, SD_BUS_ERROR_SERVICE_UNKNOWN) == 0 ||
			       strcmp(error->name, SD_BUS_ERROR_NAME_HAS_NO_OWNER) == 0);
}

/* StartTransientUnit, as `systemd-run --user --scope -p Delegate=yes`
 * calls it; the scope is collected even if it fails. */
static int start_scope(const struct sdbus *b, sd_bus *bus, const char *unit, const char *machine, struct err *e)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	char desc[128];
	snprintf(desc, sizeof desc, "volspawn container %s", machine && *machine ? machine : unit);
	int r = b->call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
			       "StartTransientUnit", &error, NULL, "ssa(sv)a(sa(sv))", unit, "fail", 4u,
			       "PIDs", "au", 1u, (uint32_t)getpid(),
			       "Delegate", "b", 1,
			       "Description", "s", desc,
			       "CollectMode", "s", "inactive-or-failed",
			       0u);
	if (r >= 0)
		r = 0;
	else if (no_manager(&error))
		r = err_set(e, ENOENT, NO_MANAGER, "nothing on the user bus answers as org.freedesktop.systemd1");
	else if (error.name)
		r = err_set(e, -r, "systemd refused a delegated scope for the container: %s: %s", error.name,
			    error.message ? error.message : "no message");
	else
		r = err_sys(e, -r, "cannot ask the systemd user manager for a delegated scope");
	b->error_free(&error);
	return r;
}

static bool in_unit(const char *unit)
{
	char own[2048];
	size_t n = strlen(unit), len;
	if (cgroup_self(own, sizeof own) < 0)
		return false;
	len = strlen(own);
	return len > n && own[len - n - 1] == '/' && strcmp(own + len - n, unit) == 0;
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* systemd replies once the start job is queued; the scope takes our PID
 * when the job runs, a moment later. We watch for that rather than for
 * the JobRemoved signal: it is the fact we need, and it needs no match. */
static int wait_in_scope(const char *unit, struct err *e)
{
	long long end = now_ns() + WAIT_NS;
	while (!in_unit(unit)) {
		if (now_ns() > end)
			return err_set(e, ETIMEDOUT, "the systemd user manager did not move volspawn into %s within 5 s; see journalctl --user -u %s",
				       unit, unit);
		nanosleep(&(struct timespec){ .tv_nsec = 2000000 }, NULL);
	}
	return 0;
}

int cgroup_request_scope(const char *machine, struct err *e)
{
	struct sdbus b = { 0 };
	sd_bus *bus = NULL;
	char unit[CGROUP_SCOPE_NAME_MAX], where[4200], why[4400];
	const char *addr = user_bus(where, sizeof where);
	int r;

	if (!addr)
		return err_set(e, ENOENT, NO_MANAGER, "$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR are unset");
	if ((r = sdbus_load(&b, e)) < 0)
		return r;
	cgroup_scope_name(unit, machine, getpid());
	if ((r = b.open_user(&bus)) < 0) {
		snprintf(why, sizeof why, "no user bus at %s: %s", addr, strerror(-r));
		r = err_set(e, ENOENT, NO_MANAGER, why);
	} else if ((r = start_scope(&b, bus, unit, machine, e)) == 0) {
		r = wait_in_scope(unit, e);
	}
	if (bus)
		b.flush_close_unref(bus);
	dlclose(b.dl);
	return r;
}
