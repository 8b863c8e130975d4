/* front.c — clone into new namespaces, map ids, supervise, and exit as the
 * container's PID 1 did. */
#include "front/front.h"
#include "cgroup/cgroup-scope.h"
#include "cgroup/cgroup.h"
#include "console/console.h"
#include "creds/password.h"
#include "front/front-state.h"
#include "front/ownership.h"
#include "front/tree-check.h"
#include "front/userns-check.h"
#include "idmap/idmap-hole.h"
#include "idmap/idmap-userns.h"
#include "idmap/idmap.h"
#include "inside/builder.h"
#include "inside/handoff.h"
#include "lib/channel.h"
#include "lib/clone-ns.h"
#include "lib/err.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bound users and, rootless in boot mode, the invoking user are mapped
 * one-to-one into the container: a user's files stay theirs, and
 * container root may use the cgroup the user was delegated. As root,
 * bound users' homes are idmapped mounts instead (homes_go). */
static int add_holes(struct front *f)
{
	bool self = f->root || !f->cfg->boot;
	int r = 0;
	for (size_t i = 0; !f->root && i < f->ho.n_users && r == 0; i++) {
		const struct bound_user *u = &f->ho.users[i];
		r = idmap_add_hole(&f->map, u->uid, u->host_uid, u->host_gid, &f->err);
		self |= u->host_uid == getuid();
	}
	if (r == 0 && !self)
		r = idmap_add_hole(&f->map, BIND_USER_UID_MIN, getuid(), getgid(), &f->err);
	return r;
}

static int prepare_map(struct front *f)
{
	int r;
	if (f->root)
		r = idmap_pick(&f->map, f->cfg->machine, &f->err);
	else {
		struct passwd *pw = getpwuid(getuid());
		if (!pw)
			return err_set(&f->err, ENOENT, "uid %u has no passwd entry; /etc/subuid entries are matched by user name", (unsigned)getuid());
		r = idmap_from_subid(&f->map, getuid(), pw->pw_name, &f->err);
	}
	return r < 0 ? r : add_holes(f);
}

/* A booted systemd needs a delegated cgroup: the one we run in, or else a
 * transient scope from the user's own systemd, as systemd-run would get. */
static int find_cgroup(struct front *f)
{
	int r = cgroup_find_delegated(&f->cg, &f->err);
	if (r != -EACCES || f->root)
		return r;
	f->err = (struct err){ 0 };
	if ((r = cgroup_request_scope(f->cfg->machine, &f->err)) < 0)
		return r;
	return cgroup_find_delegated(&f->cg, &f->err);
}

