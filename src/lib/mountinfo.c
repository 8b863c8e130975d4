/* mountinfo.c — reading /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT
 * TARGET OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS", fields
 * separated by one space, with ' ', '\t', '\n' and '\\' in paths written
 * as octal escapes (proc(5)). */
#include "lib/mountinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIELDS_MAX 64

/* The kernel's escapes, undone in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* One line, cut into fields in place: whether it is a mount. */
static bool parse_line(char *line, struct mountinfo_entry *m)
{
	char *f[FIELDS_MAX];
	int n = 0;
	for (char *p = line; n < FIELDS_MAX; n++) {
		f[n] = p;
		char *sp = strchr(p, ' ');
		if (!sp) {
			n++;
			break;
		}
		*sp = '\0';
		p = sp + 1;
	}
	/* the separator comes after the six fixed fields, then three more */
	int sep = 6;
	while (sep < n && strcmp(f[sep], "-"))
		sep++;
	if (sep + 3 >= n || f[4][0] != '/')
		return false;
	unescape(f[4]);
	m->target = f[4];
	m->fstype = f[sep + 1];
	return true;
}

int mountinfo_parse(char *text, mountinfo_fn fn, void *ctx)
{
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		struct mountinfo_entry m;
		int r = parse_line(line, &m) ? fn(&m, ctx) : 0;
		if (r < 0)
			return r;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int mountinfo_read(char **text)
{
	size_t size = 16384, len = 0;
	char *buf = malloc(size);
	int fd = buf ? open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC) : -1, r = 0;
	if (!buf)
		return -ENOMEM;
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (len + 1 >= size) {
			char *bigger = realloc(buf, size *= 2);
			if (!bigger) {
				r = -ENOMEM;
				break;
			}
			buf = bigger;
		}
		ssize_t k = read(fd, buf + len, size - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : 0;
			break;
		}
		len += (size_t)k;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}
