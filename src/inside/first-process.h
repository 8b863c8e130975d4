/* first-process.h — the container's first process, cloned by the builder
 * into new user, mount, PID, IPC, UTS (and network, cgroup) namespaces. */
#pragma once

#include "cli/config.h"
#include "inside/layout.h"

/* Wait on maps (a pipe) for a byte: the builder has written our id maps;
 * become root, finish the layout and pivot; wait for a second byte: the
 * builder's late rows are made; then exec the payload. */
__attribute__((noreturn)) void first_process(const struct config *c, struct layout *l, int sock, int maps);
