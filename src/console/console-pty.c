/* console-pty.c — the container's side of its console: a pty of its own
 * devpts, and PID 1's stdio on the slave. */
#include "console/console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* /dev/pts/ptmx first: the slave's name "/dev/pts/N" is only right for the
 * devpts mounted at /dev/pts, and /dev/ptmx might be a device node reaching
 * another instance (the host's). */
static int open_ptmx(struct err *e)
{
	static const char *const paths[] = { "/dev/pts/ptmx", "/dev/ptmx" };
	int saved = ENOENT;
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		int fd = open(paths[i], O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		saved = errno;
	}
	return err_sys(e, saved, "cannot open /dev/pts/ptmx or /dev/ptmx for the console");
}

int console_open_pty(int *master, char *slave_path, size_t size, struct err *e)
{
	unsigned int n;
	int fd = open_ptmx(e);
	if (fd < 0)
		return fd;
	if (unlockpt(fd) < 0 || ioctl(fd, TIOCGPTN, &n) < 0) {
		int saved = errno;
		close(fd);
		return err_sys(e, saved, "cannot set up the console's pty");
	}
	if ((size_t)snprintf(slave_path, size, "/dev/pts/%u", n) >= size) {
		close(fd);
		return err_set(e, ENAMETOOLONG, "no room for the console's pty name");
	}
	*master = fd;
	return 0;
}

/* Without O_CLOEXEC: if stdin was closed the slave may land on 0, 1 or 2
 * itself, where dup2 would leave the flag on and exec close it. */
int console_attach_stdio(const char *slave_path, struct err *e)
{
	if (setsid() < 0 && getsid(0) != getpid())
		return err_sys(e, errno, "cannot start a session for the console");
	int fd = open(slave_path, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return err_sys(e, errno, "cannot open the console %s", slave_path);
	for (int i = 0; i < 3; i++) {
		if (fd != i && dup2(fd, i) < 0) {
			int saved = errno;
			if (fd > 2)
				close(fd);
			return err_sys(e, saved, "cannot make %s stdin, stdout and stderr", slave_path);
		}
	}
	if (fd > 2)
		close(fd);
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return err_sys(e, errno, "cannot make %s the controlling terminal", slave_path);
	return 0;
}
