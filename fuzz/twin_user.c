/* twin_user — a command twin's users as volspawnctl reads them
 * (ctl/ctl-passwd.c): /etc/passwd lines and userdb records, files the
 * twin's root writes. The input's first line is the name looked up, the
 * rest the file. Whatever is found fits its fields, NUL-terminated; a
 * passwd line found is one the harness finds too, with the same ids. */
#include "fuzz.h"
#include "ctl/ctl-passwd.h"

#include <stdbool.h>

static void fits(const struct twin_user *u)
{
	CHECK(memchr(u->home, '\0', sizeof u->home) != NULL);
	CHECK(memchr(u->shell, '\0', sizeof u->shell) != NULL);
	CHECK(u->uid != (uid_t)-1 && u->gid != (gid_t)-1);
}

/* The decimal digits of [s, end), leading zeros and all, or false. */
static bool digits(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > 0xffffffffUL)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

/* Whether some line of text is "name:x:uid:gid:..." with these ids. */
static bool has_line(const char *text, size_t len, const char *name, const struct twin_user *u)
{
	size_t nl = strlen(name);
	for (const char *p = text, *end = text + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(eol - c2 - 1)) : NULL;
		const char *c4 = c3 ? memchr(c3 + 1, ':', (size_t)(eol - c3 - 1)) : NULL;
		unsigned long uid, gid;
		if (c4 && (size_t)(c1 - p) == nl && !memcmp(p, name, nl) && digits(c2 + 1, c3, &uid) &&
		    digits(c3 + 1, c4, &gid) && uid == u->uid && gid == u->gid)
			return true;
		p = eol + 1;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(text, '\n', size);
	size_t name_len = nl ? (size_t)(nl - text) : 0;
	if (!nl || name_len == 0 || name_len > 64 || memchr(text, '\0', name_len))
		return 0;
	char name[65];
	memcpy(name, text, name_len);
	name[name_len] = '\0';
	const char *file = nl + 1;
	size_t len = size - name_len - 1;
	struct twin_user u = { 0 };
	if (twin_user_from_passwd(file, len, name, &u) == 0) {
		fits(&u);
		CHECK(has_line(file, len, name, &u));
	}
	u = (struct twin_user){ 0 };
	if (twin_user_from_record(file, len, &u) == 0)
		fits(&u);
	return 0;
}
