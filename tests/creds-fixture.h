/* creds-fixture.h — what the test_creds*.c programs share: a credential
 * list, an error and a scratch directory for each test, with assertions on
 * what creds/ returns. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds/creds.h"

#define assert_contains(haystack, needle)                                        \
	do {                                                                     \
		if (!strstr((haystack), (needle)))                               \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

/* A credential list, an error and a scratch directory, for each test. */
struct fixture {
	struct credentials c;
	struct err e;
	char dir[64];
	char *saved_credentials_directory;
};

static inline int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *cd = getenv("CREDENTIALS_DIRECTORY");
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/volspawn-test-creds-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->saved_credentials_directory = cd ? strdup(cd) : NULL;
	unsetenv("CREDENTIALS_DIRECTORY");
	*state = f;
	return 0;
}

static inline int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	int r = nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (f->saved_credentials_directory)
		setenv("CREDENTIALS_DIRECTORY", f->saved_credentials_directory, 1);
	else
		unsetenv("CREDENTIALS_DIRECTORY");
	free(f->saved_credentials_directory);
	creds_free(&f->c);
	free(f);
	return r;
}

/* The path of name in the scratch directory. */
static inline char *scratch(struct fixture *f, const char *name, char buf[4096])
{
	snprintf(buf, 4096, "%s/%s", f->dir, name);
	return buf;
}

static inline void write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), (ssize_t)size);
	assert_int_equal(close(fd), 0);
}

static inline void assert_ok(int r, const struct err *e)
{
	if (r != 0)
		fail_msg("returned %d: %s", r, e->msg);
}

static inline void assert_fails(int r, int code, const struct err *e)
{
	if (r != -code)
		fail_msg("returned %d, expected %d (%s)", r, -code, e->msg);
	assert_int_equal(e->code, code);
	assert_null(strchr(e->msg, '\n'));
}

/* The one credential in c is id with these bytes. */
static inline void assert_credential(const struct credentials *c, const char *id, const char *data, size_t size)
{
	const struct credential *cred = creds_find(c, id);
	if (!cred)
		fail_msg("no credential '%s'", id);
	assert_int_equal(cred->size, size);
	assert_memory_equal(cred->data, data, size);
	assert_int_equal(cred->data[size], '\0');
}

#define creds_test(t) cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)
