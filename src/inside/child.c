/* child.c — the steps inside the namespaces, from clone to exec: the
 * builder mounts the container's tree, the container's first process
 * finishes it in namespaces of its own and becomes PID 1. */
#include "inside/child.h"
#include "lib/channel.h"
#include "lib/clone-ns.h"
#include "console/console.h"
#include "inside/env.h"
#include "etc/etc.h"
#include "lib/mount-util.h"
#include "inside/layout.h"
#include "inside/net.h"
#include "inside/init.h"
#include "inside/reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
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

__attribute__((noreturn)) static void fail(int sock, const struct err *e)
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
static void die_with_front(int sock)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!channel_peer_alive(sock))
		_exit(1);
}

static int become_root(struct err *e)
{
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return err_sys(e, errno, "cannot become root in the user namespace");
	return 0;
}

static int pivot(int root_fd, struct err *e)
{
	if (fchdir(root_fd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		return err_sys(e, errno, "cannot pivot into the new root");
	/* the old root now sits on top of the new one; detach it and all below */
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return err_sys(e, errno, "cannot detach the old root");
	return 0;
}

/* While newuidmap runs: what needs the namespace's capabilities but no
 * identity in it (files can't be created until our uid is mapped). */
static int prepare(const struct config *c, struct layout *l, struct err *e)
{
	int r = open_sources(c, l, e);
	if (r < 0)
		return r;
	/* host mount events may still reach us; ours never reach the host */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return err_sys(e, errno, "cannot make our mounts private");
	layout_prepare(l);
	return 0;
}

/* The first process's part: what belongs to its own namespaces, then the pivot. */
static int assemble(const struct config *c, struct layout *l, struct err *e)
{
	int r;
	if (sethostname(c->hostname, strlen(c->hostname)) < 0)
		return err_sys(e, errno, "cannot set the host name");
	if ((r = layout_reopen_root(l)) < 0)
		return err_sys(e, -r, "cannot mount the container's root again");
	if ((r = layout_build_inner(l, e)) < 0)
		return r;
	if (c->private_network && (r = net_loopback_up()) < 0)
		return err_sys(e, -r, "cannot bring up the loopback interface");
	if ((r = pivot(l->root_fd, e)) < 0)
		return r;
	/* systemd shares credentials with services through mount propagation */
	if (c->boot && mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)
		return err_sys(e, errno, "cannot make the root shared");
	if (c->chdir && chdir(c->chdir) < 0)
		return err_set(e, errno, "--chdir=%s: %s inside the container; give a directory of the tree or a --bind destination",
			       c->chdir, strerror(errno));
	return 0;
}

/* The container's console: a pty of its own devpts, /dev/console a link
 * to its slave (as nspawn makes it), the master for the front to relay. */
static int open_console(int *master, char *slave, size_t size, struct err *e)
{
	int r = console_open_pty(master, slave, size, e);
	if (r < 0)
		return r;
	unlink("/dev/console");
	if (symlink(slave + strlen("/dev/"), "/dev/console") < 0)
		return err_sys(e, errno, "cannot create /dev/console");
	return 0;
}

/* Command mode: PID 1 keeps nothing of the host's terminal either; the
 * command makes the pty its controlling terminal itself. */
static int stdio_to(const char *slave, struct err *e)
{
	int fd = open(slave, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return err_sys(e, errno, "cannot open %s", slave);
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
	return 0;
}

/* The first process of the container: PID 1 of its own namespaces. */
__attribute__((noreturn)) static void first_process(const struct config *c, struct layout *l, int sock, int maps)
{
	struct err e = { 0 };
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL);   /* our parent is the front */
	/* a session of our own: no controlling terminal of the host's, so no
	 * /dev/tty and no TIOCSTI into the user's shell through a passed fd */
	setsid();
	if (read(maps, &go, 1) != 1)
		_exit(1);   /* the builder failed, and said why */
	close(maps);
	if (become_root(&e) < 0)
		fail(sock, &e);
	die_with_front(sock);
	prctl(PR_SET_DUMPABLE, 1);   /* our uid change cleared it; let container root see PID 1 */
	/* the user's session keyring is possessed by whoever inherits it,
	 * whatever their uid: the container gets an empty one */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 && errno != ENOSYS)
		fail(sock, &(struct err){ errno, "cannot give the container a session keyring of its own" });
	if (assemble(c, l, &e) < 0 || (c->boot && init_check(&e) < 0))
		fail(sock, &e);

	char **env = env_build(c, l->uuid, handoff_has_creds(&c->creds, l->ho) ? CREDS_DIR : NULL);
	if (!env)
		fail(sock, &(struct err){ ENOMEM, "out of memory" });
	env_wipe_host();
	char slave[64] = "";
	int master = -1;
	if (c->console != CONSOLE_PIPE && open_console(&master, slave, sizeof slave, &e) < 0)
		fail(sock, &e);
	channel_send(sock, MSG_READY, master, NULL);
	/* nothing of the host may reach the container: not even stdio, once
	 * the console is a pty of its own */
	syscall(SYS_close_range, 3U, ~0U, 0U);
	if (*slave && (c->boot ? console_attach_stdio(slave, &e) : stdio_to(slave, &e)) < 0) {
		err_print(&e);
		_exit(1);
	}
	if (!c->boot)
		reaper_run(c, env, *slave != '\0');
	sigset_t none;   /* the front's signals were held for init until now */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	_exit(init_exec(c, env));
}

/* The child user namespace mapped one to one onto ours, extent by extent
 * (a map may have a hole for a bound user; an extent may not span two). */
static int map_one_to_one(pid_t pid, const char *file, struct err *e)
{
	char path[64], text[512] = "", line[64];
	unsigned long inside, outside, count;
	snprintf(path, sizeof path, "/proc/self/%s", file);
	FILE *f = fopen(path, "re");
	if (!f)
		return err_sys(e, errno, "cannot read %s", path);
	while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
		snprintf(line, sizeof line, "%lu %lu %lu\n", inside, inside, count);
		strncat(text, line, sizeof text - strlen(text) - 1);
	}
	fclose(f);
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return err_sys(e, saved, "cannot write %s", path);
	}
	close(fd);
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

