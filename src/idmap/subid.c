/* subid.c — the subordinate id files, in shadow-utils' "owner:start:count" form. */
#include "idmap/subid.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char owner[256];
	unsigned long start, count;
};

static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && (*end == '\0' || *end == '\n');
}

/* Lines that do not parse are skipped, as newuidmap does, and so are
 * ranges past the last valid id (uid_t -1), which no map can hold. Lines
 * are read whole, however long: no tail of one is taken for a line. */
static bool next_entry(FILE *f, struct entry *e)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	bool found = false;
	while (!found && (len = getline(&line, &size, f)) >= 0) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if ((size_t)len != strlen(line) || line[0] == '#' || !c2 || c1 == line ||
		    (size_t)(c1 - line) >= sizeof e->owner)
			continue;
		*c1 = *c2 = '\0';
		if (!parse_ulong(c1 + 1, &e->start) || !parse_ulong(c2 + 1, &e->count) ||
		    e->start > SUBID_END || e->count > SUBID_END - e->start)
			continue;
		strcpy(e->owner, line);
		found = true;
	}
	free(line);
	return found;
}

static bool owner_matches(const char *owner, const char *name, uid_t uid)
{
	unsigned long n;
	if (name && strcmp(owner, name) == 0)
		return true;
	return parse_ulong(owner, &n) && n == (unsigned long)uid;
}

int subid_find(FILE *f, const char *name, uid_t uid, unsigned long need, struct subid_range *out)
{
	struct entry e;
	bool any = false;
	*out = (struct subid_range){ 0 };
	while (next_entry(f, &e)) {
		if (!owner_matches(e.owner, name, uid))
			continue;
		any = true;
		if (e.count >= need) {
			*out = (struct subid_range){ e.start, e.count };
			return 0;
		}
		if (e.count > out->count)
			*out = (struct subid_range){ e.start, e.count };
	}
	return any ? -ERANGE : -ENOENT;
}

unsigned long subid_suggest(FILE *f)
{
	struct entry e;
	unsigned long start = 100000; /* where useradd starts (SUB_UID_MIN) */
	while (next_entry(f, &e))
		if (e.start + e.count > start)
			start = e.start + e.count;
	return start;
}

bool subid_overlaps(FILE *f, unsigned long start, unsigned long count)
{
	struct entry e;
	while (next_entry(f, &e))
		if (start < e.start + e.count && e.start < start + count)
			return true;
	return false;
}
