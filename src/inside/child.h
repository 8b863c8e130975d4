/* child.h — the container's first process: root of the new namespaces,
 * it assembles the tree, pivots into it and becomes PID 1. */
#pragma once

#include "cli/config.h"
#include "inside/handoff.h"

__attribute__((noreturn)) void child_main(const struct config *c, const struct handoff *ho, int sock);
