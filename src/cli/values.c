/* values.c — parsers for option values. Pure: no I/O, no global state. */
#include "cli/values.h"
#include "lib/mount-options.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

int value_volatile(const char *s, enum volatile_mode *out, struct err *e)
{
	static const struct { const char *name; enum volatile_mode mode; } names[] = {
		{ "yes", VOLATILE_YES }, { "true", VOLATILE_YES }, { "on", VOLATILE_YES }, { "1", VOLATILE_YES },
		{ "no", VOLATILE_NO }, { "false", VOLATILE_NO }, { "off", VOLATILE_NO }, { "0", VOLATILE_NO },
		{ "state", VOLATILE_STATE }, { "overlay", VOLATILE_OVERLAY },
	};
	if (!s) {
		*out = VOLATILE_YES;
		return 0;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].mode;
			return 0;
		}
	return err_set(e, EINVAL, "--volatile=%s: expected yes, no, state or overlay", s);
}

/* Split off the next ':'-separated field of *p, turning "\:" into ':' and
 * "\\" into '\'. Returns a new string; *p is left after the separator or NULL. */
static char *next_field(const char **p)
{
	const char *s = *p;
	char *out = malloc(strlen(s) + 1), *o = out;
	if (!out)
		return NULL;
	for (; *s && *s != ':'; s++) {
		if (*s == '\\' && (s[1] == ':' || s[1] == '\\'))
			s++;
		*o++ = *s;
	}
	*o = '\0';
	*p = *s == ':' ? s + 1 : NULL;
	return out;
}

/* Absolute, and no "." or ".." component that would make the target unclear. */
static bool path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; (c = strchr(c, '/')); c++) {
		const char *n = c + 1;
		size_t len = strcspn(n, "/");
		if ((len == 1 && n[0] == '.') || (len == 2 && n[0] == '.' && n[1] == '.'))
			return false;
	}
	return true;
}

static int bind_options(const char *opts, struct bind *b, const char *opt, const char *spec, struct err *e)
{
	char *copy = strdup(opts), *save = NULL;
	if (!copy)
		return err_set(e, ENOMEM, "out of memory");
	int r = 0;
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "rbind") == 0)
			b->recursive = true;
		else if (strcmp(o, "norbind") == 0)
			b->recursive = false;
		else if (strcmp(o, "noidmap") == 0)
			;
		else {
			r = err_set(e, EINVAL, "%s=%s: unknown option '%s' (expected rbind or norbind)", opt, spec, o);
			break;
		}
	}
	free(copy);
	return r;
}

