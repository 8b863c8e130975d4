/* cgroup — the kernel's text that boot mode reads (cgroup.c):
 * /proc/self/mountinfo, for where cgroup2 is mounted, and /proc/self/cgroup,
 * for our own cgroup. Paths in both are chosen by whoever names the mount
 * point or the cgroup. The input is read as each file; then it is made the
 * mount point of a cgroup2 line (after a '/': the kernel writes absolute
 * paths only), escaped as the kernel does, and must come back as it was. */
#include "fuzz.h"
#include "cgroup/cgroup.h"
#include "lib/libmount.h"

/* The kernel's mangle(): ' ', '\t', '\n' and '\\' as octal escapes. */
static char *kernel_escape(const char *s)
{
	char *out = malloc(4 * strlen(s) + 1), *o = out;
	if (!out)
		abort();
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			o += sprintf(o, "\\%03o", (unsigned char)*s);
		else
			*o++ = *s;
	*o = '\0';
	return out;
}

static void round_trip(const char *point)
{
	char out[1024], *line, *escaped = kernel_escape(point);
	int n = asprintf(&line, "24 1 0:22 /a /b rw - tmpfs t rw\n"
				"35 24 0:30 / %s rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n", escaped);
	if (n < 0)
		abort();
	FILE *f = fuzz_stream(line, (size_t)n);
	int r = cgroup2_mount_from(f, out, sizeof out);
	fclose(f);
	if (strlen(point) < sizeof out)
		CHECK(r == 0 && strcmp(out, point) == 0);
	else
		CHECK(r == -ENAMETOOLONG);
	free(line);
	free(escaped);
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
	char out[1024];
	FILE *f;
	int r;

	if (size > 65536)
		return 0;
	f = fuzz_stream(data, size);
	r = cgroup2_mount_from(f, out, sizeof out);
	fclose(f);
	CHECK(r == 0 || r == -ENOENT || r == -ENAMETOOLONG);
	if (r == 0)
		CHECK(strlen(out) < sizeof out);

	f = fuzz_stream(data, size);
	r = cgroup_self_from(f, out, sizeof out);
	fclose(f);
	CHECK(r == 0 || r == -ENOENT || r == -ENAMETOOLONG);
	if (r == 0)
		CHECK(strlen(out) < sizeof out && !strchr(out, '\n'));

	char *s = fuzz_string(data, size), *point;
	if (asprintf(&point, "/%s", s) < 0)
		abort();
	round_trip(point);
	free(point);
	free(s);
	return 0;
}
