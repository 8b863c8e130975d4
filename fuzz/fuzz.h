/* fuzz.h — what every libFuzzer harness in fuzz/ shares. */
#pragma once

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a broken one is a finding, so it
 * aborts like a sanitizer report does. */
#define CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

/* The input as a C string (it stops at the first NUL byte, as argv does). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The input as a stream, for parsers that read a FILE. */
static inline FILE *fuzz_stream(const void *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		abort();
	return f;
}
