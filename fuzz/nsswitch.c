/* nsswitch — patching the host's nsswitch.conf so that passwd, group and
 * shadow consult systemd (nsswitch.c). Patching twice changes nothing;
 * what is not a passwd/group/shadow line stays as it was. */
#include "fuzz.h"
#include "etc/etc.h"

#include <stdbool.h>

static char *patch(const char *in, size_t len)
{
	struct err e = { 0 };
	char *out = NULL;
	CHECK(etc_nsswitch_patch(in, len, &out, &e) == 0 && out);
	return out;
}

/* Whether the text has a line "DB:" (leading blanks allowed). */
static bool has_database(const char *text, const char *db)
{
	size_t n = strlen(db);
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p + strspn(p, " \t\r");
		if (!strncmp(q, db, n) && q[n + strspn(q + n, " \t\r")] == ':')
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = patch((const char *)data, size);
	if (memchr(data, '\0', size)) {
		free(out);
		return 0;
	}
	/* every byte of the input is kept, in order */
	size_t i = 0;
	for (const char *o = out; *o && i < size; o++)
		if (*o == (char)data[i])
			i++;
	CHECK(i == size);
	CHECK(has_database(out, "passwd") && has_database(out, "group") && has_database(out, "shadow"));
	char *again = patch(out, strlen(out));
	CHECK(strcmp(again, out) == 0);
	free(again);
	free(out);
	return 0;
}
