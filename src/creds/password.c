/* password.c — hashing a password with yescrypt, and reading one from a
 * terminal without echo. */
#include "creds/password.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

_Static_assert(PASSWORD_MAX < CRYPT_MAX_PASSPHRASE_SIZE, "libxcrypt hashes passwords shorter than CRYPT_MAX_PASSPHRASE_SIZE");

void password_free(char *p)
{
	if (p)
		explicit_bzero(p, strlen(p));
	free(p);
}

int password_hash(const char *plain, char **hash, struct err *e)
{
	void *data = NULL;
	int size = 0, r = 0;

	if (strlen(plain) > PASSWORD_MAX)
		return err_set(e, EINVAL, "the password is longer than %d bytes, more than libxcrypt hashes", PASSWORD_MAX);
	/* count 0 and no random bytes: yescrypt's default cost and a salt
	 * from the kernel's random source. */
	char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (!salt)
		return err_sys(e, errno ? errno : EINVAL, "cannot make a yescrypt salt (libxcrypt without yescrypt?)");
	const char *h = crypt_ra(plain, salt, &data, &size);
	/* Failure is NULL or, in some builds, a "*0"-style token. */
	if (!h || h[0] == '*')
		r = err_sys(e, errno ? errno : EINVAL, "cannot hash the password with yescrypt");
	else if (!(*hash = strdup(h)))
		r = err_set(e, ENOMEM, "out of memory");
	free(salt);
	if (data)
		explicit_bzero(data, (size_t)size);
	free(data);
	return r;
}

static int write_all(int fd, const char *s, struct err *e)
{
	for (size_t n = strlen(s); n > 0;) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return err_sys(e, errno, "cannot write to the terminal");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Echo off, and raw enough that ^C arrives as a byte: a SIGINT would end
 * us with the terminal still silent. Reading a byte at a time, we edit
 * the line ourselves. */
static int tty_silence(int fd, struct termios *saved, struct err *e)
{
	struct termios t;
	if (tcgetattr(fd, saved) < 0)
		return err_sys(e, errno, "cannot ask for a password: no terminal");
	t = *saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	/* TCSAFLUSH drops what was typed before the prompt, as getpass does. */
	if (tcsetattr(fd, TCSAFLUSH, &t) < 0)
		return err_sys(e, errno, "cannot turn off the terminal's echo");
	return 0;
}

static bool is_key(const struct termios *t, int which, unsigned char c)
{
	return t->c_cc[which] != _POSIX_VDISABLE && t->c_cc[which] == c;
}

int password_edit(const struct termios *t, unsigned char c, struct password_line *l)
{
	if (c == '\n' || c == '\r')
		return 1;
	if (is_key(t, VINTR, c) || is_key(t, VQUIT, c) || (is_key(t, VEOF, c) && l->len == 0 && !l->too_long && !l->nul))
		return -ECANCELED;
	/* Erased bytes are wiped at once: password_free wipes up to the NUL. */
	if (is_key(t, VERASE, c) || c == 0x7f || c == '\b') {
		while (l->len > 0 && ((unsigned char)l->buf[l->len - 1] & 0xc0) == 0x80)
			l->buf[--l->len] = '\0';   /* the rest of a UTF-8 character */
		if (l->len > 0)
			l->buf[--l->len] = '\0';
	} else if (is_key(t, VKILL, c)) {
		explicit_bzero(l->buf, l->len);
		l->len = 0;
		l->too_long = l->nul = false;
	} else if (is_key(t, VEOF, c)) {
		;
	} else if (c == '\0') {
		/* ^@: in the buffer it would cut the password short, and hide
		 * what follows from password_free's wiping */
		l->nul = true;
	} else if (l->len < PASSWORD_MAX) {
		l->buf[l->len++] = (char)c;
	} else {
		l->too_long = true;
	}
	return 0;
}

/* One line from the terminal into buf (PASSWORD_MAX + 1 bytes). A line too
 * long is read to its end before it is refused, so no rest of it is left
 * for the shell to echo. */
static int read_line(int fd, const struct termios *t, char *buf, struct err *e)
{
	struct password_line l = { .buf = buf };
	int r = 0;

	while (r == 0) {
		unsigned char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		/* a pty whose other side closed reads EIO until the hangup
		 * completes, then end of file */
		if (n == 0 || (n < 0 && errno == EIO))
			return err_set(e, EIO, "the terminal closed before the password was typed");
		if (n < 0)
			return err_sys(e, errno, "cannot read the password from the terminal");
		r = password_edit(t, c, &l);
	}
	buf[l.len] = '\0';
	if (r < 0)
		return err_set(e, ECANCELED, "password entry cancelled");
	if (l.too_long)
		return err_set(e, EINVAL, "the password is longer than %d bytes, more than libxcrypt hashes", PASSWORD_MAX);
	if (l.nul)
		return err_set(e, EINVAL, "the password holds a NUL byte (^@), which crypt(3) cannot hash");
	return 0;
}

/* Prompt and read a line into a new *out. */
static int ask(int fd, const struct termios *t, const char *prompt, char **out, struct err *e)
{
	char *buf = calloc(PASSWORD_MAX + 1, 1);
	int r;

	if (!buf)
		return err_set(e, ENOMEM, "out of memory");
	r = write_all(fd, prompt, e);
	if (r == 0)
		r = read_line(fd, t, buf, e);
	/* Enter was not echoed: end the prompt's line ourselves. */
	if (r != -EIO)
		write_all(fd, "\n", NULL);
	if (r < 0) {
		explicit_bzero(buf, PASSWORD_MAX + 1);
		free(buf);
		return r;
	}
	*out = buf;
	return 0;
}

static int ask_twice(int fd, const struct termios *t, const char *prompt, bool confirm, char **out, struct err *e)
{
	char *again = NULL;
	int r = ask(fd, t, prompt, out, e);

	if (r == 0 && !**out)
		r = err_set(e, EINVAL, "an empty password is refused");
	if (r == 0 && confirm && (r = ask(fd, t, "Retype to confirm: ", &again, e)) == 0 && strcmp(*out, again) != 0)
		r = err_set(e, EINVAL, "passwords do not match");
	password_free(again);
	if (r < 0) {
		password_free(*out);
		*out = NULL;
	}
	return r;
}

int password_read(int tty_fd, const char *prompt, bool confirm, char **out, struct err *e)
{
	struct termios saved;
	char *p = NULL;
	int r = tty_silence(tty_fd, &saved, e);

	if (r < 0)
		return r;
	r = ask_twice(tty_fd, &saved, prompt, confirm, &p, e);
	/* TCSAFLUSH: anything typed after the password is dropped, not left
	 * for the shell to echo. */
	if (tcsetattr(tty_fd, TCSAFLUSH, &saved) < 0 && r == 0) {
		password_free(p);
		return err_sys(e, errno, "cannot turn the terminal's echo back on");
	}
	if (r == 0)
		*out = p;
	return r;
}
