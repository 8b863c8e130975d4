/* creds-unescape.c — C escapes in --set-credential values, as systemd's
 * cunescape() with UNESCAPE_ACCEPT_NUL reads them. Pure. */
#include "creds/creds.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at s; the string's NUL ends a short one. */
static int hex_number(const char *s, int n, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++) {
		int d = hex_digit(s[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Exactly three octal digits at s, at most 0377. */
static int octal_byte(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		v = v << 3 | (uint32_t)(s[i] - '0');
	}
	*out = v;
	return v > 0377 ? -ERANGE : 0;
}

/* Code points UTF-8 can encode: not a UTF-16 surrogate, not past Unicode. */
static bool code_point_ok(uint32_t c)
{
	return c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);
}

static size_t utf8_put(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* \x and octal give one byte as is; \u and \U a character in UTF-8. */
static int unicode(const char *s, int digits, char *o, size_t *out_len)
{
	uint32_t c;
	if (hex_number(s, digits, &c) < 0)
		return -EINVAL;
	if (!code_point_ok(c))
		return -ERANGE;
	*out_len = utf8_put(o, c);
	return digits;
}

/* One escape after its backslash at s, written to o. Returns how many
 * characters after the backslash it used, or -EINVAL/-ERANGE. */
static int unescape_one(const char *s, char *o, size_t *out_len)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
	uint32_t v;
	int r;

	*out_len = 1;
	for (const char *p = simple; *s && *p; p += 2)
		if (*s == p[0]) {
			*o = p[1];
			return 1;
		}
	switch (*s) {
	case 'x':
		if (hex_number(s + 1, 2, &v) < 0)
			return -EINVAL;
		*o = (char)v;
		return 3;
	case 'u':
		return (r = unicode(s + 1, 4, o, out_len)) < 0 ? r : r + 1;
	case 'U':
		return (r = unicode(s + 1, 8, o, out_len)) < 0 ? r : r + 1;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		if ((r = octal_byte(s, &v)) < 0)
			return r;
		*o = (char)v;
		return 3;
	default:
		return -EINVAL;
	}
}

int creds_unescape(const char *s, char **data, size_t *size, const char **bad)
{
	/* No escape grows: "\uXXXX" is 6 characters for at most 3 bytes,
	 * "\UXXXXXXXX" 10 for at most 4. */
	char *out = malloc(strlen(s) + 1), *o = out;
	size_t len;
	int r;

	if (!out)
		return -ENOMEM;
	for (const char *p = s; *p; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		if ((r = unescape_one(p + 1, o, &len)) < 0) {
			*bad = p;
			explicit_bzero(out, (size_t)(o - out));
			free(out);
			return r;
		}
		o += len;
		p += r;
	}
	*o = '\0';
	*data = out;
	*size = (size_t)(o - out);
	return 0;
}
