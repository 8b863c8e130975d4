/* ctl-power.c — volspawnctl poweroff, reboot, terminate and kill: signals,
 * as machinectl sends them to a container's leader, sent by the user who
 * owns the twin's user namespace (the kernel lets no one else's through). */
#include "ctl/ctl.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TAKE_WAIT_MS 30000

static void pause_ms(int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

/* A booted systemd takes its signals once it runs; until then the kernel
 * drops them, as it drops any signal PID 1 has no handler for. */
static int send_init(const struct twin *t, int sig, struct err *e)
{
	for (int waited = 0; !twin_takes(t->leader, sig); waited += 50) {
		if (waited >= TAKE_WAIT_MS)
			return err_set(e, EAGAIN, "%s is still starting: its init does not take signal %d yet; try again in a moment",
				       t->entry.name, sig);
		pause_ms(50);
	}
	if (kill(t->leader, sig) < 0)
		return err_sys(e, errno, "cannot signal %s's init (PID %d)", t->entry.name, (int)t->leader);
	return 0;
}

/* Gone once its front lets go of its name. */
static void wait_gone(const struct twin *t)
{
	struct registry_dir d;
	struct err e = { 0 };
	pid_t front;
	if (registry_dir_open(&d, false, &e) < 0)
		return;
	while (registry_check(d.fd, t->entry.name, &front) && front == t->entry.front)
		pause_ms(50);
	registry_dir_close(&d);
}

/* Every process of the twin: those in its PID namespace. */
static int kill_all(const struct twin *t, int sig, struct err *e)
{
	char path[300];
	struct stat ns, other;
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)t->leader);
	if (stat(path, &ns) < 0)
		return err_sys(e, errno, "cannot read %s", path);
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		pid_t pid = atoi(de->d_name);
		snprintf(path, sizeof path, "/proc/%s/ns/pid", de->d_name);
		if (pid > 0 && pid != t->leader && stat(path, &other) == 0 && other.st_ino == ns.st_ino && other.st_dev == ns.st_dev)
			kill(pid, sig);
	}
	if (d)
		closedir(d);
	if (kill(t->leader, sig) < 0)   /* last: its death ends the others */
		return err_sys(e, errno, "cannot signal %s's init (PID %d)", t->entry.name, (int)t->leader);
	return 0;
}

/* poweroff and reboot as systemd takes them: SIGRTMIN+4 starts
 * poweroff.target, SIGRTMIN+5 reboot.target. A command twin's init
 * passes SIGTERM on to the command. */
static int one(const struct ctl_opts *o, const char *name, struct err *e)
{
	struct twin t;
	int r = twin_find(name, &t, e);
	if (r < 0)
		return r;
	if (strcmp(o->verb, "poweroff") == 0)
		r = t.entry.boot ? send_init(&t, SIGRTMIN + 4, e) : kill(t.leader, SIGTERM) < 0 ? err_sys(e, errno, "cannot signal %s", name) : 0;
	else if (strcmp(o->verb, "reboot") == 0)
		r = t.entry.boot ? send_init(&t, SIGRTMIN + 5, e)
				 : err_set(e, EINVAL, "%s runs a command, not a booted system: it cannot reboot; stop it with volspawnctl poweroff %s", name, name);
	else if (strcmp(o->verb, "terminate") == 0)
		r = kill(t.leader, SIGKILL) < 0 ? err_sys(e, errno, "cannot kill %s", name) : 0;
	else if (o->leader_only)
		r = kill(t.leader, o->signal) < 0 ? err_sys(e, errno, "cannot signal %s's init (PID %d)", name, (int)t.leader) : 0;
	else
		r = kill_all(&t, o->signal, e);
	if (r == 0 && (strcmp(o->verb, "poweroff") == 0 || strcmp(o->verb, "terminate") == 0))
		wait_gone(&t);
	twin_free(&t);
	return r;
}

int ctl_power(const struct ctl_opts *o)
{
	struct err e = { 0 };
	if (one(o, o->machine, &e) < 0) {
		ctl_print(&e);
		return 1;
	}
	return 0;
}
