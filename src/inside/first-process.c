/* first-process.c — the container's first process: PID 1 of its own
 * namespaces, it finishes the tree in them, pivots into it, takes its
 * console and becomes the reaper (a command) or the tree's init (boot). */
#include "inside/first-process.h"
#include "console/console.h"
#include "creds/creds.h"
#include "inside/builder.h"
#include "inside/env.h"
#include "inside/init.h"
#include "inside/keyring.h"
#include "inside/net.h"
#include "inside/reaper.h"
#include "lib/channel.h"
#include "users/run-as.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int pivot(int root_fd, struct err *e)
{
	if (fchdir(root_fd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		return err_sys(e, errno, "cannot pivot into the new root");
	/* the old root now sits on top of the new one; detach it and all below */
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return err_sys(e, errno, "cannot detach the old root");
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
	if (c->chdir && !c->user && chdir(c->chdir) < 0)
		return err_set(e, errno, "--chdir=%s: %s inside the container; give a directory of the tree or a --bind destination",
			       c->chdir, strerror(errno));
	return 0;
}

/* --user: the user looked up in the container, and the working directory
 * entered as them: --chdir, else their home (as nspawn), else /. */
static int take_user(const struct config *c, const struct handoff *ho, struct run_as *ra, struct err *e)
{
	int r = run_as_lookup(c->user, ho, ra, e);
	if (r < 0 || c->chdir)
		return r < 0 ? r : run_as_chdir(ra, c->chdir, e);
	if (run_as_chdir(ra, ra->home, e) < 0 && chdir("/") < 0)
		return err_sys(e, errno, "cannot change to /");
	*e = (struct err){ 0 };
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
void first_process(const struct config *c, struct layout *l, int sock, int maps)
{
	struct err e = { 0 };
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL);   /* our parent is the front */
	/* a session of our own: no controlling terminal of the host's, so no
	 * /dev/tty and no TIOCSTI into the user's shell through a passed fd */
	setsid();
	if (read(maps, &go, 1) != 1)
		_exit(1);   /* the builder failed, and said why */
	if (builder_become_root(&e) < 0)
		builder_fail(sock, &e);
	builder_die_with_front(sock);
	prctl(PR_SET_DUMPABLE, 1);   /* our uid change cleared it; let container root see PID 1 */
	/* the user's session keyring is possessed by whoever inherits it,
	 * whatever their uid: the container gets an empty one, or none */
	if (keyring_isolate(&e) < 0 || assemble(c, l, &e) < 0 || (c->boot && init_check(&e) < 0))
		builder_fail(sock, &e);
	/* the builder's late files (the host's /etc) are written */
	if (read(maps, &go, 1) != 1)
		_exit(1);
	close(maps);
	struct run_as ra = { 0 };
	if (c->user && take_user(c, l->ho, &ra, &e) < 0)
		builder_fail(sock, &e);

	char **env = env_build(c, l->uuid, handoff_has_creds(&c->creds, l->ho) ? CREDS_DIR : NULL, c->user ? &ra : NULL);
	if (!env)
		builder_fail(sock, &(struct err){ ENOMEM, "out of memory" });
	env_wipe_host();
	char slave[64] = "";
	int master = -1;
	if (c->console != CONSOLE_PIPE && open_console(&master, slave, sizeof slave, &e) < 0)
		builder_fail(sock, &e);
	channel_send(sock, MSG_READY, master, NULL);
	/* nothing of the host may reach the container: not even stdio, once
	 * the console is a pty of its own */
	syscall(SYS_close_range, 3U, ~0U, 0U);
	if (*slave && (c->boot ? console_attach_stdio(slave, &e) : stdio_to(slave, &e)) < 0) {
		err_print(&e);
		_exit(1);
	}
	if (!c->boot)
		reaper_run(c, env, *slave != '\0', c->user ? &ra : NULL);
	sigset_t none;   /* the front's signals were held for init until now */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	_exit(init_exec(c, env));
}

