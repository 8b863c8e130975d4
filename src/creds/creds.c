/* creds.c — --set-credential and --load-credential, with systemd-nspawn's
 * rules, into a list of credentials. */
#include "creds/creds.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESCAPES "\\a \\b \\f \\n \\r \\t \\v \\\\ \\\" \\' \\s \\xHH \\NNN \\uXXXX \\UXXXXXXXX"

bool creds_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > NAME_MAX || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '/' || *p == ':')
			return false;
	return true;
}

/* Why id is not valid, for the message. */
static const char *id_problem(const char *id)
{
	if (!*id)
		return "it is empty";
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return "'.' and '..' are not file names";
	if (strlen(id) > NAME_MAX)
		return "it is longer than 255 bytes";
	if (strchr(id, '/'))
		return "it contains a '/'";
	if (strchr(id, ':'))
		return "it contains a ':'";
	return "it contains a control character or a non-ASCII byte";
}

/* s fit for a message: at most 48 characters, unprintable ones as '?'.
 * An ID can be anything until it is checked. */
static const char *printable(const char *s, char out[52])
{
	size_t i = 0;
	for (; s[i] && i < 48; i++)
		out[i] = s[i] >= 0x20 && s[i] <= 0x7e ? s[i] : '?';
	strcpy(out + i, s[i] ? "..." : "");
	return out;
}

/* The ID before the first ':' of arg, a backslash making the next character
 * literal; *rest is left after the ':'. 0, -EINVAL for no ':' or a trailing
 * backslash, -ENOMEM. */
static int split_id(const char *arg, char **id, const char **rest)
{
	char *out = malloc(strlen(arg) + 1), *o = out;
	const char *p = arg;

	if (!out)
		return -ENOMEM;
	for (; *p && *p != ':'; p++) {
		if (*p == '\\' && !*++p)
			break;
		*o++ = *p;
	}
	*o = '\0';
	if (*p != ':') {
		free(out);
		return -EINVAL;
	}
	*id = out;
	*rest = p + 1;
	return 0;
}

/* what: the option as messages show it, or NULL. */
static int duplicate(const char *what, const char *id, struct err *e)
{
	return err_set(e, EEXIST, "%s%sduplicate credential '%s'; give each ID once across --set-credential and --load-credential",
		       what ? what : "", what ? ": " : "", id);
}

/* The ID of arg, checked: valid and not yet in c. what is the option as
 * messages show it, form what it expects ("ID:VALUE"). */
static int parse_id(const struct credentials *c, const char *what, const char *form, const char *arg,
		    char **id, const char **rest, struct err *e)
{
	char buf[52];
	int r = split_id(arg, id, rest);

	if (r == -ENOMEM)
		return err_set(e, ENOMEM, "out of memory");
	if (r < 0)
		return err_set(e, EINVAL, "%s: expected %s (write a ':' or '\\' in the ID as '\\:' or '\\\\')", what, form);
	if (!creds_id_valid(*id))
		r = err_set(e, EINVAL, "%s: invalid credential ID '%s': %s (an ID is a file name of printable ASCII without ':')",
			    what, printable(*id, buf), id_problem(*id));
	else if (creds_find(c, *id))
		r = duplicate(what, *id, e);
	if (r < 0) {
		free(*id);
		*id = NULL;
	}
	return r;
}

/* How long an escape whose letter is c is meant to be, backslash included. */
static size_t escape_length(char c)
{
	switch (c) {
	case 'U':
		return 10;
	case 'u':
		return 6;
	case 'x':
	case '0' ... '7':
		return 4;
	default:
		return 2;
	}
}

/* The message for a bad escape at bad, without echoing the rest of the
 * value: it is a secret. */
static int bad_escape(const char *id, const char *bad, int r, struct err *e)
{
	char shown[16];
	size_t i = 0;

	if (!bad[1])
		return err_set(e, EINVAL, "--set-credential=%s:<value>: the value ends in a lone '\\'; write a backslash as '\\\\'", id);
	for (; i < escape_length(bad[1]) && bad[i]; i++)
		shown[i] = bad[i] >= 0x20 && bad[i] <= 0x7e ? bad[i] : '?';
	shown[i] = '\0';
	if (r == -ERANGE && bad[1] != 'u' && bad[1] != 'U')
		return err_set(e, EINVAL, "--set-credential=%s:<value>: escape '%s' is above \\377, the largest byte", id, shown);
	if (r == -ERANGE)
		return err_set(e, EINVAL, "--set-credential=%s:<value>: escape '%s' is not a Unicode character (surrogate or above U+10FFFF)", id, shown);
	return err_set(e, EINVAL, "--set-credential=%s:<value>: invalid escape '%s' in the value; allowed: %s", id, shown, ESCAPES);
}

