/* idmap.c — the rootless map: the invoking user's subordinate ranges. */
#include "idmap/idmap.h"
#include "idmap/subid.h"

#include <errno.h>
#include <stdio.h>

#define SUBUID_FILE "/etc/subuid"
#define SUBGID_FILE "/etc/subgid"

struct lookup {
	const char *file;
	const char *flag;      /* usermod's option to add a range */
	int r;                 /* subid_find's result */
	struct subid_range range;
	unsigned long suggest;
};

static void look_up(struct lookup *l, uid_t uid, const char *user)
{
	FILE *f = fopen(l->file, "re");
	l->r = -ENOENT;
	l->suggest = 100000;
	if (!f)
		return;
	l->r = subid_find(f, user, uid, IDMAP_SIZE, &l->range);
	rewind(f);
	l->suggest = subid_suggest(f);
	fclose(f);
}

/* One line naming what is missing and the usermod command that adds it. */
static int hint(const struct lookup *u, const struct lookup *g, const char *user, struct err *e)
{
	char fix[160] = "";
	int n = 0;
	for (const struct lookup *l = u; l; l = l == u ? g : NULL)
		if (l->r < 0)
			n += snprintf(fix + n, sizeof fix - n, " %s %lu-%lu", l->flag,
				      l->suggest, l->suggest + IDMAP_SIZE - 1);
	const struct lookup *bad = u->r < 0 ? u : g;
	if (bad->r == -ERANGE)
		return err_set(e, ERANGE, "%s gives %s only %lu ids from %lu; volspawn needs %lu. As root run: usermod%s %s",
			       bad->file, user, bad->range.count, bad->range.start, IDMAP_SIZE, fix, user);
	return err_set(e, ENOENT, "%s has no range for %s; volspawn needs %lu ids there. As root run: usermod%s %s",
		       bad->file, user, IDMAP_SIZE, fix, user);
}

int idmap_from_subid(struct idmap *m, uid_t uid, const char *user, struct err *e)
{
	struct lookup u = { .file = SUBUID_FILE, .flag = "--add-subuids" };
	struct lookup g = { .file = SUBGID_FILE, .flag = "--add-subgids" };

	look_up(&u, uid, user);
	look_up(&g, uid, user);
	if (u.r < 0 || g.r < 0)
		return hint(&u, &g, user, e);
	*m = (struct idmap){ .n_uid = 1, .n_gid = 1, .lock_fd = -1 };
	m->uid[0] = (struct id_extent){ 0, u.range.start, IDMAP_SIZE };
	m->gid[0] = (struct id_extent){ 0, g.range.start, IDMAP_SIZE };
	return 0;
}
