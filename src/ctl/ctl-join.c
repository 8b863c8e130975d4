/* ctl-join.c — a worker inside a twin: the twin's namespaces joined, as
 * nsenter joins them. The user owns the twin's user namespace (their
 * front made it), so the kernel lets their child in and make itself root
 * there; nobody else's child, since another user owns no ancestor of it. */
#include "ctl/ctl.h"
#include "lib/channel.h"
#include "lib/clone-ns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The user namespace first: it gives the rights to join the others. No
 * cgroup namespace: a worker's processes are the twin's systemd's to
 * place, or stay where we are. */
static const struct { const char *name; int type; } kinds[TWIN_NS_MAX] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID },
	{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
};

/* Namespaces the twin shares with us (the host's network, by default)
 * are not joined: setns into one's own user namespace is refused. */
static bool shared(const char *name, int fd)
{
	char path[64];
	struct stat ours, theirs;
	snprintf(path, sizeof path, "/proc/self/ns/%s", name);
	return stat(path, &ours) == 0 && fstat(fd, &theirs) == 0 && ours.st_ino == theirs.st_ino &&
	       ours.st_dev == theirs.st_dev;
}

int twin_ns_open(pid_t leader, struct twin_ns *ns, struct err *e)
{
	char path[64];
	*ns = (struct twin_ns){ .root_fd = -1 };
	for (int i = 0; i < TWIN_NS_MAX; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)leader, kinds[i].name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			int r = err_sys(e, errno, "cannot open %s, the twin's %s namespace", path, kinds[i].name);
			twin_ns_close(ns);
			return r;
		}
		if (shared(kinds[i].name, fd)) {
			close(fd);
			continue;
		}
		ns->fd[ns->n] = fd;
		ns->type[ns->n++] = kinds[i].type;
	}
	snprintf(path, sizeof path, "/proc/%d/root", (int)leader);
	if ((ns->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		int r = err_sys(e, errno, "cannot open %s, the twin's root", path);
		twin_ns_close(ns);
		return r;
	}
	return 0;
}

void twin_ns_close(struct twin_ns *ns)
{
	for (int i = 0; i < ns->n; i++)
		close(ns->fd[i]);
	if (ns->root_fd >= 0)
		close(ns->root_fd);
	*ns = (struct twin_ns){ .root_fd = -1 };
}

static const char *kind_name(int type)
{
	for (int i = 0; i < TWIN_NS_MAX; i++)
		if (kinds[i].type == type)
			return kinds[i].name;
	return "?";
}

static int enter(const struct twin_ns *ns, struct err *e)
{
	for (int i = 0; i < ns->n; i++)
		if (setns(ns->fd[i], ns->type[i]) < 0)
			return err_sys(e, errno, "cannot join the twin's %s namespace", kind_name(ns->type[i]));
	if (fchdir(ns->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return err_sys(e, errno, "cannot enter the twin's root");
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return err_sys(e, errno, "cannot become root in the twin");
	return 0;
}

/* Nothing of ours but stdio and the channel, which lands on 3. */
static int only_stdio_and(int sock)
{
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			return -1;
		close(sock);
	}
	syscall(SYS_close_range, 4U, ~0U, 0U);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	return 3;
}

/* The worker, PID N of the twin and our child (CLONE_PARENT): it dies
 * with us, and is a session of its own, so that nothing it starts has our
 * terminal as its controlling one (no TIOCSTI into the user's shell), and
 * of a keyring of its own, so that nothing inside possesses the user's
 * keys. The uid change made it undumpable: container root may signal it,
 * not trace it. */
__attribute__((noreturn)) static void worker(int (*fn)(void *, int), void *arg, int sock, int go)
{
	char c;
	sigset_t none;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(go, &c, 1) != 1 || !channel_peer_alive(sock))
		_exit(1);
	close(go);
	setsid();
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 && errno != ENOSYS) {
		channel_send(sock, MSG_ERROR, -1, &(struct err){ errno, "cannot give the worker a keyring of its own" });
		_exit(1);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	_exit(fn(arg, only_stdio_and(sock)));
}

/* Joins, then clones the worker into the twin's PID namespace (a setns
 * there counts for children only) and is done. */
__attribute__((noreturn)) static void joiner(struct twin_ns *ns, int (*fn)(void *, int), void *arg, int sock)
{
	struct err e = { 0 };
	int go[2];
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (enter(ns, &e) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		if (!e.code)
			err_sys(&e, errno, "cannot create a pipe");
		channel_send(sock, MSG_ERROR, -1, &e);
		_exit(1);
	}
	pid_t pid = clone_ns(CLONE_PARENT);
	if (pid == 0) {
		close(go[1]);
		twin_ns_close(ns);
		worker(fn, arg, sock, go[0]);
	}
	if (pid < 0) {
		channel_send(sock, MSG_ERROR, -1, &(struct err){ errno, "cannot start a process in the twin" });
		_exit(1);
	}
	channel_send_pid(sock, pid);   /* before the worker may say anything */
	_exit(write(go[1], "", 1) == 1 ? 0 : 1);
}

pid_t worker_start(struct twin_ns *ns, int (*fn)(void *arg, int sock), void *arg, int *sock, struct err *e)
{
	int sv[2], fd, pid = -1, status;
	int r = channel_pair(sv);
	if (r < 0)
		return err_sys(e, -r, "cannot create a socket pair");
	pid_t j = fork();
	if (j == 0) {
		close(sv[0]);
		joiner(ns, fn, arg, sv[1]);
	}
	close(sv[1]);
	if (j < 0) {
		close(sv[0]);
		return err_sys(e, errno, "cannot start a process");
	}
	while (waitpid(j, &status, 0) < 0 && errno == EINTR)
		;
	int type = channel_recv(sv[0], &fd, &pid, e);
	if (fd >= 0)
		close(fd);
	if (type != MSG_STARTED) {
		close(sv[0]);
		return type == MSG_ERROR ? -e->code : err_set(e, EIO, "the process joining the twin ended unexpectedly");
	}
	*sock = sv[0];
	return pid;
}
