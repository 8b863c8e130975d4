/* hash-password.c — `volspawn hash-password`, so that a root password is
 * typed, not written on a command line where ps and the shell history see it:
 *   --set-credential=passwd.hashed-password.root:$(volspawn hash-password) */
#include "creds/password.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	printf("Usage: volspawn hash-password\n"
	       "\n"
	       "Read a password and print its yescrypt hash, for\n"
	       "  --set-credential=passwd.hashed-password.root:$(volspawn hash-password)\n"
	       "\n"
	       "On a terminal it asks twice, without echo; otherwise it reads the first\n"
	       "line of stdin.\n"
	       "\n"
	       "  -h --help   this help\n");
}

/* 1 for --help, 0 to go on, or a usage error. */
static int arguments(int argc, char **argv, struct err *e)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
		return err_set(e, EINVAL, "hash-password: unexpected argument '%s'; it reads the password, see volspawn hash-password --help", argv[i]);
	}
	return 0;
}

static int refuse(char *buf, int r)
{
	explicit_bzero(buf, PASSWORD_MAX + 2);
	free(buf);
	return r;
}

/* The first line of stdin, without its newline. */
static int from_stdin(char **out, struct err *e)
{
	char *buf = calloc(PASSWORD_MAX + 2, 1);
	size_t len = 0;
	ssize_t n = 1;

	if (!buf)
		return err_set(e, ENOMEM, "out of memory");
	while (n != 0 && len <= PASSWORD_MAX && !memchr(buf, '\n', len)) {
		n = read(STDIN_FILENO, buf + len, PASSWORD_MAX + 1 - len);
		if (n < 0 && errno != EINTR)
			return refuse(buf, err_sys(e, errno, "hash-password: cannot read stdin"));
		len += n > 0 ? (size_t)n : 0;
	}
	char *nl = memchr(buf, '\n', len);
	size_t line = nl ? (size_t)(nl - buf) : len;
	if (line > PASSWORD_MAX)
		return refuse(buf, err_set(e, EINVAL, "hash-password: the password is longer than %d bytes, more than libxcrypt hashes", PASSWORD_MAX));
	/* The rest is not ours to keep, and password_free wipes up to the NUL. */
	explicit_bzero(buf + line, len - line);
	if (strlen(buf) != line)
		return refuse(buf, err_set(e, EINVAL, "hash-password: the password on stdin holds a NUL byte, which crypt(3) cannot hash"));
	if (line == 0)
		return refuse(buf, err_set(e, EINVAL, "hash-password: no password on stdin; pipe one line in, or run it on a terminal"));
	*out = buf;
	return 0;
}

/* stdin is a terminal: ask on it. A new open of it, since fd 0 itself may
 * be read-only and the prompt must be written. */
static int from_tty(char **out, struct err *e)
{
	int fd = open("/proc/self/fd/0", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int r = password_read(fd >= 0 ? fd : STDIN_FILENO, "Password: ", true, out, e);
	if (fd >= 0)
		close(fd);
	return r;
}

static int print(const char *hash, struct err *e)
{
	errno = 0;
	if (printf("%s\n", hash) < 0 || fflush(stdout) == EOF)
		return err_sys(e, errno ? errno : EIO, "hash-password: cannot write the hash to stdout");
	return 0;
}

int hash_password_main(int argc, char **argv)
{
	struct err e = { 0 };
	char *plain = NULL, *hash = NULL;
	int r = arguments(argc, argv, &e);

	if (r > 0) {
		usage();
		return 0;
	}
	if (r == 0)
		r = isatty(STDIN_FILENO) ? from_tty(&plain, &e) : from_stdin(&plain, &e);
	if (r == 0)
		r = password_hash(plain, &hash, &e);
	if (r == 0)
		r = print(hash, &e);
	password_free(plain);
	free(hash);
	if (r < 0) {
		err_print(&e);
		return 1;
	}
	return 0;
}
