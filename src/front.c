/* front.c — clone into new namespaces, map ids, supervise, and exit as the
 * container's PID 1 did. */
#include "front.h"
#include "channel.h"
#include "child.h"
#include "err.h"
#include "idmap.h"
#include "layout.h"
#include "mount-util.h"
#include "ostree.h"
#include "userns-check.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct front {
	const struct config *cfg;
	bool root;           /* real root: maps written directly, /usr idmapped */
	struct idmap map;
	pid_t pid;           /* the container's PID 1, as we see it */
	int sock;            /* our end of the channel; -1 once the child is running */
	int sigfd;
	int stop_signals;    /* SIGTERMs and SIGINTs forwarded so far */
	bool ready;
	struct err err;      /* a setup failure, printed once at the end */
};

static int prepare_map(struct front *f)
{
	if (f->root)
		return idmap_pick(&f->map, f->cfg->machine, &f->err);
	struct passwd *pw = getpwuid(getuid());
	if (!pw)
		return err_set(&f->err, ENOENT, "uid %u has no passwd entry; /etc/subuid entries are matched by user name", (unsigned)getuid());
	return idmap_from_subid(&f->map, getuid(), pw->pw_name, &f->err);
}

static int spawn(struct front *f)
{
	int sv[2], r;
	uint64_t flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
			 (f->cfg->private_network ? CLONE_NEWNET : 0);
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

	if ((r = channel_pair(sv)) < 0)
		return err_sys(&f->err, -r, "cannot create a socket pair");
	f->pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
	if (f->pid < 0) {
		int saved = errno;
		close(sv[0]);
		close(sv[1]);
		return userns_explain("/proc/sys", saved, &f->err);
	}
	if (f->pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(sv[0]);
		child_main(f->cfg, sv[1]);
	}
	close(sv[1]);
	f->sock = sv[0];
	return 0;
}

/* Root mode: host-root files show as root inside only through an idmapped
 * mount, which only real root may make; we make it and hand it over. */
static int idmapped_tree(struct front *f)
{
	const char *sub = layout_idmapped_path(f->cfg->volatile_mode);
	char path[4200], ns[64];
	if (!f->root || !sub)
		return -1;
	snprintf(ns, sizeof ns, "/proc/%d/ns/user", (int)f->pid);
	snprintf(path, sizeof path, "%s/%s", f->cfg->directory, sub);
	int userns = open(ns, O_RDONLY | O_CLOEXEC);
	int fd = userns < 0 ? -errno : tree_clone(AT_FDCWD, path, true, f->cfg->volatile_mode == VOLATILE_NO ? 0 : MOUNT_ATTR_RDONLY, userns);
	if (userns >= 0)
		close(userns);
	if (fd < 0 && !f->cfg->quiet)
		notice("cannot idmap %s (%s); its files show as nobody inside", path, strerror(-fd));
	return fd < 0 ? -1 : fd;
}

static int map_and_go(struct front *f)
{
	int r = f->root ? idmap_apply_direct(&f->map, f->pid, &f->err)
			: idmap_apply_helpers(&f->map, f->pid, &f->err);
	if (r < 0)
		return r;
	int fd = idmapped_tree(f);
	r = channel_send(f->sock, MSG_GO, fd, NULL);
	if (fd >= 0)
		close(fd);
	return r < 0 ? err_sys(&f->err, -r, "cannot start the container") : 0;
}

static void on_message(struct front *f)
{
	int fd, type = channel_recv(f->sock, &fd, &f->err);
	if (fd >= 0)
		close(fd);
	if (type == MSG_READY) {
		f->ready = true;
		return;
	}
	if (type == MSG_ERROR && f->err.code == EPERM && !f->root && userns_apparmor_restricted("/proc/sys"))
		userns_explain("/proc/sys", EPERM, &f->err);
	close(f->sock);   /* an error, or the child went away */
	f->sock = -1;
}

/* The first SIGTERM/SIGINT asks the container to stop, the second kills it.
 * A terminal's ^C (SI_KERNEL) reached the container's processes already. */
static void on_signal(struct front *f, const struct signalfd_siginfo *si)
{
	if (si->ssi_code == SI_KERNEL && si->ssi_signo != SIGHUP)
		return;
	if (si->ssi_signo == SIGTERM || si->ssi_signo == SIGINT)
		f->stop_signals++;
	kill(f->pid, f->stop_signals > 1 ? SIGKILL : (int)si->ssi_signo);
}

static int exit_status(struct front *f, int status)
{
	if (!f->ready) {
		if (!f->err.code)
			err_set(&f->err, EIO, "the container's setup ended unexpectedly (status %d)",
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int supervise(struct front *f)
{
	for (;;) {
		struct pollfd p[2] = { { f->sigfd, POLLIN, 0 }, { f->sock, POLLIN, 0 } };
		if (poll(p, f->sock >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			return err_sys(&f->err, errno, "poll");
		if (f->sock >= 0 && p[1].revents)
			on_message(f);
		if (!(p[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(f->sigfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo != SIGCHLD) {
			on_signal(f, &si);
			continue;
		}
		int status;
		if (waitpid(f->pid, &status, WNOHANG) == f->pid) {
			while (f->sock >= 0)   /* a last message may still be queued */
				on_message(f);
			return exit_status(f, status);
		}
	}
}

static void kill_child(struct front *f)
{
	int status;
	kill(f->pid, SIGKILL);
	while (waitpid(f->pid, &status, 0) < 0 && errno == EINTR)
		;
}

int front_run(const struct config *c)
{
	struct front f = { .cfg = c, .root = geteuid() == 0, .sock = -1, .sigfd = -1, .map = { .lock_fd = -1 } };
	sigset_t mask, old;
	int status = 1;

	sigemptyset(&mask);
	for (int s = 0, sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT }; s < 5; s++)
		sigaddset(&mask, sigs[s]);
	sigprocmask(SIG_BLOCK, &mask, &old);
	f.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);

	if (ostree_check(c, &f.err) < 0 || (!f.root && idmap_helpers_present(&f.err) < 0) || spawn(&f) < 0)
		goto out;
	/* the child prepares what it can while we choose and write its maps */
	if (prepare_map(&f) < 0 || map_and_go(&f) < 0) {
		kill_child(&f);
		goto out;
	}
	status = supervise(&f);
out:
	if (f.err.code)
		err_print(&f.err);
	if (f.sock >= 0)
		close(f.sock);
	if (f.sigfd >= 0)
		close(f.sigfd);
	idmap_release(&f.map);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return f.err.code && status == 0 ? 1 : status;
}
