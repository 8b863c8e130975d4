/* cgroup-scope.h — asking the user's systemd manager for a delegated
 * cgroup, as `systemd-run --user --scope -p Delegate=yes` does. */
#pragma once

#include <sys/types.h>

#include "lib/err.h"

/* "volspawn-" + 64 characters of machine name + "-" + pid + ".scope" */
#define CGROUP_SCOPE_NAME_MAX 96

/* The scope's unit name, "volspawn-<machine>-<pid>.scope": the machine
 * name cut to 64 characters, anything but letters, digits, '-', '_' and
 * '.' made '_' (a unit name allows little, and '@' and '\' mean things). */
void cgroup_scope_name(char out[CGROUP_SCOPE_NAME_MAX], const char *machine, pid_t pid);

/* Have the user's systemd manager (on the user bus: $DBUS_SESSION_BUS_ADDRESS,
 * else $XDG_RUNTIME_DIR/bus) start a transient scope unit with
 * Delegate=yes holding this process, and wait (up to 5 s) until
 * /proc/self/cgroup shows us in it; cgroup_find_delegated then accepts it.
 * libsystemd is loaded only now, with dlopen: linking it would cost every
 * start of volspawn about a millisecond.
 * -ENOENT when there is no user manager to ask (or no libsystemd); a
 * refusal's D-Bus error name and message are in e. */
int cgroup_request_scope(const char *machine, struct err *e);
