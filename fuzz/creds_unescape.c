/* creds_unescape — the C escapes of --set-credential values
 * (creds-unescape.c): malformed escapes, lengths, and a round trip. */
#include "fuzz.h"
#include "creds/creds.h"

/* Every byte of data as \xHH, which creds_unescape must give back as is. */
static char *escape_all(const char *data, size_t size)
{
	char *out = malloc(4 * size + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < size; i++)
		snprintf(out + 4 * i, 5, "\\x%02x", (unsigned char)data[i]);
	out[4 * size] = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *out, *again;
	const char *bad = NULL;
	size_t n, n2;
	int r = creds_unescape(s, &out, &n, &bad);

	if (r < 0) {
		CHECK(r == -EINVAL || r == -ERANGE);
		CHECK(bad && bad >= s && bad < s + strlen(s) && *bad == '\\');
		free(s);
		return 0;
	}
	CHECK(n <= strlen(s) && out[n] == '\0');
	/* no backslash, no change */
	if (!strchr(s, '\\'))
		CHECK(n == strlen(s) && memcmp(out, s, n) == 0);
	char *escaped = escape_all(out, n);
	CHECK(creds_unescape(escaped, &again, &n2, &bad) == 0);
	CHECK(n2 == n && memcmp(again, out, n) == 0);
	free(again);
	free(escaped);
	free(out);
	free(s);
	return 0;
}
