/* copy-tree.c — a recursive copy made only of *at() calls on directory fds
 * opened O_NOFOLLOW, so no symlink in the source ever leads it elsewhere. */
#include "etc/copy-tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	copy_filter *want;
	const void *ctx;
	const char *label;    /* the source's name in messages, e.g. "/etc" */
	char rel[PATH_MAX];   /* the current entry below the source: for the filter and messages, never for opening */
	struct err *e;
};

static int copy_entries(struct walk *w, int src, int dst);

static int fail(struct walk *w, int code)
{
	return err_sys(w->e, code, "cannot copy %s/%s", w->label, w->rel);
}

/* A source entry we may not read, or one that changed under us (it vanished,
 * or became a link or a directory between the listing and open), is left out. */
static int source_error(struct walk *w, int code)
{
	if (code == EACCES || code == EPERM || code == ENOENT || code == ELOOP || code == ENOTDIR)
		return 0;
	return fail(w, code);
}

/* Copies are never setuid or setgid: the owner is not kept, so the bits
 * would grant the container's root to whoever runs the file. */
static mode_t kept_mode(mode_t mode)
{
	return mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID);
}

/* Only what an unrelated uid may read, whoever copies: the copier may be
 * able to read more, through its uid or groups. */
static bool public(mode_t mode)
{
	if (S_ISDIR(mode))
		return (mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH);
	return mode & S_IROTH;
}

/* sendfile moves the bytes inside the kernel, and knows where the file ends */
static int pump(struct walk *w, int in, int out, off_t size)
{
	for (off_t done = 0; done < size;) {
		ssize_t n = sendfile(out, in, NULL, (size_t)(size - done));
		if (n < 0)
			return fail(w, errno);
		if (n == 0)
			break;   /* it shrank meanwhile: a copy of what there was */
		done += n;
	}
	return 0;
}

static int copy_file(struct walk *w, int src, int dst, const char *name)
{
	struct stat st;
	/* O_NONBLOCK: should a fifo replace the file after the listing, open does not hang on it */
	int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (in < 0)
		return source_error(w, errno);
	int r = fstat(in, &st) < 0 ? fail(w, errno) : 0;
	if (r < 0 || !S_ISREG(st.st_mode) || !public(st.st_mode)) {
		close(in);
		return r;
	}
	/* its mode at once: no one but the copier sees the file until it is full */
	int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kept_mode(st.st_mode));
	if (out < 0) {
		r = errno == EEXIST ? 0 : fail(w, errno);
		close(in);
		return r;
	}
	r = pump(w, in, out, st.st_size);
	close(in);
	if (close(out) < 0 && r == 0)
		r = fail(w, errno);
	return r;
}

static int copy_link(struct walk *w, int src, int dst, const char *name)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(src, name, target, sizeof target);
	if (n < 0)
		return source_error(w, errno);
	if ((size_t)n == sizeof target)
		return fail(w, ENAMETOOLONG);
	target[n] = '\0';
	if (symlinkat(target, dst, name) < 0 && errno != EEXIST)
		return fail(w, errno);
	return 0;
}

/* Made 0700 and given its mode once filled, so a read-only directory
 * can still be filled by a copier without CAP_DAC_OVERRIDE. A directory
 * that already exists in dst is merged into and keeps its mode. */
static int copy_dir(struct walk *w, int src, int dst, const char *name)
{
	struct stat st;
	int in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return source_error(w, errno);
	int r = fstat(in, &st) < 0 ? fail(w, errno) : 0;
	if (r < 0 || !public(st.st_mode)) {
		close(in);
		return r;
	}
	bool made = mkdirat(dst, name, 0700) == 0;
	if (!made && errno != EEXIST) {
		close(in);
		return fail(w, errno);
	}
	int out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0) {   /* dst has a file or link by that name: it wins */
		r = errno == ENOTDIR || errno == ELOOP ? 0 : fail(w, errno);
		close(in);
		return r;
	}
	r = copy_entries(w, in, out);
	if (r == 0 && made && fchmod(out, kept_mode(st.st_mode)) < 0)
		r = fail(w, errno);
	close(out);
	return r;
}

/* The entry's type from readdir where the filesystem gives it (every
 * file system /etc is on does), saving a stat of each of hundreds. */
static int entry_mode(int src, const struct dirent *de, mode_t *mode)
{
	struct stat st;
	if (de->d_type != DT_UNKNOWN) {
		*mode = DTTOIF(de->d_type);
		return 0;
	}
	if (fstatat(src, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	*mode = st.st_mode;
	return 0;
}

static int copy_entry(struct walk *w, int src, int dst, const struct dirent *de)
{
	mode_t mode;
	int r = entry_mode(src, de, &mode);
	if (r < 0)
		return source_error(w, -r);
	if (!w->want(w->ctx, w->rel, mode))
		return 0;
	if (S_ISREG(mode))
		return copy_file(w, src, dst, de->d_name);
	if (S_ISLNK(mode))
		return copy_link(w, src, dst, de->d_name);
	if (S_ISDIR(mode))
		return copy_dir(w, src, dst, de->d_name);
	return 0;   /* sockets, fifos, devices: nothing a copy could use */
}

/* Append name to w->rel for the length of one entry. */
static int push(struct walk *w, const char *name, size_t *saved)
{
	size_t len = strlen(w->rel);
	int n = snprintf(w->rel + len, sizeof w->rel - len, "%s%s", len ? "/" : "", name);
	*saved = len;
	if (n < 0 || (size_t)n >= sizeof w->rel - len) {
		w->rel[len] = '\0';
		return err_set(w->e, ENAMETOOLONG, "cannot copy %s/%s/%s: name too long", w->label, w->rel, name);
	}
	return 0;
}

/* Takes src (closed here); dst stays the caller's. */
static int copy_entries(struct walk *w, int src, int dst)
{
	DIR *d = fdopendir(src);
	if (!d) {
		close(src);
		return fail(w, errno);
	}
	struct dirent *de;
	int r = 0;
	while (r == 0 && (errno = 0, de = readdir(d))) {
		size_t saved;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = push(w, de->d_name, &saved);
		if (r == 0)
			r = copy_entry(w, dirfd(d), dst, de);
		w->rel[saved] = '\0';
	}
	if (r == 0 && errno)
		r = fail(w, errno);
	closedir(d);
	return r;
}

int copy_tree(int src_fd, int dst_fd, copy_filter *want, const void *ctx, const char *label, struct err *e)
{
	struct walk w = { .want = want, .ctx = ctx, .label = label, .e = e };
	/* a readable fd of our own: src_fd may be O_PATH, and readdir consumes its fd */
	int src = openat(src_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0)
		return err_sys(e, errno, "cannot read %s", label);
	return copy_entries(&w, src, dst_fd);
}
