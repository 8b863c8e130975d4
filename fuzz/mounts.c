/* mounts — --bind/--bind-ro SRC[:DST[:OPTS]], --tmpfs PATH[:OPTS]
 * (cli/values.c), and the mount options of a tmpfs as libmount reads them
 * for volspawn (lib/mount-options.c). */
#include "fuzz.h"
#include "cli/values.h"
#include "lib/libmount.h"
#include "lib/mount-options.h"

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

struct written {
	FILE *f;
	int n;
	bool plain;   /* every key and value can be written out and read back */
};

static int write_out(void *ctx, const char *key, const char *value)
{
	struct written *w = ctx;
	CHECK(key[0] && strlen(key) < 128 && (!value || strlen(value) < 1024));
	CHECK(w->n < 100000);
	w->plain &= !strpbrk(key, "=\",") && (!value || !strchr(value, '"'));
	fprintf(w->f, "%s%s%s%s%s", w->n++ ? "," : "", key, value ? "=\"" : "", value ? value : "", value ? "\"" : "");
	return 0;
}

/* The options as mount_options_parse reads them, written out again with
 * every value quoted and the mount attributes as flags; *n gets how many
 * there were, *plain whether they can be read back the same. */
static char *mount_options(const char *options, int *n, bool *plain)
{
	size_t size = 0;
	char *out = NULL;
	uint64_t attr = 0;
	struct written w = { open_memstream(&out, &size), 0, true };
	if (!w.f)
		abort();
	int r = mount_options_parse(options, &attr, write_out, &w);
	CHECK(r == 0 || r == -EINVAL);
	static const struct { uint64_t attr; const char *name; } flags[] = {
		{ MOUNT_ATTR_RDONLY, "ro" }, { MOUNT_ATTR_NOSUID, "nosuid" }, { MOUNT_ATTR_NODEV, "nodev" },
		{ MOUNT_ATTR_NOEXEC, "noexec" }, { MOUNT_ATTR_NOSYMFOLLOW, "nosymfollow" },
	};
	for (size_t i = 0; r == 0 && i < sizeof flags / sizeof flags[0]; i++)
		if (attr & flags[i].attr)
			fprintf(w.f, "%s%s", w.n++ ? "," : "", flags[i].name);
	fclose(w.f);
	*n = w.n;
	*plain = w.plain;
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
	bool plain, plain2;
	if (value_tmpfs(s, &t, &e) < 0) {
		CHECK(e.code != 0 && e.msg[0]);
		return;
	}
	CHECK(path_ok(t.path) && t.options[0]);
	char *once = mount_options(t.options, &n, &plain);
	if (once && plain) {
		/* the attributes come back after the options: a third reading
		 * is the same as the second */
		char *twice = mount_options(once, &n2, &plain2);
		CHECK(twice && n2 == n);
		char *thrice = mount_options(twice, &n2, &plain2);
		CHECK(thrice && strcmp(twice, thrice) == 0);
		free(twice);
		free(thrice);
	}
	free(once);
	value_tmpfs_free(&t);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	libmount_preload();   /* loaded once, not at every input */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	int n;
	bool plain;
	bind(s, false);
	bind(s, true);
	tmpfs(s);
	free(mount_options(s, &n, &plain));
	free(s);
	return 0;
}
