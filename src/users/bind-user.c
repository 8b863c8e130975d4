/* bind-user.c — --bind-user=USER: resolving the host user and giving it a
 * container id. Its records are written by bind-user-records.c. */
#include "users/bind-user.h"
#include "cli/values.h"
#include "lib/json.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <shadow.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOBODY_UID 65534  /* as systemd: the overflow uid */

static int check_name(const char *name, struct err *e)
{
	if (!value_user_name_valid(name))
		return err_set(e, EINVAL, "--bind-user=%s: not a valid user name", name);
	return 0;
}

/* The container has a root and a nobody of its own; binding the host's
 * would give two users one name, or one uid two meanings. */
static int check_special(const char *name, uid_t uid, struct err *e)
{
	if (uid == 0 || strcmp(name, "root") == 0)
		return err_set(e, EPERM, "--bind-user cannot bind root: the container has its own; name an ordinary user");
	if (uid == NOBODY_UID || strcmp(name, "nobody") == 0)
		return err_set(e, EPERM, "--bind-user cannot bind nobody: the container has its own; name an ordinary user");
	return 0;
}

/* getpwnam says "not found" with NULL and any of these errno values. */
static int not_found(const char *name, int errnum, struct err *e)
{
	if (errnum == 0 || errnum == ENOENT || errnum == ESRCH || errnum == EBADF || errnum == EPERM)
		return err_set(e, ENOENT, "no user %s on this host; --bind-user takes the name of a host user", name);
	return err_sys(e, errnum, "cannot look up user %s", name);
}

static int dup_or_null(char **dst, const char *src, size_t len)
{
	*dst = NULL;
	if (len == 0)
		return 0;
	*dst = strndup(src, len);
	return *dst ? 0 : -ENOMEM;
}

static int copy_passwd(struct bound_user *u, const struct passwd *pw, struct err *e)
{
	const char *gecos = pw->pw_gecos ? pw->pw_gecos : "";
	const char *home = pw->pw_dir ? pw->pw_dir : "";
	const char *shell = pw->pw_shell ? pw->pw_shell : "";

	u->host_uid = pw->pw_uid;
	u->host_gid = pw->pw_gid;
	if (dup_or_null(&u->name, pw->pw_name, strlen(pw->pw_name)) < 0 ||
	    dup_or_null(&u->real_name, gecos, strcspn(gecos, ",")) < 0 ||
	    dup_or_null(&u->home, home, strlen(home)) < 0 ||
	    dup_or_null(&u->shell, shell, strlen(shell)) < 0)
		return err_set(e, ENOMEM, "out of memory");
	/* the real name is only decoration: better none than an unreadable record */
	if (u->real_name && !json_utf8_valid(u->real_name)) {
		free(u->real_name);
		u->real_name = NULL;
	}
	return 0;
}

/* The user's group becomes a container group of the same name and id;
 * a shared group such as "users" would be bound under the user's name. */
static int check_group(const struct bound_user *u, struct err *e)
{
	const struct group *gr = getgrgid(u->host_gid);
	if (!gr)
		return err_set(e, ENOENT, "%s's primary group %lu does not exist on this host; --bind-user needs a user with a group of its own name",
			       u->name, (unsigned long)u->host_gid);
	if (strcmp(gr->gr_name, u->name) != 0)
		return err_set(e, EINVAL, "%s's primary group is %s; --bind-user needs a user with a group of its own name",
			       u->name, gr->gr_name);
	return 0;
}

static int check_home(const struct bound_user *u, struct err *e)
{
	struct stat st;
	if (!u->home || u->home[0] != '/')
		return err_set(e, ENOENT, "%s has no home directory; --bind-user binds it into the container: as root run usermod -d HOME %s",
			       u->name, u->name);
	if (!json_utf8_valid(u->home))
		return err_set(e, EINVAL, "%s's home is not a UTF-8 path, which a user record cannot hold; name another user", u->name);
	if (stat(u->home, &st) < 0) {
		if (errno == ENOENT)
			return err_set(e, ENOENT, "%s's home %s does not exist; --bind-user binds it into the container: create it or name another user",
				       u->name, u->home);
		return err_sys(e, errno, "cannot reach %s's home %s", u->name, u->home);
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ENOTDIR, "%s's home %s is not a directory; --bind-user binds it into the container: name another user",
			       u->name, u->home);
	return 0;
}

