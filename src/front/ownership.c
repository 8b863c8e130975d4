/* ownership.c — choosing how /usr shows its owners, and starting the
 * rootless server of the true owners (volspawn-usrfs). */
#include "front/ownership.h"
#include "cli/config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long the server may take to end after the container. */
#define USRFS_END_MS 2000

#ifndef USRFS_PROGRAM
#define USRFS_PROGRAM "/usr/local/libexec/volspawn-usrfs"
#endif

/* Next to our own program (a build directory, or an install into one
 * directory), else where make install puts it. */
static int find_program(char *program)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(program, PATH_MAX, "%s/volspawn-usrfs", dirname(self));
		if (access(program, X_OK) == 0)
			return 0;
	}
	snprintf(program, PATH_MAX, "%s", USRFS_PROGRAM);
	return access(program, X_OK) == 0 ? 0 : -ENOENT;
}

/* Why /usr can't be served here, or NULL. */
static const char *cannot_serve(const struct config *c, char *program, char *why, size_t size)
{
	if (!volatile_traits(c->volatile_mode)->servable)
		return "--volatile=no mounts the tree itself, writable, and the view is read-only";
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "/dev/fuse: %s (distributions make it 0666; as root: chmod 0666 /dev/fuse)", strerror(errno));
		return why;
	}
	close(fd);
	if (find_program(program) < 0) {
		snprintf(why, size, "volspawn-usrfs is not next to volspawn nor at %s; reinstall volspawn", USRFS_PROGRAM);
		return why;
	}
	return NULL;
}

int ownership_serve_usr(const struct config *c, const struct stat *usr, bool *serve, char *program, struct err *e)
{
	char buf[PATH_MAX + 128];
	*serve = false;
	/* measured (bench/ownership, README): served, /usr costs a command
	 * ~4 ms more start-up and 7x slower cold metadata walks, and a command
	 * runs as root already; a boot pays ~10% and gets su, sudo and sshd */
	if (c->ownership == OWNERSHIP_OFF || (c->ownership == OWNERSHIP_DEFAULT && !c->boot && !c->bind_user_sudo))
		return 0;
	/* a tree made inside a container is owned by the user's range
	 * already: shown as it is, it is right; a writable tree is shown as
	 * it is, writable; a tree without /usr has nothing to serve */
	if (c->ownership != OWNERSHIP_MAP && (!usr->st_mode || usr->st_uid != 0 || !volatile_traits(c->volatile_mode)->servable))
		return 0;
	if (!usr->st_mode && volatile_traits(c->volatile_mode)->servable)
		return err_set(e, ENOENT, "--private-users-ownership=map: %s has no /usr directory to serve; use --private-users-ownership=off", c->directory);
	const char *why = cannot_serve(c, program, buf, sizeof buf);
	if (why && c->ownership == OWNERSHIP_MAP)
		return err_set(e, ENOTSUP, "--private-users-ownership=map: %s", why);
	if (why && c->bind_user_sudo)
		return err_set(e, ENOTSUP, "--bind-user-sudo needs /usr's true owners, which can't be shown here: %s", why);
	if (why && !c->quiet)
		notice("/usr shows as owned by nobody, and setuid programs in it do not work: %s", why);
	*serve = !why;
	return 0;
}

int ownership_start_server(const char *program, int fuse_fd, int usr_fd, pid_t *pid, struct err *e)
{
	pid_t parent = getpid();
	*pid = fork();
	if (*pid < 0)
		return err_sys(e, errno, "cannot start %s", program);
	if (*pid > 0)
		return 0;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* the fds land on 3 and 4 (without close-on-exec), whichever numbers
	 * they had: moved above both first */
	int null = open("/dev/null", O_RDWR);
	int fuse = fcntl(fuse_fd, F_DUPFD_CLOEXEC, 5), usr = fcntl(usr_fd, F_DUPFD_CLOEXEC, 5);
	if (null < 0 || fuse < 0 || usr < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(fuse, 3) < 0 || dup2(usr, 4) < 0)
		_exit(1);
	syscall(SYS_close_range, 5U, ~0U, 0U);
	/* the served directory is the one the builder opened and checked,
	 * handed over as it is: never a path to look up again */
	execl(program, "volspawn-usrfs", "3", "4", (char *)NULL);
	fprintf(stderr, "volspawn: cannot run %s: %s\n", program, strerror(errno));
	_exit(127);
}

bool ownership_server_failed(pid_t *pid, struct err *e)
{
	int status;
	if (*pid <= 0 || waitpid(*pid, &status, WNOHANG) != *pid)
		return false;
	*pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return false;   /* it saw the mount go with the container */
	if (WIFSIGNALED(status))
		err_set(e, EIO, "volspawn-usrfs, the server of /usr, was killed by signal %d; the container is stopped", WTERMSIG(status));
	else
		err_set(e, EIO, "volspawn-usrfs, the server of /usr, failed (exit status %d); the container is stopped", WEXITSTATUS(status));
	return true;
}

/* With the container gone, so is the mount: the server ends on its own,
 * or is made to after a while. */
void ownership_stop_server(pid_t *pid)
{
	if (*pid <= 0)
		return;
	int pidfd = (int)syscall(SYS_pidfd_open, *pid, 0);
	struct pollfd p = { pidfd, POLLIN, 0 };
	if (pidfd < 0 || poll(&p, 1, USRFS_END_MS) <= 0)
		kill(*pid, SIGKILL);
	if (pidfd >= 0)
		close(pidfd);
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	*pid = 0;
}
