/* cgroup.c — finding a delegated cgroup2 directory and making the
 * container's own supervisor/payload split in it. */
#include "cgroup/cgroup.h"
#include "lib/libmount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int cgroup2_mount_from(FILE *f, char *out, size_t size)
{
	struct libmount m;
	struct libmnt_fs *fs;
	int r = libmount_open(&m);
	if (r < 0)
		return r;
	struct libmnt_table *tb = m.new_table();
	struct libmnt_iter *it = m.new_iter(MNT_ITER_FORWARD);
	r = !tb || !it ? -ENOMEM : m.table_parse_stream(tb, f, "mountinfo") < 0 ? -EINVAL : -ENOENT;
	while (r == -ENOENT && m.table_next_fs(tb, it, &fs) == 0) {
		const char *type = m.fs_get_fstype(fs), *root = m.fs_get_root(fs), *point = m.fs_get_target(fs);
		if (type && root && point && !strcmp(type, "cgroup2") && !strcmp(root, "/"))
			r = (size_t)snprintf(out, size, "%s", point) >= size ? -ENAMETOOLONG : 0;
	}
	if (it)
		m.free_iter(it);
	if (tb)
		m.unref_table(tb);
	libmount_close(&m);
	return r;
}

/* Where cgroup2 is mounted (its root must be the hierarchy's root). */
static int cgroup2_mount(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	int r = cgroup2_mount_from(f, out, size);
	fclose(f);
	return r;
}

int cgroup_self_from(FILE *f, char *out, size_t size)
{
	char *line = NULL;
	size_t cap = 0;
	int r = -ENOENT;
	while (r == -ENOENT && getline(&line, &cap, f) >= 0)
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			r = (size_t)snprintf(out, size, "%s", line + 3) >= size ? -ENAMETOOLONG : 0;
		}
	free(line);
	return r;
}

int cgroup_self(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	int r = cgroup_self_from(f, out, size);
	fclose(f);
	return r;
}

/* Delegation means the directory and the files that move processes and
 * hand out controllers are ours to write. */
static bool delegated(const char *dir)
{
	static const char *const files[] = { "cgroup.procs", "cgroup.subtree_control", "cgroup.threads" };
	char p[4200];
	if (access(dir, W_OK) < 0)
		return false;
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		if (access(p, W_OK) < 0)
			return false;
	}
	return true;
}

int cgroup_find_delegated(struct cgroup *cg, struct err *e)
{
	char mnt[1024], own[2048], dir[4096];
	*cg = (struct cgroup){ 0 };
	int r = cgroup2_mount(mnt, sizeof mnt);
	if (r == -ELIBACC)
		return err_set(e, ELIBACC, "cannot load libmount to find the cgroup2 hierarchy in /proc/self/mountinfo; install libmount (util-linux)");
	if (r < 0)
		return err_set(e, ENOENT, "no cgroup2 hierarchy is mounted; booting systemd needs one (unified or hybrid cgroups)");
	if (cgroup_self(own, sizeof own) < 0)
		return err_set(e, ENOENT, "cannot tell our cgroup from /proc/self/cgroup; booting systemd needs a cgroup2 hierarchy");
	snprintf(dir, sizeof dir, "%s%s", mnt, strcmp(own, "/") == 0 ? "" : own);
	if (!delegated(dir))
		return err_set(e, EACCES, "cgroup %s is not delegated to you, and systemd needs one to boot; run: systemd-run --user --scope -p Delegate=yes volspawn ...",
			       own);
	cg->base = strdup(dir);
	return cg->base ? 0 : err_set(e, ENOMEM, "out of memory");
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int r = n < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int move_pid(const char *dir, pid_t pid)
{
	char num[24];
	snprintf(num, sizeof num, "%d", (int)pid);
	return write_file(dir, "cgroup.procs", num);
}

int cgroup_chown_payload(const struct cgroup *cg, uid_t uid, gid_t gid, struct err *e)
{
	static const char *const names[] = { "", "/cgroup.procs", "/cgroup.threads", "/cgroup.subtree_control" };
	char p[4200];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/payload%s", cg->dir, names[i]);
		if (chown(p, uid, gid) < 0)
			return err_sys(e, errno, "cannot hand %s to container root", p);
	}
	return 0;
}

