/* idmap-write.c — putting a map into a child's user namespace: rootless
 * through shadow-utils' newuidmap/newgidmap, as root by writing it directly. */
#include "idmap/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct helper {
	const char *name;
	const struct id_extent *ext;
	size_t n;
	char path[4096];
	pid_t pid;
	int err_fd;        /* the helper's stderr, to quote it in our one line */
};

static int find_program(const char *name, char *out, size_t size)
{
	const char *env = getenv("PATH");
	char *path = NULL;
	if (asprintf(&path, "%s:/usr/bin:/usr/sbin:/bin:/sbin", env ? env : "") < 0)
		return -ENOMEM;
	int r = -ENOENT;
	char *save = NULL;
	for (char *dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (dir[0] != '/')
			continue;
		snprintf(out, size, "%s/%s", dir, name);
		if (access(out, X_OK) == 0) {
			r = 0;
			break;
		}
	}
	free(path);
	return r;
}

int idmap_helpers_usable(struct err *e)
{
	char path[4096];
	static const char *const names[] = { "newuidmap", "newgidmap" };
	for (size_t i = 0; i < 2; i++)
		if (find_program(names[i], path, sizeof path) < 0)
			return err_set(e, ENOENT, "%s not found: install the 'uidmap' package (Debian, Ubuntu) or 'shadow-utils' (Fedora); it writes the UID map without root",
				       names[i]);
	/* inherited across every exec: newuidmap would run unprivileged and
	 * fail with a bare "Operation not permitted" */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return err_set(e, EPERM, "no_new_privs is set, so newuidmap's setuid bit does nothing here; run volspawn outside what set it (systemd's NoNewPrivileges=, setpriv --no-new-privs, bwrap, flatpak)");
	return 0;
}

static int spawn_helper(struct helper *h, pid_t target)
{
	char *argv[2 + 3 * IDMAP_MAX_EXTENTS + 1];
	char nums[1 + 3 * IDMAP_MAX_EXTENTS][24];
	int pipefd[2], r;
	size_t k = 0;

	if (find_program(h->name, h->path, sizeof h->path) < 0)
		return -ENOENT;
	argv[k++] = h->path;
	snprintf(nums[0], sizeof nums[0], "%d", (int)target);
	argv[k++] = nums[0];
	for (size_t i = 0; i < h->n; i++) {
		const unsigned long v[3] = { h->ext[i].inside, h->ext[i].outside, h->ext[i].count };
		for (int j = 0; j < 3; j++) {
			snprintf(nums[k - 1], sizeof nums[0], "%lu", v[j]);
			argv[k] = nums[k - 1];
			k++;
		}
	}
	argv[k] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	/* fork, not posix_spawn: its vfork would hold us until the exec of
	 * the setuid helper is done, and the two helpers should start at once */
	h->pid = fork();
	if (h->pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		execve(h->path, argv, environ);
		dprintf(STDERR_FILENO, "cannot execute %s: %s\n", h->path, strerror(errno));
		_exit(127);
	}
	r = h->pid < 0 ? -errno : 0;
	close(pipefd[1]);
	if (r < 0) {
		close(pipefd[0]);
		return r;
	}
	h->err_fd = pipefd[0];
	return 0;
}

/* Wait for a helper; on failure put its first line of stderr into e. */
static int finish_helper(struct helper *h, struct err *e)
{
	char msg[400] = "";
	ssize_t n = read(h->err_fd, msg, sizeof msg - 1);
	int status;
	close(h->err_fd);
	msg[n > 0 ? n : 0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	while (waitpid(h->pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(e, errno, "waiting for %s", h->name);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	const char *ids = h->name[3] == 'u' ? "uid" : "gid";   /* newuidmap, newgidmap */
	if (msg[0])
		return err_set(e, EPERM, "%s failed: %s; it must be setuid root (or hold cap_set%s) and find your range in /etc/sub%s",
			       h->name, msg, ids, ids);
	return err_set(e, EPERM, "%s failed with status %d; it must be setuid root (or hold cap_set%s) and find your range in /etc/sub%s",
		       h->name, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), ids, ids);
}

int idmap_apply_helpers(const struct idmap *m, pid_t pid, struct err *e)
{
	struct helper h[2] = {
		{ .name = "newuidmap", .ext = m->uid, .n = m->n_uid, .err_fd = -1 },
		{ .name = "newgidmap", .ext = m->gid, .n = m->n_gid, .err_fd = -1 },
	};
	int r = 0;
	/* both run at once: each is an exec of a setuid program, the slow part */
	for (int i = 0; i < 2; i++) {
		int s = spawn_helper(&h[i], pid);
		if (s < 0 && r == 0)
			r = err_sys(e, -s, "cannot run %s", h[i].name);
	}
	for (int i = 0; i < 2; i++)
		if (h[i].err_fd >= 0) {
			int s = finish_helper(&h[i], r < 0 ? NULL : e);
			if (r == 0)
				r = s;
		}
	return r;
}

static int write_map(pid_t pid, const char *file, const struct id_extent *ext, size_t n, struct err *e)
{
	char path[64], buf[256];
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof buf - len, "%lu %lu %lu\n", ext[i].inside, ext[i].outside, ext[i].count);
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(e, errno, "cannot open %s", path);
	ssize_t w = write(fd, buf, len);
	int saved = errno;
	close(fd);
	if (w != (ssize_t)len)
		return err_sys(e, w < 0 ? saved : EIO, "cannot write %s", path);
	return 0;
}

int idmap_apply_direct(const struct idmap *m, pid_t pid, struct err *e)
{
	int r = write_map(pid, "uid_map", m->uid, m->n_uid, e);
	return r < 0 ? r : write_map(pid, "gid_map", m->gid, m->n_gid, e);
}

/* The child user namespace mapped one to one onto ours, extent by extent
 * (a map may have a hole for a bound user; an extent may not span two). */
static int same_map(pid_t pid, const char *file, struct err *e)
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

int idmap_apply_same(pid_t pid, struct err *e)
{
	int r = same_map(pid, "uid_map", e);
	return r < 0 ? r : same_map(pid, "gid_map", e);
}