/* The builder's last step. Its mounts reach the new mount namespace, owned
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
		fail(sock, &e);
	if (pipe2(maps, O_CLOEXEC) < 0)
		fail(sock, &(struct err){ errno, "cannot create a pipe" });
	pid_t pid = clone_ns(flags);   /* CLONE_PARENT: our own exit signal, SIGCHLD */
	if (pid < 0)
		err_sys(&e, errno, "cannot create the container's namespaces");
	if (pid == 0) {
		close(maps[1]);
		first_process(c, l, sock, maps[0]);
	}
	if (pid < 0 || map_one_to_one(pid, "uid_map", &e) < 0 || map_one_to_one(pid, "gid_map", &e) < 0) {
		if (pid > 0)
			kill(pid, SIGKILL);
		fail(sock, &e);
	}
	channel_send_pid(sock, pid);
	if (write(maps[1], "", 1) != 1)
		_exit(1);
	_exit(0);
}

void child_main(const struct config *c, const struct handoff *ho, int sock)
{
	struct err e = { 0 };
	struct layout l = { .cfg = c, .ho = ho, .tree_fd = -1, .idmapped_fd = -1, .root_fd = -1, .sock = sock };
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
	if (early < 0 || become_root(&e) < 0)
		fail(sock, &e);
	die_with_front(sock);
	prctl(PR_SET_DUMPABLE, 1);   /* our uid change cleared it; let container root see PID 1 */
	if (layout_build(&l, &e) < 0)
		fail(sock, &e);
	start_first_process(c, &l, sock);
}
