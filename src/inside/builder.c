/* builder.c — the builder: the front's child in a user namespace of its
 * own (the one the sub-range is mapped into), it opens the sources as the
 * user, mounts the container's tree once the maps are written, and clones
 * the container's first process below it. */
#include "inside/builder.h"
#include "front/tree-check.h"
#include "idmap/idmap.h"
#include "inside/env.h"
#include "inside/first-process.h"
#include "inside/layout.h"
#include "lib/channel.h"
#include "lib/clone-ns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void builder_fail(int sock, const struct err *e)
{
	channel_send(sock, MSG_ERROR, -1, e);
	_exit(1);
}

/* Host paths are opened before we become container root: the invoking user
 * may reach paths (a 0700 home) that container root may not. */
static int open_sources(const struct config *c, struct layout *l, struct err *e)
{
	l->tree_fd = open(c->directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (l->tree_fd < 0)
		return err_sys(e, errno, "cannot open %s", c->directory);
	/* the front checked the tree; this is the open that counts */
	l->usr_fd = tree_open_usr(l->tree_fd, c->directory, e);
	if (l->usr_fd == -ENOENT && volatile_traits(c->volatile_mode)->merged_usr)
		return err_set(e, ENOENT, "%s has no /usr directory; --volatile=yes uses only the tree's /usr", c->directory);
	if (l->usr_fd == -ENOENT && l->ho->serve_usr)
		return err_set(e, ENOENT, "--private-users-ownership=map: %s has no /usr directory to serve; use --private-users-ownership=off", c->directory);
	if (l->usr_fd < 0 && l->usr_fd != -ENOENT)
		return l->usr_fd;
	l->bind_fds = calloc(c->n_binds + 1, sizeof *l->bind_fds);
	if (!l->bind_fds)
		return err_set(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n_binds; i++) {
		l->bind_fds[i] = open(c->binds[i].src, O_PATH | O_CLOEXEC);
		if (l->bind_fds[i] < 0)
			return err_set(e, errno, "bind source %s: %s; give a path that exists and that you can reach",
				       c->binds[i].src, strerror(errno));
	}
	l->home_fds = calloc(l->ho->n_users + 1, sizeof *l->home_fds);
	if (!l->home_fds)
		return err_set(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < l->ho->n_users; i++) {
		l->home_fds[i] = open(l->ho->users[i].home, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (l->home_fds[i] < 0)
			return err_sys(e, errno, "home of --bind-user=%s", l->ho->users[i].name);
	}
	return 0;
}

/* The front is gone if its end of the channel is closed. PR_SET_PDEATHSIG
 * is cleared when our uid changes, so it is armed again after each change
 * and the front's liveness checked, closing the race in between. */
void builder_die_with_front(int sock)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!channel_peer_alive(sock))
		_exit(1);
}

int builder_become_root(struct err *e)
{
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return err_sys(e, errno, "cannot become root in the user namespace");
	return 0;
}

/* While newuidmap runs: what needs the namespace's capabilities but no
 * identity in it (files can't be created until our uid is mapped). */
static int prepare(const struct config *c, struct layout *l, struct err *e)
{
	int r = open_sources(c, l, e);
	if (r < 0)
		return r;
	/* nothing propagates either way: ours never reach the host, and a
	 * mount the host makes later never appears inside, where it would
	 * keep its own flags (writable below a --bind-ro, SECURITY.md) */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys(e, errno, "cannot make our mounts private");
	layout_prepare(l);
	return 0;
}

/* Set before the clone: the new user namespace takes our RLIMIT_NPROC as
 * the cap on all its processes together, whatever their uid inside, and
 * no one inside can raise a hard limit. */
static int set_limits(const struct config *c, struct err *e)
{
	for (size_t i = 0; i < c->n_rlimits; i++) {
		const struct limit *lim = &c->rlimits[i];
		struct rlimit rl = { .rlim_cur = lim->soft, .rlim_max = lim->hard };
		if (setrlimit(lim->resource, &rl) < 0)
			return err_sys(e, errno, "--rlimit=%s: cannot set it (a hard limit can only be lowered)", lim->text);
	}
	return 0;
}

/* The builder's last steps. Its mounts reach the new mount namespace, owned
 * by a user namespace below ours, locked: container root can neither make
 * a read-only mount writable nor unmount one to see what is below it.
 * CLONE_PARENT makes the first process the front's child, to wait for as
 * it waited for us. */
__attribute__((noreturn)) static void start_first_process(const struct config *c, struct layout *l, int sock)
{
	struct err e = { 0 };
	int maps[2];
	uint64_t flags = CLONE_PARENT | CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
			 (c->private_network ? CLONE_NEWNET : 0) |
			 (c->boot ? CLONE_NEWCGROUP : 0);   /* the front has moved us into our payload cgroup */

	if (set_limits(c, &e) < 0)
		builder_fail(sock, &e);
	if (pipe2(maps, O_CLOEXEC) < 0)
		builder_fail(sock, &(struct err){ errno, "cannot create a pipe" });
	pid_t pid = clone_ns(flags);   /* CLONE_PARENT: our own exit signal, SIGCHLD */
	if (pid < 0)
		err_sys(&e, errno, "cannot create the container's namespaces");
	if (pid == 0) {
		close(maps[1]);
		first_process(c, l, sock, maps[0]);
	}
	if (pid < 0 || idmap_apply_same(pid, &e) < 0) {
		if (pid > 0)
			kill(pid, SIGKILL);
		builder_fail(sock, &e);
	}
	channel_send_pid(sock, pid);
	if (write(maps[1], "", 1) != 1)
		_exit(1);
	/* the first process finishes its namespaces meanwhile, and waits for
	 * the second byte before anything reads these files */
	if (layout_build_late(l, &e) < 0) {
		kill(pid, SIGKILL);
		builder_fail(sock, &e);
	}
	if (write(maps[1], "", 1) != 1)
		_exit(1);
	_exit(0);
}

void builder_main(const struct config *c, const struct handoff *ho, int sock)
{
	struct err e = { 0 };
	struct layout l = { .cfg = c, .ho = ho, .tree_fd = -1, .usr_fd = -1, .idmapped_fd = -1, .root_fd = -1, .sock = sock,
			   .etc_fd = -1 };
	char uuid[37];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);   /* the front ignores it; exec would pass that on */
	umask(0);   /* the layout's modes are meant exactly */
	env_uuid(uuid);
	l.uuid = uuid;
	int early = prepare(c, &l, &e);
	int type, fd, homes = 0;
	while ((type = channel_recv(sock, &fd, NULL, NULL)) == MSG_TREE && (size_t)homes < ho->n_users && l.home_fds) {
		close(l.home_fds[homes]);   /* the idmapped mount replaces the plain one */
		l.home_fds[homes++] = fd;
		l.homes_idmapped = true;
	}
	l.idmapped_fd = fd;
	if (type != MSG_GO)
		_exit(1);   /* the front is gone: it has said why */
	if (early < 0 || builder_become_root(&e) < 0)
		builder_fail(sock, &e);
	builder_die_with_front(sock);
	prctl(PR_SET_DUMPABLE, 1);   /* our uid change cleared it; let container root see PID 1 */
	if (layout_build(&l, &e) < 0)
		builder_fail(sock, &e);
	start_first_process(c, &l, sock);
}
