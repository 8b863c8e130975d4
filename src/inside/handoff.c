/* container.c — what the front works out before the clone: the bound
 * users, the passwords asked for, the holes they need in the id map. */
#include "inside/handoff.h"
#include "idmap/idmap-hole.h"
#include "creds/password.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bound users and, rootless in boot mode, the invoking user are mapped
 * one-to-one into the container: a user's files stay theirs, and
 * container root may use the cgroup the user was delegated. */
int container_add_holes(const struct container *ct, const struct config *c, struct idmap *map, bool root, struct err *e)
{
	bool self = root || !c->boot;
	int r = 0;
	/* as root, bound users' homes are idmapped mounts instead (front.c) */
	for (size_t i = 0; !root && i < ct->n_users && r == 0; i++) {
		const struct bound_user *u = &ct->users[i];
		r = idmap_add_hole(map, u->uid, u->host_uid, u->host_gid, e);
		self |= u->host_uid == getuid();
	}
	if (r == 0 && !self)
		r = idmap_add_hole(map, BIND_USER_UID_MIN, getuid(), getgid(), e);
	return r;
}

/* Passwords are typed on the terminal, never given on a command line where
 * every user's ps sees them; only their hashes go on. */
static int ask_password(const char *who, char **hash, struct err *e)
{
	char prompt[128], *plain = NULL;
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty < 0)
		return err_set(e, errno, "cannot ask for %s's password: no terminal (%s); run volspawn on a terminal, or leave out --%s-password=ask",
			       who, strerror(errno), strcmp(who, "root") == 0 ? "root" : "bind-user");
	snprintf(prompt, sizeof prompt, "Password for %s in the container: ", who);
	int r = password_read(tty, prompt, true, &plain, e);
	close(tty);
	if (r == 0)
		r = password_hash(plain, hash, e);
	password_free(plain);
	return r;
}

/* Without a root password systemd-firstboot would stop the boot to ask for
 * one on the console: root is locked instead, as the notice says. */
static bool root_password_given(const struct config *c)
{
	static const char *const ids[] = { "passwd.hashed-password.root", "passwd.plaintext-password.root" };
	for (size_t i = 0; i < 2; i++)
		if (creds_find(&c->creds, ids[i]))
			return true;
	return c->ask_root_password;
}

int container_ask_passwords(struct container *ct, const struct config *c, struct err *e)
{
	struct credential cred = { 0 };
	int r = 0;
	if (c->boot && !root_password_given(c)) {
		cred.data = strdup("!");
	} else if (c->ask_root_password) {
		if ((r = ask_password("root", &cred.data, e)) < 0)
			return r;
	}
	if (cred.data) {
		cred.id = strdup("passwd.hashed-password.root");
		cred.size = strlen(cred.data);
		if (!cred.id || (r = creds_add(&ct->creds, &cred, e)) < 0) {
			credential_free(&cred);
			return r < 0 ? r : err_set(e, ENOMEM, "out of memory");
		}
	}
	for (size_t i = 0; c->ask_user_password && i < ct->n_users && r == 0; i++) {
		struct bound_user *u = &ct->users[i];
		char *hash = NULL;
		if ((r = ask_password(u->name, &hash, e)) == 0) {
			free(u->hashed_password);
			u->hashed_password = hash;
		}
	}
	/* after the questions: a failed one is the only line printed */
	if (r == 0 && c->boot && !root_password_given(c) && !c->quiet && !c->autologin)
		notice("root's password is locked: log in as a --bind-user, or give root one with --root-password=ask");
	return r;
}

/* Rootless, newuidmap maps only the caller's own uid besides its ranges. */
int container_resolve_users(struct container *ct, const struct config *c, bool root, struct err *e)
{
	int r = 0;
	if (!c->n_bind_users)
		return 0;
	ct->users = calloc(c->n_bind_users, sizeof *ct->users);
	if (!ct->users)
		return err_set(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n_bind_users && r == 0; i++) {
		r = bind_user_lookup(c->bind_users[i], &ct->users[i], e);
		if (r == 0 && !root && ct->users[i].host_uid != getuid())
			r = err_set(e, EPERM, "--bind-user=%s: without root, volspawn can bind only you (newuidmap maps no one else's uid); run it as root to bind others",
				    c->bind_users[i]);
	}
	ct->n_users = c->n_bind_users;
	if (r < 0)
		return r;
	r = bind_user_allocate(ct->users, ct->n_users, e);
	if (r >= 0)
		ct->n_users = (size_t)r;
	return r < 0 ? r : 0;
}


void container_free(struct container *ct)
{
	for (size_t i = 0; i < ct->n_users; i++)
		bound_user_free(&ct->users[i]);
	free(ct->users);
	creds_free(&ct->creds);
	*ct = (struct container){ 0 };
}
