/* ctl-passwd.c — looking a user up in a twin's /etc/passwd and userdb
 * records. The files are the twin's root's to write: read with bounds,
 * and whatever they say only chooses an identity inside the twin. */
#include "ctl/ctl-passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX (1 << 20)

static bool to_id(const char *s, size_t len, unsigned long *out)
{
	char num[16];
	if (len == 0 || len >= sizeof num)
		return false;
	for (size_t i = 0; i < len; i++)   /* strtoul would skip blanks, take signs */
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(num, s, len);
	num[len] = '\0';
	char *end;
	errno = 0;
	*out = strtoul(num, &end, 10);
	return !errno && *end == '\0' && *out < 0xffffffffUL;
}

static void copy_field(char *out, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = 0;   /* too long to be a path we could use */
	memcpy(out, s, len);
	out[len] = '\0';
}

/* name:password:uid:gid:gecos:home:shell */
int twin_user_from_passwd(const char *text, size_t len, const char *name, struct twin_user *u)
{
	size_t nl = strlen(name);
	for (const char *p = text, *end = text + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *f[7];
		size_t fl[7], n = 0;
		for (const char *q = p; n < 7 && q <= eol; n++) {
			const char *colon = memchr(q, ':', (size_t)(eol - q));
			f[n] = q;
			fl[n] = (size_t)((colon ? colon : eol) - q);
			q = colon ? colon + 1 : eol + 1;
		}
		unsigned long uid, gid;
		if (n == 7 && fl[0] == nl && memcmp(f[0], name, nl) == 0 && to_id(f[2], fl[2], &uid) && to_id(f[3], fl[3], &gid)) {
			u->uid = (uid_t)uid;
			u->gid = (gid_t)gid;
			copy_field(u->home, sizeof u->home, f[5], fl[5]);
			copy_field(u->shell, sizeof u->shell, f[6], fl[6]);
			return 0;
		}
		p = eol + 1;
	}
	return -ENOENT;
}

/* Four hex digits at p, or -1. */
static int hex4(const char *p, const char *end)
{
	int v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A JSON string at p (after its opening quote) into out; the escapes a
 * path may need, and ASCII \u. Returns the byte after the closing quote. */
static const char *json_string(const char *p, const char *end, char *out, size_t size)
{
	size_t n = 0;
	for (; p < end && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			if (++p >= end)
				return NULL;
			const char *plain = strchr("\"\\/", *p);
			if (*p == 'u') {
				int v = hex4(p + 1, end);
				if (v <= 0 || v > 0x7f)
					return NULL;
				c = (char)v;
				p += 4;
			} else if (plain && *p)
				c = *p;
			else
				return NULL;
		}
		if (n + 1 >= size)
			return NULL;
		out[n++] = c;
	}
	if (p >= end)
		return NULL;
	out[n] = '\0';
	return p + 1;
}

/* The value of "key": in a flat record: a number, or a string into out. */
static bool json_field(const char *text, const char *end, const char *key, char *out, size_t size)
{
	char quoted[64];
	snprintf(quoted, sizeof quoted, "\"%s\":", key);
	size_t ql = strlen(quoted);
	for (const char *p = text; p + ql <= end; p++) {
		if (memcmp(p, quoted, ql) != 0)
			continue;
		p += ql;
		if (p < end && *p == '"')
			return json_string(p + 1, end, out, size) != NULL;
		size_t n = 0;
		while (p + n < end && n + 1 < size && p[n] >= '0' && p[n] <= '9')
			n++;
		memcpy(out, p, n);
		out[n] = '\0';
		return n > 0;
	}
	return false;
}

int twin_user_from_record(const char *text, size_t len, struct twin_user *u)
{
	char num[32];
	unsigned long uid, gid;
	const char *end = text + len;
	if (!json_field(text, end, "uid", num, sizeof num) || !to_id(num, strlen(num), &uid) ||
	    !json_field(text, end, "gid", num, sizeof num) || !to_id(num, strlen(num), &gid))
		return -ENOENT;
	u->uid = (uid_t)uid;
	u->gid = (gid_t)gid;
	if (!json_field(text, end, "homeDirectory", u->home, sizeof u->home))
		u->home[0] = '\0';
	if (!json_field(text, end, "shell", u->shell, sizeof u->shell))
		u->shell[0] = '\0';
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *text = fd < 0 ? NULL : malloc(FILE_MAX);
	ssize_t n = text ? read(fd, text, FILE_MAX) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(text);
		return NULL;
	}
	*len = (size_t)n;
	return text;
}

static int from_file(const char *path, const char *name, struct twin_user *u)
{
	size_t len;
	char *text = slurp(path, &len);
	if (!text)
		return -ENOENT;
	int r = name ? twin_user_from_passwd(text, len, name, u) : twin_user_from_record(text, len, u);
	free(text);
	return r;
}

static bool name_plain(const char *s)
{
	return *s && *s != '.' && strlen(s) < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-$") == strlen(s);
}

int twin_user_lookup(const char *name, const char *twin, struct twin_user *u, struct err *e)
{
	char record[128];
	*u = (struct twin_user){ 0 };
	bool root = !name || strcmp(name, "root") == 0;
	int r = from_file("/etc/passwd", root ? "root" : name, u);
	if (r < 0 && root) {   /* --etc=empty: no passwd at all */
		r = 0;
		snprintf(u->home, sizeof u->home, "/root");
	}
	if (r < 0 && name_plain(name)) {
		snprintf(record, sizeof record, "/run/host/userdb/%s.user", name);
		r = from_file(record, NULL, u);
	}
	if (r < 0)
		return err_set(e, ENOENT, "%s has no user %s (in its /etc/passwd or /run/host/userdb)", twin, name);
	if (!u->home[0])
		snprintf(u->home, sizeof u->home, "/");
	if (!u->shell[0])   /* as volspawn starts root's shell */
		snprintf(u->shell, sizeof u->shell, "%s", access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh");
	return 0;
}
