/* idmap-userns.c — a throwaway user namespace for an idmapped mount: a
 * child unshares it and waits; we write its maps and keep an fd to it. */
#include "idmap/idmap-userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_map(pid_t pid, const char *file, unsigned long in, unsigned long out)
{
	char path[64], line[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	int n = snprintf(line, sizeof line, "%lu %lu 1\n", in, out);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = write(fd, line, (size_t)n) == n ? 0 : -errno;
	close(fd);
	return r;
}

int idmap_userns_one(unsigned long host_uid, unsigned long outside_uid, unsigned long host_gid,
		     unsigned long outside_gid, struct err *e)
{
	int ready[2], status, r = 0;
	char c = 0, ns[64];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return err_sys(e, errno, "cannot create a pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[1]);
		/* tell by EOF when the parent is done with us */
		_exit(unshare(CLONE_NEWUSER) < 0 || read(ready[0], &c, 1) < 0);
	}
	close(ready[0]);
	if (pid < 0) {
		close(ready[1]);
		return err_sys(e, errno, "cannot fork");
	}
	snprintf(ns, sizeof ns, "/proc/%d/ns/user", (int)pid);
	/* the child has unshared once its namespace differs from ours */
	for (int i = 0; i < 10000; i++) {
		char a[64], b[64];
		ssize_t la = readlink(ns, a, sizeof a), lb = readlink("/proc/self/ns/user", b, sizeof b);
		if (la < 0 || la != lb || memcmp(a, b, (size_t)la) != 0)
			break;
		usleep(100);
	}
	if ((r = write_map(pid, "uid_map", host_uid, outside_uid)) < 0 || (r = write_map(pid, "gid_map", host_gid, outside_gid)) < 0)
		r = err_sys(e, -r, "cannot map the user namespace of an idmapped mount");
	int fd = r < 0 ? r : open(ns, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && r == 0)
		r = err_sys(e, errno, "cannot open %s", ns);
	close(ready[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r < 0 ? r : fd;
}
