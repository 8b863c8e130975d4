/* password-ask.c — the passwords --root-password=ask and
 * --bind-user-password=ask ask for, and root locked when a boot has none. */
#include "creds/password.h"
#include "cli/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int password_ask_all(const struct config *c, struct credentials *ours, struct bound_user *users, size_t n_users, struct err *e)
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
		if (!cred.id || (r = creds_add(ours, &cred, e)) < 0) {
			credential_free(&cred);
			return r < 0 ? r : err_set(e, ENOMEM, "out of memory");
		}
	}
	for (size_t i = 0; c->ask_user_password && i < n_users && r == 0; i++) {
		struct bound_user *u = &users[i];
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
