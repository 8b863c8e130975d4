/* console-term.c — the user's terminal: our own fds on it, raw mode and
 * back, its window size. */
#include "console/console-term.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* O_NONBLOCK is a property of the open file description, which stdin,
 * stdout and stderr usually share with each other and with the user's
 * shell: set on fd 1 it would make our own stderr drop messages, and left
 * behind by a crash it would break the shell. So a terminal or a pipe is
 * opened anew, which gives a description of our own; anything else (a
 * socket, a file) is switched and switched back. */
int console_fd_open(int fd, int acc, int *flags)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		int own = open(path, acc | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (own >= 0) {
			*flags = -1;
			return own;
		}
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	*flags = fl;
	return fd;
}

void console_fd_close(int fd, int flags)
{
	if (flags < 0)
		close(fd);
	else
		fcntl(fd, F_SETFL, flags);
}

static int set_attr(int fd, const struct termios *t)
{
	int r;
	while ((r = tcsetattr(fd, TCSANOW, t)) < 0 && errno == EINTR)
		;
	return r;
}

/* stdin keeps its output flags in case stdout is another terminal (or no
 * terminal) and it still echoes there; stdout keeps its input flags for the
 * same reason the other way. The same terminal ends up wholly raw. */
int console_raw(struct console *c, struct err *e)
{
	struct termios t;
	if (tcgetattr(c->in, &c->saved_in) == 0) {
		c->in_raw = true;
		t = c->saved_in;
		cfmakeraw(&t);
		t.c_oflag = c->saved_in.c_oflag;
		if (set_attr(c->in, &t) < 0)
			return err_sys(e, errno, "cannot put the terminal in raw mode (try --console=read-only)");
	}
	if (tcgetattr(c->out, &c->saved_out) == 0) {
		c->out_raw = true;
		t = c->saved_out;
		cfmakeraw(&t);
		t.c_iflag = c->saved_out.c_iflag;
		t.c_lflag = c->saved_out.c_lflag;
		if (set_attr(c->out, &t) < 0)
			return err_sys(e, errno, "cannot put the terminal in raw mode (try --console=read-only)");
	}
	return 0;
}

/* In reverse: on one terminal, saved_out was read with stdin already raw. */
void console_unraw(struct console *c)
{
	if (c->out_raw)
		set_attr(c->out, &c->saved_out);
	if (c->in_raw)
		set_attr(c->in, &c->saved_in);
	c->out_raw = c->in_raw = false;
}

static unsigned short env_size(const char *name, unsigned short fallback)
{
	const char *s = getenv(name);
	char *end;
	if (!s || !*s)
		return fallback;
	unsigned long v = strtoul(s, &end, 10);
	return *end || v == 0 || v > 0xffff ? fallback : (unsigned short)v;
}

void console_copy_winsize(int fd, int master)
{
	struct winsize ws = { 0 };
	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		ws = (struct winsize){ 0 };
	/* a serial console often knows no size and says 0x0 */
	if (!ws.ws_col)
		ws.ws_col = env_size("COLUMNS", 80);
	if (!ws.ws_row)
		ws.ws_row = env_size("LINES", 24);
	ioctl(master, TIOCSWINSZ, &ws);
}
