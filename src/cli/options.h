/* options.h — the command line, as systemd-nspawn spells it. */
#pragma once

#include "cli/config.h"
#include "lib/err.h"

/* Fill c from argv. Returns 0 to run, 1 when --help or --version was
 * handled, or a negative errno with e set (a usage error). */
int options_parse(int argc, char **argv, struct config *c, struct err *e);