int creds_set(struct credentials *c, const char *arg, struct err *e)
{
	struct credential cred = { 0 };
	const char *value, *bad = NULL;
	int r;

	/* The value is a secret: messages show the option without it. */
	if ((r = parse_id(c, "--set-credential", "ID:VALUE", arg, &cred.id, &value, e)) < 0)
		return r;
	r = creds_unescape(value, &cred.data, &cred.size, &bad);
	if (r == -ENOMEM)
		r = err_set(e, ENOMEM, "out of memory");
	else if (r < 0)
		r = bad_escape(cred.id, bad, r, e);
	else
		r = creds_add(c, &cred, e);
	credential_free(&cred);
	return r;
}

/* Where --load-credential reads src from: src itself when it has a '/'
 * (nspawn's test; a relative one is from the working directory), else the
 * credential of that name passed to us, as nspawn reads it. */
static int source_path(const char *what, const char *src, char **path, struct err *e)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");

	if (strchr(src, '/'))
		*path = strdup(src);
	else if (!creds_id_valid(src))
		return err_set(e, EINVAL, "%s: expected a path or the name of a credential passed to volspawn", what);
	else if (!dir || !*dir)
		return err_set(e, ENXIO, "%s: no credentials passed to volspawn ($CREDENTIALS_DIRECTORY is not set); give a path", what);
	else if (asprintf(path, "%s/%s", dir, src) < 0)
		*path = NULL;
	return *path ? 0 : err_set(e, ENOMEM, "out of memory");
}

int creds_load(struct credentials *c, const char *arg, struct err *e)
{
	struct credential cred = { 0 };
	const char *src;
	char *what, *path = NULL;
	int r;

	if (asprintf(&what, "--load-credential=%s", arg) < 0)
		return err_set(e, ENOMEM, "out of memory");
	if ((r = parse_id(c, what, "ID:PATH", arg, &cred.id, &src, e)) < 0 ||
	    (r = source_path(what, src, &path, e)) < 0)
		goto out;
	if ((r = creds_read(path, &cred.data, &cred.size)) == -ENOMEM)
		r = err_set(e, ENOMEM, "out of memory");
	else if (r < 0)
		r = err_sys(e, -r, "%s: cannot read %s", what, path);
	else
		r = creds_add(c, &cred, e);
out:
	free(what);
	free(path);
	credential_free(&cred);
	return r;
}

const struct credential *creds_find(const struct credentials *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	return NULL;
}

int creds_add(struct credentials *c, struct credential *cred, struct err *e)
{
	if (creds_find(c, cred->id))
		return duplicate(NULL, cred->id, e);
	struct credential *v = reallocarray(c->v, c->n + 1, sizeof *v);
	if (!v)
		return err_set(e, ENOMEM, "out of memory");
	c->v = v;
	c->v[c->n++] = *cred;
	*cred = (struct credential){ 0 };
	return 0;
}

void credential_free(struct credential *cred)
{
	if (cred->data)
		explicit_bzero(cred->data, cred->size);
	free(cred->data);
	free(cred->id);
	*cred = (struct credential){ 0 };
}

void creds_free(struct credentials *c)
{
	for (size_t i = 0; i < c->n; i++)
		credential_free(&c->v[i]);
	free(c->v);
	*c = (struct credentials){ 0 };
}

/* "$id$rest" with a rest of the hash alphabet (and the ',' and '=' of
 * parameters) that holds a '$' and does not end in one: setting$hash. */
static bool dollar_hash(const char *s)
{
	static const char *const ids[] = {
		"$y$", "$gy$", "$7$", "$2b$", "$2a$", "$2x$", "$2y$", "$6$", "$5$",
		"$sha1$", "$md5$", "$md5,", "$1$", "$3$",
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		size_t n = strlen(ids[i]);
		if (strncmp(s, ids[i], n) != 0)
			continue;
		const char *rest = s + n;
		size_t len = strlen(rest);
		return len > 0 && rest[len - 1] != '$' && strchr(rest, '$') &&
		       strspn(rest, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$,=") == len;
	}
	return false;
}

/* The old DES forms crypt(5) still lists: 13 characters, or '_' and 19. */
static bool des_hash(const char *s)
{
	static const char alphabet[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t len = strlen(s);
	if (s[0] == '_')
		return len == 20 && strspn(s + 1, alphabet) == 19;
	return len == 13 && strspn(s, alphabet) == 13;
}

bool creds_looks_like_crypt_hash(const char *s)
{
	/* Locked ("!…") or disabled ("*…"): no password logs in, whatever follows. */
	if (s[0] == '!' || s[0] == '*')
		return true;
	return dollar_hash(s) || des_hash(s);
}

const char *creds_password_warning(const struct credentials *c)
{
	const struct credential *cred = creds_find(c, "passwd.hashed-password.root");
	/* Empty is shadow's "no password", a choice and not a mistake; a NUL
	 * or a trailing newline inside would spoil even a real hash. */
	if (!cred || cred->size == 0 ||
	    (strlen(cred->data) == cred->size && creds_looks_like_crypt_hash(cred->data)))
		return NULL;
	return "credential passwd.hashed-password.root is not a crypt(5) hash; "
	       "for a plain password use passwd.plaintext-password.root, "
	       "or hash it with: volspawn hash-password";
}
