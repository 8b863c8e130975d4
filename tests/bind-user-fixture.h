/* bind-user-fixture.h — what the test_bind_user*.c programs share: the
 * records of bound users written into a directory, and a look at them. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "users/bind-user.h"

static inline int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries, sorted and joined with spaces. */
static inline void assert_entries(int dirfd, const char *want)
{
	char *names[16], joined[512] = "";
	size_t n = 0;
	DIR *d = fdopendir(dup(dirfd));
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_name[0] != '.' && n < 16)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		strcat(strcat(joined, i ? " " : ""), names[i]);
		free(names[i]);
	}
	assert_string_equal(joined, want);
}

static inline void assert_file(int dirfd, const char *name, mode_t mode, const char *content)
{
	struct stat st;
	char buf[1024];
	assert_int_equal(fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ssize_t k = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(k >= 0);
	buf[k] = '\0';
	assert_string_equal(buf, content);
}

static inline void write_records(int dirfd, const struct bound_user *u)
{
	struct err e = { 0 };
	/* the modes are the records' own, whatever the umask */
	mode_t old = umask(077);
	int r = bind_user_write_records(dirfd, u, &e);
	umask(old);
	if (r != 0)
		fail_msg("bind_user_write_records = %d: %s", r, e.msg);
}
