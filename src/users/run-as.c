/* run-as.c — --user=NAME|UID, as systemd-nspawn's: looked up in the
 * container's own user database, the command then runs as that user. */
#include "users/run-as.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_GROUPS 64

/* A number, as the whole of spec. */
static bool as_number(const char *spec, unsigned long *id)
{
	char *end;
	if (!*spec || *spec < '0' || *spec > '9')
		return false;
	errno = 0;
	*id = strtoul(spec, &end, 10);
	return !errno && !*end && *id < 65536;
}

static bool names(const char *spec, const char *name, unsigned long uid)
{
	unsigned long id;
	return as_number(spec, &id) ? id == uid : strcmp(spec, name) == 0;
}

static int fill(struct run_as *ra, const char *name, uid_t uid, gid_t gid, const char *home, const char *shell)
{
	ra->name = strdup(name);
	ra->home = strdup(home && *home ? home : "/");
	ra->shell = strdup(shell && *shell ? shell : "/bin/sh");
	ra->uid = uid;
	ra->gid = gid;
	ra->groups = malloc(MAX_GROUPS * sizeof *ra->groups);
	if (!ra->name || !ra->home || !ra->shell || !ra->groups)
		return -ENOMEM;
	ra->groups[0] = gid;
	ra->n_groups = 1;
	return 0;
}

/* The groups of the container's /etc/group that list ra as a member. */
static void add_groups(struct run_as *ra)
{
	FILE *f = fopen("/etc/group", "re");
	struct group *g;
	while (f && (g = fgetgrent(f)) && ra->n_groups < MAX_GROUPS)
		for (char **m = g->gr_mem; m && *m; m++)
			if (!strcmp(*m, ra->name) && g->gr_gid != ra->gid) {
				ra->groups[ra->n_groups++] = g->gr_gid;
				break;
			}
	if (f)
		fclose(f);
}

static int from_passwd(const char *spec, struct run_as *ra)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw;
	int r = -ESRCH;
	while (f && r == -ESRCH && (pw = fgetpwent(f)))
		if (names(spec, pw->pw_name, pw->pw_uid) && pw->pw_uid < 65536)
			r = fill(ra, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir, pw->pw_shell);
	if (f)
		fclose(f);
	if (r == 0)
		add_groups(ra);
	return r;
}

int run_as_lookup(const char *spec, const struct handoff *ho, struct run_as *ra, struct err *e)
{
	int r = -ESRCH;
	*ra = (struct run_as){ 0 };
	for (size_t i = 0; i < ho->n_users && r == -ESRCH; i++) {
		const struct bound_user *u = &ho->users[i];
		if (names(spec, u->name, u->uid))
			r = fill(ra, u->name, u->uid, u->gid, u->home, u->shell);
	}
	if (r == -ESRCH)
		r = from_passwd(spec, ra);
	if (r == -ESRCH && names(spec, "root", 0))
		r = fill(ra, "root", 0, 0, "/root", "/bin/sh");
	if (r == -ENOMEM)
		return err_set(e, ENOMEM, "out of memory");
	if (r < 0)
		return err_set(e, ESRCH, "--user=%s: the container knows no such user (it has the bound users and the tree's /etc/passwd); to run as yourself give --bind-user=$USER --user=$USER, or --here",
			       spec);
	return 0;
}

int run_as_chdir(const struct run_as *ra, const char *dir, struct err *e)
{
	int r = 0;
	if (setgroups(ra->n_groups, ra->groups) < 0 || setegid(ra->gid) < 0 || seteuid(ra->uid) < 0)
		r = err_sys(e, errno, "--user=%s: cannot take the user's identity", ra->name);
	else if (chdir(dir) < 0)
		r = err_set(e, errno, "--chdir=%s: %s for user %s inside the container; give a directory they may enter",
			    dir, strerror(errno), ra->name);
	if (seteuid(0) < 0 || setegid(0) < 0 || setgroups(0, NULL) < 0)
		r = err_sys(e, errno, "cannot become root again");
	return r;
}

int run_as_become(const struct run_as *ra)
{
	if (setgroups(ra->n_groups, ra->groups) < 0 || setresgid(ra->gid, ra->gid, ra->gid) < 0 ||
	    setresuid(ra->uid, ra->uid, ra->uid) < 0)
		return -errno;
	return 0;
}

void run_as_free(struct run_as *ra)
{
	free(ra->name);
	free(ra->home);
	free(ra->shell);
	free(ra->groups);
	*ra = (struct run_as){ 0 };
}
