/* creds-io.c — reading credential sources and writing credential files. */
#include "creds/creds.h"
#include "lib/io-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Double the buffer without realloc, which could leave a copy of the
 * secret behind in freed memory. */
static int grow(char **buf, size_t *cap, size_t used)
{
	size_t ncap = *cap * 2;
	char *n = ncap > *cap ? malloc(ncap) : NULL;
	if (!n)
		return -ENOMEM;
	memcpy(n, *buf, used);
	explicit_bzero(*buf, used);
	free(*buf);
	*buf = n;
	*cap = ncap;
	return 0;
}

/* Everything fd gives until EOF; no size limit, as the source is the user's. */
static int read_all(int fd, char **data, size_t *size)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	int r = buf ? 0 : -ENOMEM;

	while (r == 0) {
		if (used + 1 == cap && (r = grow(&buf, &cap, used)) < 0)
			break;
		ssize_t n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno != EINTR)
			r = -errno;
		else if (n == 0)
			break;
		else if (n > 0)
			used += (size_t)n;
	}
	if (r < 0) {
		if (buf)
			explicit_bzero(buf, used);
		free(buf);
		return r;
	}
	buf[used] = '\0';
	*data = buf;
	*size = used;
	return 0;
}

/* A stream connection to the socket at path. sun_path holds 107 bytes; a
 * longer path is reached through /proc/self/fd, as systemd does. */
static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int pathfd = -1, r = 0;

	if (strlen(path) < sizeof sa.sun_path) {
		memcpy(sa.sun_path, path, strlen(path) + 1);
	} else {
		if ((pathfd = open(path, O_PATH | O_CLOEXEC)) < 0)
			return -errno;
		snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pathfd);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		r = -errno;
	/* We send nothing: say so, for a server that waits for our end. */
	else if (shutdown(fd, SHUT_WR) < 0)
		r = -errno;
	if (pathfd >= 0)
		close(pathfd);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	return fd;
}

int creds_read(const char *path, char **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	/* open() of a socket fails with ENXIO; nspawn then connects to it. */
	if (fd < 0 && errno == ENXIO)
		fd = connect_unix(path);
	else if (fd < 0)
		fd = -errno;
	if (fd < 0)
		return fd;
	int r = read_all(fd, data, size);
	close(fd);
	return r;
}

/* nspawn's order: created 0600 so that only we can write it, made
 * read-only once it is whole. */
static int write_one(int dirfd, const struct credential *cred, struct err *e)
{
	int fd = openat(dirfd, cred->id, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	int r = 0;

	if (fd < 0 && errno == EEXIST)
		return err_set(e, EEXIST, "cannot write credential '%s': the file already exists in the credentials directory", cred->id);
	if (fd < 0)
		return err_sys(e, errno, "cannot create the file for credential '%s'", cred->id);
	if ((r = write_full(fd, cred->data, cred->size)) < 0)
		err_sys(e, -r, "cannot write credential '%s'", cred->id);
	else if (fchmod(fd, 0400) < 0)
		r = err_sys(e, errno, "cannot make credential '%s' read-only", cred->id);
	if (close(fd) < 0 && r == 0)
		r = err_sys(e, errno, "cannot write credential '%s'", cred->id);
	return r;
}

int creds_write(int dirfd, const struct credentials *c, struct err *e)
{
	for (size_t i = 0; i < c->n; i++) {
		int r = write_one(dirfd, &c->v[i], e);
		if (r < 0)
			return r;
	}
	return 0;
}

int creds_seal(int mount_fd, const struct credentials *given, const struct credentials *ours, struct err *e)
{
	char path[64];
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	int r = creds_write(mount_fd, given, e);
	if (r == 0)
		r = creds_write(mount_fd, ours, e);
	snprintf(path, sizeof path, "/proc/self/fd/%d", mount_fd);
	if (r == 0 && chmod(path, 0500) < 0)
		r = err_sys(e, errno, "cannot seal " CREDS_DIR);
	if (r == 0 && mount_setattr(mount_fd, "", AT_EMPTY_PATH, &ro, sizeof ro) < 0)
		r = err_sys(e, errno, "cannot seal " CREDS_DIR);
	return r;
}
