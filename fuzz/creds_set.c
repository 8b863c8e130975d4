/* creds_set — --set-credential=ID:VALUE, one per line of the input
 * (creds.c: the ID's own escapes, its checks, duplicates, the value's C
 * escapes), and the warning for a root password that is not a hash. */
#include "fuzz.h"
#include "creds/creds.h"

/* Messages reach a terminal: no control bytes from the input in them. */
static void check_message(const struct err *e)
{
	CHECK(e->code != 0 && e->msg[0]);
	for (const unsigned char *p = (const unsigned char *)e->msg; *p; p++)
		CHECK(*p >= 0x20 && *p <= 0x7e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *save = NULL;
	struct credentials c = { 0 };

	for (char *arg = strtok_r(s, "\n", &save); arg; arg = strtok_r(NULL, "\n", &save)) {
		struct err e = { 0 };
		size_t before = c.n;
		if (creds_set(&c, arg, &e) < 0) {
			CHECK(c.n == before);
			check_message(&e);
			continue;
		}
		CHECK(c.n == before + 1);
		const struct credential *cred = &c.v[c.n - 1];
		CHECK(creds_id_valid(cred->id) && creds_find(&c, cred->id) == cred);
		CHECK(cred->data[cred->size] == '\0');
		/* the same ID again is refused */
		char *dup;
		if (asprintf(&dup, "%s:x", cred->id) < 0)
			abort();
		if (!strchr(cred->id, '\\')) {
			CHECK(creds_set(&c, dup, &e) == -EEXIST && c.n == before + 1);
			check_message(&e);
		}
		free(dup);
	}
	const char *warning = creds_password_warning(&c);
	const struct credential *root = creds_find(&c, "passwd.hashed-password.root");
	CHECK(!warning || root);
	creds_free(&c);
	CHECK(c.n == 0 && !c.v);
	free(s);
	return 0;
}
