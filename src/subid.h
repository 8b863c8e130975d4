/* subid.h — reading /etc/subuid and /etc/subgid. */
#pragma once

#include <stdio.h>
#include <sys/types.h>

struct subid_range {
	unsigned long start;
	unsigned long count;
};

/* The first range of at least `need` ids that the file gives `name` or
 * `uid` (entries may use either). Returns 0 and fills out; -ENOENT when the
 * user has no entry; -ERANGE when every entry is smaller (out gets the
 * largest). */
int subid_find(FILE *f, const char *name, uid_t uid, unsigned long need, struct subid_range *out);

/* A start for a new range that overlaps no entry of the file,
 * for the `usermod --add-subuids` hint. */
unsigned long subid_suggest(FILE *f);
