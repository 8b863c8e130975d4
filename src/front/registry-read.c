/* registry-read.c — the registry's entries: their text, and which of them
 * a live front still holds. */
#include "front/registry.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER "volspawn-twin 1\n"
#define TEXT_MAX 65536

bool registry_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > REGISTRY_NAME_MAX || s[0] == '.' || s[n - 1] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || (s[i] == '.' && s[i + 1] != '.')))
			return false;
	return true;
}

/* A tree's path may hold any byte but NUL: a newline and a backslash are
 * escaped, so that each field is one line. */
int registry_format(char *buf, size_t size, const char *name, const char *tree, bool boot, uint64_t since_usec)
{
	int n = snprintf(buf, size, HEADER "name=%s\nmode=%s\nsince=%" PRIu64 "\ntree=", name, boot ? "boot" : "command",
			 since_usec);
	const char *p = tree;
	for (; n >= 0 && (size_t)n + 3 < size && *p; p++) {
		if (*p == '\n' || *p == '\\')
			buf[n++] = '\\';
		buf[n++] = *p == '\n' ? 'n' : *p;
	}
	if (n < 0 || *p || (size_t)n + 6 > size)
		return -ENAMETOOLONG;
	memcpy(buf + n, "\nend\n", 6);
	return n + 5;
}

static char *unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	for (size_t i = 0; out && i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++, *o++ = s[i] == 'n' ? '\n' : s[i];
		else
			*o++ = s[i];
	}
	if (out)
		*o = '\0';
	return out;
}

/* The value of "key=" on a line of its own, and its length. */
static const char *field(const char *text, size_t len, const char *key, size_t *vlen)
{
	size_t k = strlen(key);
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		if ((size_t)(nl - p) > k && memcmp(p, key, k) == 0 && p[k] == '=') {
			*vlen = (size_t)(nl - p) - k - 1;
			return p + k + 1;
		}
		p = nl + 1;
	}
	return NULL;
}

int registry_parse(const char *text, size_t len, struct registry_entry *out)
{
	size_t hl = strlen(HEADER), nl, ml, sl, tl;
	if (len < hl + 4 || memcmp(text, HEADER, hl) != 0 || memcmp(text + len - 4, "end\n", 4) != 0)
		return -EAGAIN;
	const char *name = field(text, len, "name", &nl), *mode = field(text, len, "mode", &ml),
		   *since = field(text, len, "since", &sl), *tree = field(text, len, "tree", &tl);
	if (!name || !mode || !since || !tree || nl > REGISTRY_NAME_MAX || sl > 20)
		return -EAGAIN;
	char num[21];
	memcpy(num, since, sl);
	num[sl] = '\0';
	memcpy(out->name, name, nl);
	out->name[nl] = '\0';
	out->boot = ml == 4 && memcmp(mode, "boot", 4) == 0;
	out->since_usec = strtoull(num, NULL, 10);
	out->tree = unescape(tree, tl);
	return out->tree ? 0 : -ENOMEM;
}

bool registry_still_there(int fd, int dir_fd, const char *name)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && fstatat(dir_fd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The entry's fd if a live front holds it (*front its pid); -1 when it is
 * gone or was stale, and then dropped. */
static int open_live(int dir_fd, const char *name, pid_t *front)
{
	for (int tries = 0; tries < 100; tries++) {
		int fd = openat(dir_fd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return -1;
		struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 }, l = q;
		if (fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK) {
			*front = q.l_pid;
			return fd;
		}
		if (fcntl(fd, F_SETLK, &l) == 0) {   /* no front holds it: it is stale */
			if (registry_still_there(fd, dir_fd, name))
				unlinkat(dir_fd, name, 0);
			close(fd);
			return -1;
		}
		close(fd);   /* locked between our two looks: look again */
	}
	return -1;
}

int registry_check(int dir_fd, const char *name, pid_t *front)
{
	int fd = open_live(dir_fd, name, front);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* A front writes its entry just after it takes the lock: a reader may come
 * in between, and waits for the text a moment. */
static void read_entry(int fd, const char *name, pid_t front, struct registry_entry *out)
{
	char *text = malloc(TEXT_MAX);
	for (int tries = 0; text && tries < 100; tries++) {
		ssize_t n = pread(fd, text, TEXT_MAX, 0);
		if (n > 0 && registry_parse(text, (size_t)n, out) == 0)
			break;
		usleep(10000);
	}
	free(text);
	snprintf(out->name, sizeof out->name, "%.*s", REGISTRY_NAME_MAX, name);
	out->front = front;
	if (!out->tree)
		out->tree = strdup("?");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct registry_entry *)a)->name, ((const struct registry_entry *)b)->name);
}

static int collect(int dir_fd, struct registry_entry **entries, size_t *n)
{
	int dup_fd = dup(dir_fd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	size_t cap = 0;
	struct dirent *de;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		pid_t front = 0;
		if (!registry_name_valid(de->d_name))
			continue;
		int fd = open_live(dir_fd, de->d_name, &front);
		if (fd < 0)
			continue;
		if (*n == cap) {
			struct registry_entry *more = realloc(*entries, (cap = cap ? 2 * cap : 8) * sizeof *more);
			if (!more) {
				close(fd);
				closedir(d);
				return -ENOMEM;
			}
			*entries = more;
		}
		(*entries)[*n] = (struct registry_entry){ 0 };
		read_entry(fd, de->d_name, front, &(*entries)[(*n)++]);
		close(fd);
	}
	closedir(d);
	return 0;
}

int registry_list(struct registry_entry **entries, size_t *n, struct err *e)
{
	struct registry_dir d;
	*entries = NULL;
	*n = 0;
	int r = registry_dir_open(&d, false, e);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	r = collect(d.fd, entries, n);
	registry_dir_close(&d);   /* and gone, if all it held was stale */
	if (r < 0) {
		registry_entries_free(*entries, *n);
		*entries = NULL;
		*n = 0;
		return err_sys(e, -r, "cannot read %s", d.path);
	}
	if (*n > 0)   /* none: *entries is NULL, which qsort may not be given */
		qsort(*entries, *n, sizeof **entries, by_name);
	return 0;
}

void registry_entries_free(struct registry_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(entries[i].tree);
	free(entries);
}