int value_bind(const char *s, bool read_only, struct bind *out, struct err *e)
{
	const char *p = s;
	const char *opt = read_only ? "--bind-ro" : "--bind";
	struct bind b = { .read_only = read_only, .recursive = true };
	int r;

	b.src = next_field(&p);
	b.dst = p ? next_field(&p) : NULL;
	char *opts = p ? next_field(&p) : NULL;
	if (!b.src || (p && (!b.dst || !opts))) {
		r = err_set(e, ENOMEM, "out of memory");
		goto fail;
	}
	if (p) {
		r = err_set(e, EINVAL, "%s=%s: too many ':' (expected SRC[:DST[:OPTS]]; write a ':' in a path as '\\:')", opt, s);
		goto fail;
	}
	if (!path_ok(b.src)) {
		r = err_set(e, EINVAL, "%s=%s: source '%s' must be an absolute path without . or .. (expected SRC[:DST[:OPTS]])", opt, s, b.src);
		goto fail;
	}
	if (!b.dst || !b.dst[0]) {
		free(b.dst);
		b.dst = strdup(b.src);
		if (!b.dst) {
			r = err_set(e, ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (!path_ok(b.dst)) {
		r = err_set(e, EINVAL, "%s=%s: destination '%s' must be an absolute path without . or .. (expected SRC[:DST[:OPTS]])", opt, s, b.dst);
		goto fail;
	}
	if (opts && (r = bind_options(opts, &b, opt, s, e)) < 0)
		goto fail;
	free(opts);
	*out = b;
	return 0;
fail:
	free(opts);
	value_bind_free(&b);
	return r;
}

void value_bind_free(struct bind *b)
{
	free(b->src);
	free(b->dst);
	b->src = b->dst = NULL;
}

int value_tmpfs(const char *s, struct tmpfs *out, struct err *e)
{
	const char *p = s;
	struct tmpfs t = { 0 };

	t.path = next_field(&p);
	t.options = strdup(p && *p ? p : "mode=0755");
	if (!t.path || !t.options) {
		value_tmpfs_free(&t);
		return err_set(e, ENOMEM, "out of memory");
	}
	if (!path_ok(t.path)) {
		int r = err_set(e, EINVAL, "--tmpfs=%s: '%s' must be an absolute path without . or .. (expected PATH[:OPTIONS])", s, t.path);
		value_tmpfs_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

void value_tmpfs_free(struct tmpfs *t)
{
	free(t->path);
	free(t->options);
	mount_options_free(t->fs_options);
	*t = (struct tmpfs){ 0 };
}

static int rlimit_value(const char *s, size_t n, unsigned long long *out)
{
	char *end;
	if (n == 8 && strncasecmp(s, "infinity", 8) == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (n == 0 || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end != s + n || *out == RLIM_INFINITY ? -EINVAL : 0;
}

int value_rlimit(const char *s, struct limit *out, struct err *e)
{
	static const struct { const char *name; int resource; } names[] = {
		{ "AS", RLIMIT_AS }, { "CORE", RLIMIT_CORE }, { "CPU", RLIMIT_CPU }, { "DATA", RLIMIT_DATA },
		{ "FSIZE", RLIMIT_FSIZE }, { "LOCKS", RLIMIT_LOCKS }, { "MEMLOCK", RLIMIT_MEMLOCK },
		{ "MSGQUEUE", RLIMIT_MSGQUEUE }, { "NICE", RLIMIT_NICE }, { "NOFILE", RLIMIT_NOFILE },
		{ "NPROC", RLIMIT_NPROC }, { "RSS", RLIMIT_RSS }, { "RTPRIO", RLIMIT_RTPRIO },
		{ "RTTIME", RLIMIT_RTTIME }, { "SIGPENDING", RLIMIT_SIGPENDING }, { "STACK", RLIMIT_STACK },
	};
	const char *eq = strchr(s, '='), *name = strncasecmp(s, "RLIMIT_", 7) == 0 ? s + 7 : s;
	out->resource = -1;
	out->text = s;
	for (size_t i = 0; eq && i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == (size_t)(eq - name) && strncasecmp(name, names[i].name, eq - name) == 0)
			out->resource = names[i].resource;
	if (out->resource < 0)
		return err_set(e, EINVAL, "--rlimit=%s: expected LIMIT=SOFT[:HARD], LIMIT one of NOFILE, NPROC, AS, CPU, CORE... (see getrlimit(2))", s);
	const char *colon = strchr(eq + 1, ':');
	size_t n = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	if (rlimit_value(eq + 1, n, &out->soft) < 0 || rlimit_value(colon ? colon + 1 : eq + 1, colon ? strlen(colon + 1) : n, &out->hard) < 0)
		return err_set(e, EINVAL, "--rlimit=%s: expected numbers or infinity as SOFT[:HARD]", s);
	if (out->soft > out->hard)
		return err_set(e, EINVAL, "--rlimit=%s: the soft limit is above the hard one", s);
	return 0;
}

int value_setenv(const char *s, struct err *e)
{
	const char *eq = strchr(s, '=');
	bool ok = eq && eq != s && !isdigit((unsigned char)s[0]);
	for (const char *c = s; ok && c < eq; c++)
		ok = isalnum((unsigned char)*c) || *c == '_';
	if (!ok)
		return err_set(e, EINVAL, "--setenv=%s: expected NAME=VALUE, NAME made of letters, digits and '_'", s);
	return 0;
}

bool value_hostname_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '.' && s[i + 1] == '.')
			return false;
		if (!(isalnum(c) || c == '-' || c == '.'))
			return false;
	}
	return true;
}

void value_hostname_cleanup(char *s)
{
	char *o = s;
	for (char *c = s; *c; c++) {
		unsigned char ch = *c;
		if (isalnum(ch) || ch == '-' || (ch == '.' && o > s && o[-1] != '.'))
			*o++ = tolower(ch);
	}
	if (o - s > 64)
		o = s + 64;
	while (o > s && o[-1] == '.')
		o--;
	*o = '\0';
}

bool value_user_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32 || s[0] == '-' || s[0] == '$' || isdigit((unsigned char)s[0]) ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || (c == '$' && i == n - 1)))
			return false;
	}
	return true;
}

static const char *const console_names[] = {
	[CONSOLE_INTERACTIVE] = "interactive",
	[CONSOLE_READ_ONLY] = "read-only",
	[CONSOLE_PASSIVE] = "passive",
	[CONSOLE_PIPE] = "pipe",
};

int value_console(const char *s, enum console_mode *out, struct err *e)
{
	for (size_t i = 0; i < sizeof console_names / sizeof *console_names; i++) {
		if (strcmp(s, console_names[i]) == 0) {
			*out = (enum console_mode)i;
			return 0;
		}
	}
	return err_set(e, EINVAL, "--console=%s: expected interactive, read-only, passive or pipe", s);
}

int value_etc(const char *s, enum etc_mode *out, struct err *e)
{
	static const char *const names[] = { [ETC_EMPTY] = "empty", [ETC_BASE] = "base", [ETC_HOST] = "host" };
	for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum etc_mode)i;
			return 0;
		}
	}
	return err_set(e, EINVAL, "--etc=%s: expected empty, base or host", s ? s : "");
}

int value_ownership(const char *s, enum ownership *o, struct err *e)
{
	if (!strcmp(s, "auto"))
		*o = OWNERSHIP_AUTO;
	else if (!strcmp(s, "off"))
		*o = OWNERSHIP_OFF;
	else if (!strcmp(s, "map"))
		*o = OWNERSHIP_MAP;
	else if (!strcmp(s, "chown"))
		return err_set(e, EINVAL, "--private-users-ownership=chown: volspawn never changes the owners of the tree's files; use map (the true owners, shown through a mapping) or off");
	else
		return err_set(e, EINVAL, "--private-users-ownership=%s: expected off, map or auto", s);
	return 0;
}
