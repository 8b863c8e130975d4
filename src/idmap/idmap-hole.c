/* idmap-hole.c — splitting a container's id map so that one container id
 * reaches one host id: the bound user's own, so that files in the home
 * keep their owner on both sides. */
#include "idmap/idmap-hole.h"

#include <errno.h>
#include <string.h>

/* Where a hole goes in one side's extents, worked out before either side
 * changes so that a refusal leaves the whole map as it was. */
struct split {
	size_t at;              /* the extent holding the hole */
	unsigned long before;   /* ids of that extent below the hole */
	unsigned long after;    /* and above it */
};

static int find_extent(const struct id_extent *ext, size_t n, unsigned long id, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (id >= ext[i].inside && id - ext[i].inside < ext[i].count) {
			*at = i;
			return 0;
		}
	return -ENOENT;
}

static int plan(const struct id_extent *ext, size_t n, unsigned long inside, unsigned long host,
		const char *kind, struct split *s, struct err *e)
{
	for (size_t i = 0; i < n; i++)
		if (host >= ext[i].outside && host - ext[i].outside < ext[i].count)
			return err_set(e, EEXIST, "host %s %lu is already in the container's %s map (as container %s %lu); bind a user whose %s lies outside the container's range",
				       kind, host, kind, kind, ext[i].inside + (host - ext[i].outside), kind);
	if (find_extent(ext, n, inside, &s->at) < 0)
		return err_set(e, ERANGE, "container %s %lu is outside the container's %s map (0..%lu)",
			       kind, inside, kind, IDMAP_SIZE - 1);
	const struct id_extent *x = &ext[s->at];
	if (x->count == 1)
		return err_set(e, EEXIST, "container %s %lu is already mapped on its own; give each bound user a %s of its own",
			       kind, inside, kind);
	s->before = inside - x->inside;
	s->after = x->count - s->before - 1;
	if (n + (s->before > 0) + (s->after > 0) > IDMAP_MAX_EXTENTS)
		return err_set(e, E2BIG, "the container's %s map would need more than %d ranges for one more bound user; bind fewer users",
			       kind, IDMAP_MAX_EXTENTS);
	return 0;
}

static void apply(struct id_extent *ext, size_t *n, unsigned long inside, unsigned long host,
		  const struct split *s)
{
	const struct id_extent old = ext[s->at];
	struct id_extent parts[3];
	size_t k = 0;

	if (s->before)
		parts[k++] = (struct id_extent){ old.inside, old.outside, s->before };
	parts[k++] = (struct id_extent){ inside, host, 1 };
	/* the freed subordinate id is used, not skipped: the measured form */
	if (s->after)
		parts[k++] = (struct id_extent){ inside + 1, old.outside + s->before, s->after };
	memmove(ext + s->at + k, ext + s->at + 1, (*n - s->at - 1) * sizeof *ext);
	memcpy(ext + s->at, parts, k * sizeof *ext);
	*n += k - 1;
}

int idmap_add_hole(struct idmap *m, unsigned long inside, unsigned long host_uid,
		   unsigned long host_gid, struct err *e)
{
	struct split su, sg;
	int r = plan(m->uid, m->n_uid, inside, host_uid, "uid", &su, e);
	if (r == 0)
		r = plan(m->gid, m->n_gid, inside, host_gid, "gid", &sg, e);
	if (r < 0)
		return r;
	apply(m->uid, &m->n_uid, inside, host_uid, &su);
	apply(m->gid, &m->n_gid, inside, host_gid, &sg);
	return 0;
}
