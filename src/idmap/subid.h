/* subid.h — reading /etc/subuid and /etc/subgid. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Ids run from 0 to SUBID_END - 1: (uid_t)-1 is no id. An entry whose
 * range passes it is skipped, as the kernel would refuse its map. */
#define SUBID_END 4294967295UL

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

/* Whether any entry of the file, whoever owns it, overlaps the range
 * [start, start + count). */
bool subid_overlaps(FILE *f, unsigned long start, unsigned long count);