static int spawn(struct front *f)
{
	int sv[2], r;
	/* the builder: the container's own namespaces are made by its first process */
	if ((r = channel_pair(sv)) < 0)
		return err_sys(&f->err, -r, "cannot create a socket pair");
	/* the user's terminal is never the container's: without a pty of
	 * its own, it gets pipes in its place */
	if (f->cfg->console == CONSOLE_PIPE && console_stdio_open(&f->stdio, &f->err) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	f->pid = clone_ns(CLONE_NEWUSER | CLONE_NEWNS);
	if (f->pid < 0) {
		int saved = errno;
		close(sv[0]);
		close(sv[1]);
		console_stdio_started(&f->stdio);
		console_stdio_stop(&f->stdio);
		return userns_explain("/proc/sys", saved, &f->err);
	}
	if (f->pid == 0) {
		/* our signals stay blocked: sent to a PID 1 without a handler they
		 * would be dropped, blocked they wait for the reaper or init */
		close(sv[0]);
		console_stdio_child(&f->stdio);
		builder_main(f->cfg, &f->ho, sv[1]);
	}
	console_stdio_started(&f->stdio);
	close(sv[1]);
	f->sock = sv[0];
	return 0;
}

/* Root mode: host-root files show as root inside only through an idmapped
 * mount, which only real root may make; we make it and hand it over. */
static int idmapped_tree(struct front *f)
{
	const struct volatile_traits *t = volatile_traits(f->cfg->volatile_mode);
	const char *sub = t->idmapped;
	char path[4200], ns[64];
	if (!f->root || !sub || f->cfg->ownership == OWNERSHIP_OFF)
		return -1;
	snprintf(ns, sizeof ns, "/proc/%d/ns/user", (int)f->pid);
	snprintf(path, sizeof path, "%s/%s", f->cfg->directory, sub);
	int userns = open(ns, O_RDONLY | O_CLOEXEC), fd = userns < 0 ? -errno : -1;
	int dir = open(f->cfg->directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* the tree's usr as the builder takes it: beneath the tree, no symlink
	 * followed; one it cannot take is the builder's to report */
	int src = dir < 0 || !*sub ? dir : tree_open_usr(dir, f->cfg->directory, NULL);
	if (userns >= 0 && src >= 0)
		fd = tree_clone(src, "", true, t->tree_read_only ? MOUNT_ATTR_RDONLY : 0, userns);
	if (src >= 0 && src != dir)
		close(src);
	for (int i = 0, fds[] = { userns, dir }; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (fd < 0 && src >= 0 && !f->cfg->quiet)
		notice("cannot idmap %s (%s); its files show as nobody inside", path, strerror(-fd));
	return fd < 0 ? -1 : fd;
}

/* A booted systemd needs a cgroup of its own before it starts. */
static int place_in_cgroup(struct front *f)
{
	char ns[64];
	snprintf(ns, sizeof ns, "/proc/%d/ns/user", (int)f->pid);
	f->userns_fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (f->userns_fd < 0)
		return err_sys(&f->err, errno, "cannot open %s", ns);
	int r = cgroup_create(&f->cg, f->pid, &f->err);
	if (r == 0 && f->root)
		r = cgroup_chown_payload(&f->cg, (uid_t)f->map.uid[0].outside, (gid_t)f->map.gid[0].outside, &f->err);
	if (r == 0 && (r = cgroup_janitor(&f->cg, f->userns_fd)) < 0)
		r = err_sys(&f->err, -r, "cannot start the cgroup janitor");
	return r;
}

/* Root mode: each bound home an idmapped mount on which the user's files
 * show as the user's container uid, sent ahead of MSG_GO in order. */
static int homes_go(struct front *f)
{
	for (size_t i = 0; f->root && i < f->ho.n_users; i++) {
		const struct bound_user *u = &f->ho.users[i];
		unsigned long base_u = f->map.uid[0].outside, base_g = f->map.gid[0].outside;
		int userns = idmap_userns_one(u->host_uid, base_u + u->uid, u->host_gid, base_g + u->gid, &f->err);
		if (userns < 0)
			return userns;
		int fd = tree_clone(AT_FDCWD, u->home, true, 0, userns);
		close(userns);
		if (fd < 0)
			return err_sys(&f->err, -fd, "cannot make an idmapped mount of %s", u->home);
		int r = channel_send(f->sock, MSG_TREE, fd, NULL);
		close(fd);
		if (r < 0)
			return err_sys(&f->err, -r, "cannot start the container");
	}
	return 0;
}

/* A stop asked for while the maps were written: the container never
 * starts. The signals are taken, or they would kill us when we unblock
 * them on the way out. */
static int stop_asked(void)
{
	sigset_t stops;
	struct timespec now = { 0 };
	int sig, first = 0;
	sigemptyset(&stops);
	for (int s = 0, sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT }; s < 4; s++)
		sigaddset(&stops, sigs[s]);
	while ((sig = sigtimedwait(&stops, NULL, &now)) > 0)
		first = first ? first : sig;
	return first;
}

static int map_and_go(struct front *f)
{
	int r = f->root ? idmap_apply_direct(&f->map, f->pid, &f->err)
			: idmap_apply_helpers(&f->map, f->pid, &f->err);
	if (r < 0 || (f->cfg->boot && (r = place_in_cgroup(f)) < 0))
		return r;
	if ((f->aborted_by = stop_asked()))
		return -EINTR;
	if ((r = homes_go(f)) < 0)
		return r;
	int fd = idmapped_tree(f);
	r = channel_send(f->sock, MSG_GO, fd, NULL);
	if (fd >= 0)
		close(fd);
	return r < 0 ? err_sys(&f->err, -r, "cannot start the container") : 0;
}

static void kill_child(struct front *f)
{
	int status;
	kill(f->pid, SIGKILL);
	while (waitpid(f->pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* One container from clone to exit; a reboot runs it again. */
static int run_once(struct front *f)
{
	int status = 1;
	*f = (struct front){ .cfg = f->cfg, .root = f->root, .map = f->map, .sigfd = f->sigfd,
			     .cg = { .base = f->cg.base }, .ho = f->ho, .sock = -1, .userns_fd = -1, .usrfs = f->usrfs };
	if (spawn(f) < 0)
		return 1;
	/* the child prepares what it can while we choose and write its maps */
	if ((f->map.n_uid == 0 && prepare_map(f) < 0) || map_and_go(f) < 0) {
		kill_child(f);
		if (f->aborted_by)
			status = 128 + f->aborted_by;
	} else
		status = supervise(f);
	console_stop(&f->con);
	console_stdio_stop(&f->stdio);
	ownership_stop_server(&f->usrfs_pid);
	if (f->sock >= 0)
		close(f->sock);
	cgroup_destroy(&f->cg, f->userns_fd);
	if (f->userns_fd >= 0)
		close(f->userns_fd);
	return status;
}

int front_run(const struct config *c)
{
	struct front f = { .cfg = c, .root = geteuid() == 0, .sigfd = -1, .map = { .lock_fd = -1 } };
	char usrfs[PATH_MAX] = "";
	struct stat usr;
	sigset_t mask, old;
	int status = 1;

	sigemptyset(&mask);
	for (int s = 0, sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH }; s < 6; s++)
		sigaddset(&mask, sigs[s]);
	sigprocmask(SIG_BLOCK, &mask, &old);
	f.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);   /* a reader of our output that went away is not our death */
	const char *warning = creds_password_warning(&c->creds);
	if (warning && !c->quiet)
		notice("%s", warning);

	if (ostree_check(c, &usr, &f.err) < 0 || (!f.root && idmap_helpers_usable(&f.err) < 0) ||
	    (!f.root && ownership_serve_usr(c, &usr, &f.ho.serve_usr, usrfs, &f.err) < 0) ||
	    bind_user_resolve(c->bind_users, c->n_bind_users, f.root, &f.ho.users, &f.ho.n_users, &f.err) < 0 || (c->boot && find_cgroup(&f) < 0) ||
	    password_ask_all(c, &f.ho.creds, f.ho.users, f.ho.n_users, &f.err) < 0)
		goto out;
	f.usrfs = usrfs;
	do
		status = run_once(&f);
	while (f.reboot && !f.err.code);
out:
	if (f.err.code)
		err_print(&f.err);
	if (f.sigfd >= 0)
		close(f.sigfd);
	free(f.cg.base);
	handoff_free(&f.ho);
	idmap_release(&f.map);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return f.err.code && status == 0 ? 1 : status;
}
