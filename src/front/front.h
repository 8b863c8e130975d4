/* front.h — the unprivileged front process: it makes the namespaces, has
 * the maps written, then supervises the container until it ends. */
#pragma once

#include "cli/config.h"

/* Run the container; returns volspawn's exit status. */
int front_run(const struct config *c);
