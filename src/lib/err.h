/* err.h — one error with its context, carried up to the edge and printed once. */
#pragma once

#include <stddef.h>

struct err {
	int code;       /* positive errno, 0 when unset */
	char msg[512];  /* what went wrong and, where we know it, how to fix it */
};

/* Set e (if not NULL) and return -code, so callers can `return err_set(...)`.
 * The message is used as given; no strerror is appended. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like err_set, but appends ": <strerror(code)>". */
int err_sys(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print "volspawn: <msg>" on stderr; the one place errors reach the user. */
void err_print(const struct err *e);

/* Print "volspawn: <text>" on stderr, for notices that are not errors. */
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
