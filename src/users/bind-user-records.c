/* bind-user-records.c — the user and group records of a bound user, in the
 * drop-in directory nss-systemd reads (/run/host/userdb), as nspawn writes
 * them: one line of JSON per file, looked up by name and by number. */
#include "users/bind-user.h"
#include "lib/io-util.h"
#include "lib/json.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef void fill_fn(FILE *f, const struct bound_user *u);

/* `,"key":"value"`, nothing when value is NULL. */
static void put_string(FILE *f, const char *key, const char *value)
{
	if (!value)
		return;
	fprintf(f, ",\"%s\":", key);
	json_write_string(f, value);
}

static void fill_user(FILE *f, const struct bound_user *u)
{
	fputs("{\"userName\":", f);
	json_write_string(f, u->name);
	fprintf(f, ",\"uid\":%lu,\"gid\":%lu", (unsigned long)u->uid, (unsigned long)u->gid);
	put_string(f, "realName", u->real_name);
	put_string(f, "homeDirectory", u->home);
	put_string(f, "shell", u->shell);
	put_string(f, "disposition", "regular");
	put_string(f, "service", BIND_USER_SERVICE);
	fputs("}\n", f);
}

/* Only root may read it (0600), as /etc/shadow. */
static void fill_user_privileged(FILE *f, const struct bound_user *u)
{
	fputs("{\"privileged\":{\"hashedPassword\":[", f);
	json_write_string(f, u->hashed_password);
	fputs("]}}\n", f);
}

static void fill_group(FILE *f, const struct bound_user *u)
{
	fputs("{\"groupName\":", f);
	json_write_string(f, u->name);
	fprintf(f, ",\"gid\":%lu", (unsigned long)u->gid);
	put_string(f, "disposition", "regular");
	put_string(f, "service", BIND_USER_SERVICE);
	fputs("}\n", f);
}

static int write_file(int dirfd, const char *file, mode_t mode, const char *text, size_t len)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	/* the umask must not take bits off: others read the public records */
	int r = fchmod(fd, mode) < 0 ? -errno : 0;
	if (r == 0)
		r = write_full(fd, text, len);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

/* The record is built whole first, so the file gets it in one write. */
static int write_record(int dirfd, const char *file, mode_t mode, fill_fn *fill,
			const struct bound_user *u, struct err *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return err_set(e, ENOMEM, "out of memory");
	fill(f, u);
	if (fclose(f) != 0) {
		free(text);
		return err_set(e, ENOMEM, "out of memory");
	}
	int r = write_file(dirfd, file, mode, text, len);
	free(text);
	if (r < 0)
		return err_sys(e, -r, "cannot write %s/%s", BIND_USER_USERDB_DIR, file);
	return 0;
}

/* nss-systemd looks a number up as UID.user or GID.group; the link is
 * relative so it resolves inside the container as well as from outside. */
static int link_record(int dirfd, const char *target, unsigned long id, const char *suffix, struct err *e)
{
	char link[64];
	snprintf(link, sizeof link, "%lu.%s", id, suffix);
	if (symlinkat(target, dirfd, link) < 0)
		return err_sys(e, errno, "cannot link %s/%s to %s", BIND_USER_USERDB_DIR, link, target);
	return 0;
}

int bind_user_write_records(int userdb_dirfd, const struct bound_user *u, struct err *e)
{
	/* a valid user name has at most 32 bytes */
	char user[64], privileged[64], group[64];
	snprintf(user, sizeof user, "%s.user", u->name);
	snprintf(privileged, sizeof privileged, "%s.user-privileged", u->name);
	snprintf(group, sizeof group, "%s.group", u->name);

	int r = write_record(userdb_dirfd, user, 0644, fill_user, u, e);
	if (r == 0 && u->hashed_password)
		r = write_record(userdb_dirfd, privileged, 0600, fill_user_privileged, u, e);
	if (r == 0)
		r = write_record(userdb_dirfd, group, 0644, fill_group, u, e);
	if (r == 0)
		r = link_record(userdb_dirfd, user, u->uid, "user", e);
	if (r == 0 && u->hashed_password)
		r = link_record(userdb_dirfd, privileged, u->uid, "user-privileged", e);
	if (r == 0)
		r = link_record(userdb_dirfd, group, u->gid, "group", e);
	return r;
}

int bind_user_write_userdb(int root_fd, const char *dir, mode_t mode, const struct bound_user *users, size_t n,
			   struct err *e)
{
	int r, fd;
	if ((r = mkdir_p_in(root_fd, dir, mode)) < 0 || (fd = r = resolve_in(root_fd, dir)) < 0)
		return err_sys(e, -r, "cannot create %s", dir);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = bind_user_write_records(fd, &users[i], e);
	close(fd);
	return r < 0 ? r : 0;
}
