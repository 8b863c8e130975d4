/* here.c — --here: `volspawn --here -- make test` in a checkout is
 * `--bind-user=$USER --user=$USER --bind=$PWD --chdir=$PWD`, with a fresh
 * home instead of the real one, so that nothing outside the checkout
 * outlives the twin. */
#include "cli/here.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int add_self(struct config *c, const char *name, struct err *e)
{
	for (size_t i = 0; i < c->n_bind_users; i++)
		if (!strcmp(c->bind_users[i], name))
			return 0;
	char *s = strdup(name);
	if (!s || config_push((void **)&c->bind_users, &c->n_bind_users, sizeof s, &s) < 0) {
		free(s);
		return err_set(e, ENOMEM, "out of memory");
	}
	return 0;
}

static int add_bind(struct config *c, const char *dir, struct err *e)
{
	struct bind b = { .src = strdup(dir), .dst = strdup(dir), .recursive = true };
	if (!b.src || !b.dst || config_push((void **)&c->binds, &c->n_binds, sizeof b, &b) < 0) {
		free(b.src);
		free(b.dst);
		return err_set(e, ENOMEM, "out of memory");
	}
	return 0;
}

static int set_default(char **dst, const char *value, struct err *e)
{
	if (*dst)
		return 0;
	*dst = strdup(value);
	return *dst ? 0 : err_set(e, ENOMEM, "out of memory");
}

int here_expand(struct config *c, struct err *e)
{
	struct passwd *pw = getpwuid(getuid());
	int r;
	if (c->boot)
		return err_set(e, EINVAL, "--here runs a command in your directory; to boot with it, give --bind-user=$USER --bind=$PWD");
	if (geteuid() == 0)
		return err_set(e, EINVAL, "--here runs the command as you, and root cannot be bound into a container; as root give --bind=$PWD --chdir=$PWD");
	if (!pw)
		return err_set(e, ENOENT, "--here: uid %u has no passwd entry to run the command as", (unsigned)getuid());
	char *dir = getcwd(NULL, 0);
	if (!dir)
		return err_sys(e, errno, "--here: cannot tell the directory you are in");
	if (!strcmp(dir, "/"))
		r = err_set(e, EINVAL, "--here binds the directory you are in, and / is the whole host: cd into your checkout first");
	else if ((r = add_self(c, pw->pw_name, e)) == 0 && (r = add_bind(c, dir, e)) == 0 &&
		 (r = set_default(&c->user, pw->pw_name, e)) == 0)
		r = set_default(&c->chdir, dir, e);
	free(dir);
	return r;
}
