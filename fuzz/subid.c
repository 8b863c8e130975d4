/* subid — /etc/subuid and /etc/subgid text (subid.c), against a
 * reference reading of the same rules written for the harness: whole
 * lines "owner:start:count" in decimal, '#' lines and anything else
 * skipped (lines holding a NUL byte too), ranges past id 2^32-2
 * skipped. */
#include "fuzz.h"
#include "idmap/subid.h"

#include <stdbool.h>

#define MAX_ENTRIES 4096

struct ref {
	char owner[256];
	unsigned long start, count;
};

static bool number(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (SUBID_END - (unsigned long)(*s - '0')) / 10)
			return false;  /* past SUBID_END: skipped in any case */
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

/* The entries of text, in order; returns how many. */
static size_t reference(const char *text, size_t size, struct ref *v)
{
	size_t n = 0;
	for (const char *p = text, *end = text + size; p < end && n < MAX_ENTRIES;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		struct ref r;
		if (!memchr(p, '\0', (size_t)(eol - p)) && p[0] != '#' && c2 && c1 > p &&
		    (size_t)(c1 - p) < sizeof r.owner && number(c1 + 1, c2, &r.start) &&
		    number(c2 + 1, eol, &r.count) && r.count <= SUBID_END - r.start) {
			memcpy(r.owner, p, (size_t)(c1 - p));
			r.owner[c1 - p] = '\0';
			v[n++] = r;
		}
		p = eol + (nl != NULL);
	}
	return n;
}

static bool owner_is(const char *owner, const char *name, unsigned long uid)
{
	unsigned long n;
	return strcmp(owner, name) == 0 || (number(owner, owner + strlen(owner), &n) && n == uid);
}

static void find(const uint8_t *data, size_t size, const struct ref *v, size_t n, unsigned long need)
{
	struct subid_range got, want = { 0 };
	int want_r = -ENOENT;
	FILE *f = fuzz_stream(data, size);
	int r = subid_find(f, "alice", 1000, need, &got);
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		if (!owner_is(v[i].owner, "alice", 1000))
			continue;
		if (v[i].count >= need) {
			want = (struct subid_range){ v[i].start, v[i].count };
			want_r = 0;
			break;
		}
		want_r = -ERANGE;
		if (v[i].count > want.count)
			want = (struct subid_range){ v[i].start, v[i].count };
	}
	CHECK(r == want_r);
	CHECK(got.start == want.start && got.count == want.count);
	CHECK(got.start + got.count <= SUBID_END);
}

static void overlaps(const uint8_t *data, size_t size, const struct ref *v, size_t n, unsigned long start)
{
	bool want = false;
	FILE *f = fuzz_stream(data, size);
	bool got = subid_overlaps(f, start, 65536);
	fclose(f);
	for (size_t i = 0; i < n && !want; i++)
		want = start < v[i].start + v[i].count && v[i].start < start + 65536;
	CHECK(got == want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ref v[MAX_ENTRIES];
	size_t n;

	if (size == 0 || size > 65536)
		return 0;
	n = reference((const char *)data, size, v);
	if (n == MAX_ENTRIES)
		return 0;
	find(data, size, v, n, 65536);
	find(data, size, v, n, 1);

	FILE *f = fuzz_stream(data, size);
	unsigned long suggest = subid_suggest(f), want = 100000;
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (v[i].start + v[i].count > want)
			want = v[i].start + v[i].count;
	CHECK(suggest == want);

	overlaps(data, size, v, n, 100000);
	overlaps(data, size, v, n, 0);
	for (size_t i = 0; i < n && i < 4; i++) {
		overlaps(data, size, v, n, v[i].start);
		overlaps(data, size, v, n, v[i].start + v[i].count);
	}
	return 0;
}