static int check_shell(const struct bound_user *u, struct err *e)
{
	if (u->shell && !json_utf8_valid(u->shell))
		return err_set(e, EINVAL, "%s's shell is not a UTF-8 path, which a user record cannot hold; name another user", u->name);
	return 0;
}

/* Only root can read /etc/shadow; rootless the record has no hash and the
 * bound user logs in without one (autologin) or not at all. An empty or
 * locked ("!…", "*") entry gives no usable password either. */
static int copy_hash(struct bound_user *u, struct err *e)
{
	if (geteuid() != 0)
		return 0;
	const struct spwd *sp = getspnam(u->name);
	if (!sp || !sp->sp_pwdp || !sp->sp_pwdp[0] || strchr("!*", sp->sp_pwdp[0]))
		return 0;
	if (!json_utf8_valid(sp->sp_pwdp))
		return 0;
	u->hashed_password = strdup(sp->sp_pwdp);
	return u->hashed_password ? 0 : err_set(e, ENOMEM, "out of memory");
}

int bind_user_lookup(const char *name, struct bound_user *u, struct err *e)
{
	*u = (struct bound_user){ 0 };
	int r = check_name(name, e);
	if (r == 0)
		r = check_special(name, (uid_t)-1, e);
	if (r < 0)
		return r;
	errno = 0;
	const struct passwd *pw = getpwnam(name);
	if (!pw)
		return not_found(name, errno, e);
	r = copy_passwd(u, pw, e);
	if (r == 0)
		r = check_special(u->name, u->host_uid, e);
	if (r == 0)
		r = check_group(u, e);
	if (r == 0)
		r = check_home(u, e);
	if (r == 0)
		r = check_shell(u, e);
	if (r == 0)
		r = copy_hash(u, e);
	if (r < 0)
		bound_user_free(u);
	return r;
}

static const struct bound_user *find_name(const struct bound_user *users, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(users[i].name, name) == 0)
			return &users[i];
	return NULL;
}

static const struct bound_user *find_host_uid(const struct bound_user *users, size_t n, uid_t uid)
{
	for (size_t i = 0; i < n; i++)
		if (users[i].host_uid == uid)
			return &users[i];
	return NULL;
}

/* Entries moved or dropped are zeroed, so that freeing all n entries is
 * right whether this succeeds or fails. */
int bind_user_allocate(struct bound_user *users, size_t n, struct err *e)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (find_name(users, kept, users[i].name)) {
			bound_user_free(&users[i]);
			continue;
		}
		const struct bound_user *twin = find_host_uid(users, kept, users[i].host_uid);
		if (twin)
			return err_set(e, EEXIST, "--bind-user=%s and --bind-user=%s name the same host user (uid %lu); bind it once",
				       twin->name, users[i].name, (unsigned long)users[i].host_uid);
		if (kept == BIND_USER_MAX)
			return err_set(e, E2BIG, "--bind-user can bind at most %lu users (container uids %lu-%lu); bind fewer",
				       BIND_USER_MAX, BIND_USER_UID_MIN, BIND_USER_UID_MAX);
		if (kept != i) {
			users[kept] = users[i];
			users[i] = (struct bound_user){ 0 };
		}
		users[kept].uid = (uid_t)(BIND_USER_UID_MIN + kept);
		users[kept].gid = (gid_t)(BIND_USER_UID_MIN + kept);
		kept++;
	}
	return (int)kept;
}

void bound_user_free(struct bound_user *u)
{
	free(u->name);
	free(u->real_name);
	free(u->home);
	free(u->shell);
	free(u->hashed_password);
	*u = (struct bound_user){ 0 };
}

int bind_user_resolve(char *const *names, size_t n, bool root, struct bound_user **users, size_t *n_users, struct err *e)
{
	int r = 0;
	*n_users = 0;
	if (!n)
		return 0;
	if (!(*users = calloc(n, sizeof **users)))
		return err_set(e, ENOMEM, "out of memory");
	*n_users = n;
	for (size_t i = 0; i < n && r == 0; i++) {
		r = bind_user_lookup(names[i], &(*users)[i], e);
		if (r == 0 && !root && (*users)[i].host_uid != getuid())
			r = err_set(e, EPERM, "--bind-user=%s: without root, volspawn can bind only you (newuidmap maps no one else's uid); run it as root to bind others",
				    names[i]);
	}
	if (r == 0 && (r = bind_user_allocate(*users, n, e)) >= 0)
		*n_users = (size_t)r;
	return r < 0 ? r : 0;
}
