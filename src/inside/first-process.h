/* first-process.h — the container's first process, cloned by the builder
 * into new user, mount, PID, IPC, UTS (and network, cgroup) namespaces. */
#pragma once

#include "cli/config.h"
#include "inside/layout.h"

/* Wait on maps (a pipe) until the builder has written our id maps, then
 * become root, finish the layout, pivot and exec the payload. */
__attribute__((noreturn)) void first_process(const struct config *c, struct layout *l, int sock, int maps);
