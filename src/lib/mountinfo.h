/* mountinfo.h — /proc/self/mountinfo, read for what the builder needs of
 * each mount: where it is and its filesystem type. Read by hand,
 * not by libmount: loading libmount in the builder would cost every
 * command's start-up about 0.8 ms (README, Speed), and these two fields
 * need no more than splitting a line. */
#pragma once

#include <stddef.h>

struct mountinfo_entry {
	const char *target;   /* the mount point, unescaped */
	const char *fstype;
};

/* Called for each mount; a negative return stops the walk with it. */
typedef int (*mountinfo_fn)(const struct mountinfo_entry *m, void *ctx);

/* Walk text, a mountinfo file's contents (NUL-terminated; modified: fields
 * are cut and unescaped in place). Lines that are not a mount, as the
 * kernel writes one, are skipped. Returns 0, or what fn stopped with. */
int mountinfo_parse(char *text, mountinfo_fn fn, void *ctx);

/* /proc/self/mountinfo whole, NUL-terminated, in *text (free it). */
int mountinfo_read(char **text);