int cgroup_create(struct cgroup *cg, pid_t pid, struct err *e)
{
	char sub[4200];
	int r;
	if (asprintf(&cg->dir, "%s/volspawn-%d", cg->base, (int)getpid()) < 0)
		return err_set(e, ENOMEM, "out of memory");
	if (mkdir(cg->dir, 0755) < 0)
		return err_sys(e, errno, "cannot create cgroup %s", cg->dir);
	snprintf(sub, sizeof sub, "%s/supervisor", cg->dir);
	if (mkdir(sub, 0755) < 0 || (r = move_pid(sub, 0)) < 0)
		return err_sys(e, errno, "cannot move into cgroup %s", sub);
	cg->moved = true;
	snprintf(sub, sizeof sub, "%s/payload", cg->dir);
	if (mkdir(sub, 0755) < 0)
		return err_sys(e, errno, "cannot create cgroup %s", sub);
	if ((r = move_pid(sub, pid)) < 0)
		return err_sys(e, -r, "cannot move the container into cgroup %s", sub);
	return 0;
}

/* rmdir every cgroup below dir, deepest first. */
static void remove_below(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;
	if (!d) {
		close(dirfd);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub >= 0)
			remove_below(sub);
		unlinkat(dirfd, de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* The cgroups systemd made inside belong to container root: remove them
 * as container root, in a process that joins the container's user
 * namespace (its owner may) and takes uid 0 there. */
static void remove_as_container_root(const char *dir, int userns_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setns(userns_fd, CLONE_NEWUSER) == 0 && setresgid(0, 0, 0) == 0 && setgroups(0, NULL) == 0 && setresuid(0, 0, 0) == 0) {
			int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0)
				remove_below(fd);
		}
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void remove_all(const char *dir, int userns_fd)
{
	char sub[4200];
	snprintf(sub, sizeof sub, "%s/payload", dir);
	if (userns_fd >= 0)
		remove_as_container_root(sub, userns_fd);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		remove_below(fd);
	rmdir(dir);
}

void cgroup_destroy(struct cgroup *cg, int userns_fd)
{
	if (cg->moved && move_pid(cg->base, 0) == 0)
		cg->moved = false;
	if (cg->dir)
		remove_all(cg->dir, userns_fd);
	if (cg->janitor > 0) {   /* nothing left for it: it just goes */
		close(cg->janitor_fd);
		while (waitpid(cg->janitor, NULL, 0) < 0 && errno == EINTR)
			;
		cg->janitor = 0;
	}
	free(cg->dir);
	cg->dir = NULL;
}

/* A cgroup's processes are gone once cgroup.events says "populated 0". */
static void wait_empty(const char *dir)
{
	char p[4200], text[256];
	snprintf(p, sizeof p, "%s/cgroup.events", dir);
	for (int i = 0; i < 500; i++) {   /* 10 s at most: PID 1 dies at once */
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return;
		text[n] = '\0';
		if (strstr(text, "populated 0"))
			return;
		usleep(20000);
	}
}

/* Nothing of ours but the pipe and the user namespace: above all not the
 * channel, whose open end tells the container's first process we live. */
static void close_all_but(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	if (lo > 3)
		syscall(SYS_close_range, 3U, (unsigned)lo - 1, 0U);
	if (hi > lo + 1)
		syscall(SYS_close_range, (unsigned)lo + 1, (unsigned)hi - 1, 0U);
	syscall(SYS_close_range, (unsigned)hi + 1, ~0U, 0U);
}

int cgroup_janitor(struct cgroup *cg, int userns_fd)
{
	int p[2];
	char c;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid == 0) {
		close_all_but(p[0], userns_fd);
		move_pid(cg->base, 0);
		setsid();   /* no terminal's signals: it outlives us on purpose */
		/* and a name of its own: `killall volspawn` must not take it along */
		prctl(PR_SET_NAME, "volspawn-clean", 0, 0, 0);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		if (access(cg->dir, F_OK) == 0) {
			wait_empty(cg->dir);
			remove_all(cg->dir, userns_fd);
		}
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -errno;
	}
	cg->janitor = pid;
	cg->janitor_fd = p[1];
	return 0;
}
