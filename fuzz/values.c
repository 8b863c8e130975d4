/* values — the one-word option values and names: --volatile, --setenv,
 * --machine/--hostname (and the name derived from a directory), user names
 * (--bind-user, --autologin), --etc, --console, credential IDs, crypt(5)
 * hash recognition, and the sysctl files userns-check.c reads. */
#include "fuzz.h"
#include "cli/values.h"
#include "front/userns-check.h"

#include <ctype.h>

static void names(const char *s)
{
	struct err e = { 0 };
	enum volatile_mode v;
	enum etc_mode m;
	enum console_mode c;

	CHECK(value_volatile(s, &v, &e) == 0 || e.code == EINVAL);
	CHECK(value_etc(s, &m, &e) == 0 || e.code == EINVAL);
	CHECK(value_console(s, &c, &e) == 0 || e.code == EINVAL);
	if (value_setenv(s, &e) == 0) {
		const char *eq = strchr(s, '=');
		CHECK(eq && eq > s && !isdigit((unsigned char)s[0]));
	}
	if (value_user_name_valid(s))
		CHECK(strlen(s) <= 32 && !strchr(s, '/') && !strchr(s, ':') && s[0] != '-');
	if (creds_id_valid(s))
		CHECK(strlen(s) <= 255 && !strchr(s, '/') && !strchr(s, ':') && strcmp(s, "..") != 0);
	if (creds_looks_like_crypt_hash(s))
		CHECK(s[0] == '$' || s[0] == '!' || s[0] == '*' || strlen(s) == 13 || strlen(s) == 20);
	if (creds_looks_like_crypt_hash(s) && s[0] == '$')
		CHECK(!strchr(s, ':') && !strchr(s, '\n'));
}

static void hostname(const char *s)
{
	char *clean = strdup(s);
	if (!clean)
		abort();
	if (value_hostname_valid(s))
		CHECK(strlen(s) <= 64 && !strstr(s, ".."));
	value_hostname_cleanup(clean);
	/* cleaned up, a name is valid or empty (then options.c asks for --machine) */
	CHECK(!clean[0] || value_hostname_valid(clean));
	CHECK(strlen(clean) <= strlen(s));
	if (value_hostname_valid(clean)) {
		char *again = strdup(clean);
		if (!again)
			abort();
		value_hostname_cleanup(again);
		CHECK(strcmp(again, clean) == 0 || strcasecmp(again, clean) == 0);
		free(again);
	}
	free(clean);
}

static void sysctl(const char *s)
{
	long v = userns_sysctl_parse(s);
	CHECK(v >= -1);
	if (v >= 0) {
		char back[32];
		snprintf(back, sizeof back, "%ld", v);
		CHECK(strncmp(s, back, strlen(back)) == 0 || s[0] == '0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	names(s);
	hostname(s);
	sysctl(s);
	free(s);
	return 0;
}
