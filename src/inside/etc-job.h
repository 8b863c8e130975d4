/* etc-job.h — the copy of the host's /etc, made by a process of its own
 * while the builder makes the rest of the layout. */
#pragma once

#include "inside/layout.h"
#include "inside/mount-table.h"
#include "lib/err.h"

/* Start filling the /etc of row r (kind ETC) below l->root_fd. What the
 * layout makes below /etc itself (the table's other rows, the user's
 * --bind and --tmpfs) is left out of the copy, so the two never meet. */
int etc_job_start(struct layout *l, const struct row *r, struct err *e);

/* Wait for it, if one runs; its error, if it failed, in e. */
int etc_job_wait(struct layout *l, struct err *e);
