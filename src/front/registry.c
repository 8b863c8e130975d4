/* registry.c — the front's side of the registry: claiming the twin's
 * name, and giving it back however the front ends. The claim is a POSIX
 * record lock on the entry: the kernel drops it when the front dies, a
 * child does not inherit it, and F_GETLK names its holder. A keeper
 * process removes the file after a front that was killed. */
#include "front/registry.h"
#include "lib/io-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SUFFIX_MAX 999   /* name-2 ... name-999 */

static struct flock whole_lock(short type)
{
	return (struct flock){ .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
}

/* 0 with *out the locked entry; -EBUSY (*holder: its front) when a live
 * front holds it; -ENOENT when the directory went away under us. */
static int try_name(int dir_fd, const char *name, int *out, pid_t *holder)
{
	for (int tries = 0; tries < 100; tries++) {
		int fd = openat(dir_fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		struct flock l = whole_lock(F_WRLCK), q = whole_lock(F_WRLCK);
		int err = fcntl(fd, F_SETLK, &l) == 0 ? 0 : errno;
		if (err == 0 && registry_still_there(fd, dir_fd, name)) {
			*out = fd;
			return 0;
		}
		bool held = (err == EAGAIN || err == EACCES) && fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK;
		close(fd);
		if (held) {
			*holder = q.l_pid;
			return -EBUSY;
		}
		if (err != 0 && err != EAGAIN && err != EACCES)
			return -err;
		/* dropped as stale, or let go, between our open and our lock: again */
	}
	return -EAGAIN;
}

static int write_entry(int fd, const char *name, const char *tree, bool boot)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t since = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
	size_t size = 2 * strlen(tree) + 256;
	char *text = malloc(size);
	if (!text)
		return -ENOMEM;
	int n = registry_format(text, size, name, tree, boot, since), r = n < 0 ? n : 0;
	if (r == 0 && ftruncate(fd, 0) < 0)   /* a stale entry we took over may hold more */
		r = -errno;
	if (r == 0)
		r = write_full(fd, text, (size_t)n);
	free(text);
	return r;
}

/* Our name, or the first free one of name-2, name-3... */
static int take_name(struct registry *r, const char *name, bool exact, pid_t *holder)
{
	int ret = -EBUSY;
	for (int i = 1; i <= (exact ? 1 : SUFFIX_MAX) && ret == -EBUSY; i++) {
		char suffix[8] = "";
		if (i > 1)
			snprintf(suffix, sizeof suffix, "-%d", i);
		int keep = REGISTRY_NAME_MAX - (int)strlen(suffix);
		snprintf(r->name, sizeof r->name, "%.*s%s", keep, name, suffix);
		ret = try_name(r->dir.fd, r->name, &r->fd, holder);
	}
	return ret;
}

/* Nothing but the pipe and the entry: above all not the terminal, nor the
 * pipe a caller reads our output from, which would stay open with us. */
static void keeper_fds(int a, int b, int c)
{
	int keep[3] = { a, b, c }, devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3 && devnull >= 0; i++)
		if (i != a && i != b && i != c)
			dup2(devnull, i);
	for (int i = 0; i < 3; i++)   /* sorted, to close the gaps in between */
		for (int j = i + 1; j < 3; j++)
			if (keep[j] < keep[i]) {
				int t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
	unsigned lo = 3;
	for (int i = 0; i < 3; i++) {
		if ((unsigned)keep[i] > lo)
			syscall(SYS_close_range, lo, (unsigned)keep[i] - 1, 0U);
		lo = (unsigned)keep[i] + 1 > lo ? (unsigned)keep[i] + 1 : lo;
	}
	syscall(SYS_close_range, lo, ~0U, 0U);
}

/* The keeper wakes when the front is gone (its pipe closes), waits for the
 * kernel to drop the front's lock, and removes the entry if it is still
 * the front's: a new twin may have taken the name since. */
__attribute__((noreturn)) static void keeper(struct registry *r, int pipe_fd)
{
	char c;
	keeper_fds(pipe_fd, r->fd, r->dir.parent_fd);
	setsid();   /* no terminal's signals: it outlives the front on purpose */
	prctl(PR_SET_NAME, "volspawn-clean", 0, 0, 0);   /* which `killall volspawn` spares */
	while (read(pipe_fd, &c, 1) < 0 && errno == EINTR)
		;
	int dir = openat(r->dir.parent_fd, r->dir.leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct flock l = whole_lock(F_WRLCK);
	if (dir >= 0 && fcntl(r->fd, F_SETLKW, &l) == 0 && registry_still_there(r->fd, dir, r->name))
		unlinkat(dir, r->name, 0);
	if (dir >= 0)
		unlinkat(r->dir.parent_fd, r->dir.leaf, AT_REMOVEDIR);
	_exit(0);
}

static int start_keeper(struct registry *r)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		keeper(r, p[0]);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -errno;
	}
	r->keeper = pid;
	r->keeper_fd = p[1];
	return 0;
}

static int claim_in_dir(struct registry *r, const char *name, bool exact, const char *tree, bool boot, struct err *e)
{
	pid_t holder = 0;
	int ret = take_name(r, name, exact, &holder);
	if (ret == -EBUSY && exact)
		return err_set(e, EBUSY, "a twin named %s is running already (volspawn's PID %d); name this one with --machine=NAME, or stop that one with: volspawnctl poweroff %s",
			       name, (int)holder, name);
	if (ret == -EBUSY)
		return err_set(e, EBUSY, "twins named %s to %s-%d are all running; name this one with --machine=NAME", name, name, SUFFIX_MAX);
	if (ret < 0)
		return ret;
	if ((ret = write_entry(r->fd, r->name, tree, boot)) < 0 || (ret = start_keeper(r)) < 0)
		return err_sys(e, -ret, "cannot register the twin in %s", r->dir.path);
	return 0;
}

int registry_claim(struct registry *r, const char *name, bool exact, const char *tree, bool boot, struct err *e)
{
	*r = (struct registry){ .fd = -1, .keeper_fd = -1, .dir = { .fd = -1, .parent_fd = -1 } };
	if (!registry_name_valid(name))
		return err_set(e, EINVAL, "--machine=%s: expected a valid host name (letters, digits, '-', '.')", name);
	int ret = -ENOENT;
	/* the directory goes when it is empty, so one being removed as we come is tried again */
	for (int tries = 0; tries < 100 && ret == -ENOENT; tries++) {
		if ((ret = registry_dir_open(&r->dir, true, e)) < 0)
			return ret;
		ret = claim_in_dir(r, name, exact, tree, boot, e);
		if (ret < 0)
			registry_release(r);
	}
	return ret == -ENOENT ? err_sys(e, ENOENT, "cannot register the twin in %s", r->dir.path) : ret;
}

void registry_release(struct registry *r)
{
	if (r->fd >= 0) {
		unlinkat(r->dir.fd, r->name, 0);   /* while we hold the lock: it is ours */
		close(r->fd);
	}
	if (r->keeper > 0) {   /* nothing left for it to do */
		kill(r->keeper, SIGKILL);
		close(r->keeper_fd);
		while (waitpid(r->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	registry_dir_close(&r->dir);
	r->fd = -1;
	r->keeper = 0;
}
