/* err.c — building and printing error messages. */
#include "lib/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct err *e, int code, int with_strerror, const char *fmt, va_list ap)
{
	if (code <= 0)
		code = EINVAL;
	if (e) {
		e->code = code;
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		if (with_strerror) {
			size_t n = strlen(e->msg);
			snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(code));
		}
	}
	return -code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(e, code, 0, fmt, ap);
	va_end(ap);
	return r;
}

int err_sys(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(e, code, 1, fmt, ap);
	va_end(ap);
	return r;
}

void err_print(const struct err *e)
{
	fprintf(stderr, "volspawn: %s\n", e->msg[0] ? e->msg : strerror(e->code));
}

void notice(const char *fmt, ...)
{
	va_list ap;
	fputs("volspawn: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
