/* spec — --bind/--bind-ro SRC[:DST[:OPTS]], --tmpfs PATH[:OPTS], and the
 * mount option tokenizer that reads the tmpfs options (spec.c). */
#include "fuzz.h"
#include "cli/values.h"

#include <stdbool.h>

/* A path as next_field reads it back: ':' and '\' escaped. */
static char *escape_field(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	if (!out)
		abort();
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static bool path_ok(const char *p)
{
	return p[0] == '/' && !strstr(p, "/./") && !strstr(p, "/../") &&
	       strcmp(p + strlen(p) - (strlen(p) >= 2 ? 2 : 0), "/.") != 0 &&
	       strcmp(p + strlen(p) - (strlen(p) >= 3 ? 3 : 0), "/..") != 0;
}

static void bind(const char *s, bool read_only)
{
	struct bind b, again;
	struct err e = { 0 };
	if (value_bind(s, read_only, &b, &e) < 0) {
		CHECK(e.code != 0 && e.msg[0]);
		return;
	}
	CHECK(b.read_only == read_only);
	CHECK(path_ok(b.src) && path_ok(b.dst));
	/* what was parsed, written out again, parses to the same */
	char *src = escape_field(b.src), *dst = escape_field(b.dst), *spec;
	if (asprintf(&spec, "%s:%s:%s", src, dst, b.recursive ? "rbind" : "norbind") < 0)
		abort();
	CHECK(value_bind(spec, read_only, &again, &e) == 0);
	CHECK(strcmp(again.src, b.src) == 0 && strcmp(again.dst, b.dst) == 0);
	CHECK(again.recursive == b.recursive);
	value_bind_free(&again);
	value_bind_free(&b);
	free(spec);
	free(src);
	free(dst);
}

/* The options as value_mount_option splits them, written out again with
 * every value quoted; *n gets how many there were. */
static char *mount_options(const char *options, int *n)
{
	char key[128], val[1024];
	const char *p = options;
	size_t size = 0;
	char *out = NULL;
	FILE *m = open_memstream(&out, &size);
	int r;

	if (!m)
		abort();
	*n = 0;
	while ((r = value_mount_option(&p, key, sizeof key, val, sizeof val)) > 0) {
		CHECK(r == 1 || r == 2);
		CHECK(key[0] && strlen(key) < sizeof key && strlen(val) < sizeof val);
		CHECK(!strchr(key, ',') && !strchr(val, '"'));
		CHECK(r == 2 || !val[0]);
		CHECK(*n < 100000);
		fprintf(m, "%s%s%s%s%s", (*n)++ ? "," : "", key, r == 2 ? "=\"" : "", r == 2 ? val : "", r == 2 ? "\"" : "");
	}
	CHECK(r == 0 || r == -EINVAL);
	CHECK(r < 0 || !*p);
	fclose(m);
	if (r < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void tmpfs(const char *s)
{
	struct tmpfs t;
	struct err e = { 0 };
	int n, n2;
	if (value_tmpfs(s, &t, &e) < 0) {
		CHECK(e.code != 0 && e.msg[0]);
		return;
	}
	CHECK(path_ok(t.path) && t.options[0]);
	char *once = mount_options(t.options, &n);
	if (once) {
		char *twice = mount_options(once, &n2);
		CHECK(twice && n2 == n && strcmp(once, twice) == 0);
		free(twice);
	}
	free(once);
	value_tmpfs_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	int n;
	bind(s, false);
	bind(s, true);
	tmpfs(s);
	free(mount_options(s, &n));
	free(s);
	return 0;
}
