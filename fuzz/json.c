/* json — the UTF-8 check that guards what goes into JSON user records
 * (passwd fields of --bind-user: real name, home, shell) and the string
 * writer (json.c). The check is compared with the Unicode standard's table
 * of well-formed byte sequences; the writer's output is read back. */
#include "fuzz.h"
#include "lib/json.h"

#include <stdbool.h>

/* Unicode 15, table 3-7: the well-formed UTF-8 byte sequences. */
static bool utf8_reference(const unsigned char *s)
{
	static const struct { unsigned char lo0, hi0, lo1, hi1; int n; } rows[] = {
		{ 0x01, 0x7f, 0, 0, 1 },
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 },
		{ 0xe0, 0xe0, 0xa0, 0xbf, 3 }, { 0xe1, 0xec, 0x80, 0xbf, 3 },
		{ 0xed, 0xed, 0x80, 0x9f, 3 }, { 0xee, 0xef, 0x80, 0xbf, 3 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 4 }, { 0xf1, 0xf3, 0x80, 0xbf, 4 },
		{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	while (*s) {
		size_t r = 0;
		while (r < sizeof rows / sizeof rows[0] && (s[0] < rows[r].lo0 || s[0] > rows[r].hi0))
			r++;
		if (r == sizeof rows / sizeof rows[0])
			return false;
		if (rows[r].n > 1 && (s[1] < rows[r].lo1 || s[1] > rows[r].hi1))
			return false;
		for (int i = 2; i < rows[r].n; i++)
			if (s[i] < 0x80 || s[i] > 0xbf)
				return false;
		s += rows[r].n;
	}
	return true;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* json_write_string's output decoded: as s, and nothing raw below 0x20. */
static void read_back(const char *json, size_t len, const char *s)
{
	CHECK(len >= 2 && json[0] == '"' && json[len - 1] == '"');
	const char *p = json + 1, *end = json + len - 1;
	while (p < end) {
		unsigned char c = (unsigned char)*p++;
		CHECK(c >= 0x20 && c != '"');
		if (c == '\\') {
			CHECK(p < end);
			c = (unsigned char)*p++;
			if (c == 'u') {
				CHECK(end - p >= 4 && p[0] == '0' && p[1] == '0' && hex(p[2]) >= 0 && hex(p[3]) >= 0);
				c = (unsigned char)(hex(p[2]) << 4 | hex(p[3]));
				CHECK(c < 0x20);
				p += 4;
			} else {
				CHECK(c == '"' || c == '\\');
			}
		}
		CHECK(c == (unsigned char)*s++);
	}
	CHECK(*s == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *json = NULL;
	size_t len = 0;

	CHECK(json_utf8_valid(s) == utf8_reference((const unsigned char *)s));
	FILE *m = open_memstream(&json, &len);
	if (!m)
		abort();
	json_write_string(m, s);
	CHECK(fclose(m) == 0);
	CHECK(strlen(json) == len);
	read_back(json, len, s);
	free(json);
	free(s);
	return 0;
}
