/* etc-job.c — the /etc copy is most of a command's start-up; run beside
 * the rest of the layout it is hidden, on the second core, behind the
 * mounts. It only writes files, in a directory no mount of the builder's
 * lies below (etc-job.h), so it needs no order with them. */
#include "inside/etc-job.h"
#include "etc/etc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define ETC_PREFIX "/etc/"

/* dst below /etc, as the copy names it ("" for /etc itself), in buf; the
 * paths are absolute and hold no . or .. (cli/values.c), but may repeat
 * or end in a slash. */
static bool below_etc(const char *dst, char *buf, size_t size)
{
	size_t k = 0;
	while (*dst == '/')
		dst++;
	if (strncmp(dst, "etc", 3) || (dst[3] && dst[3] != '/'))
		return false;
	for (const char *p = dst + 3; *p && k + 1 < size; p++)
		if (*p != '/' || (k > 0 && buf[k - 1] != '/'))
			buf[k++] = *p;
	if (k > 0 && buf[k - 1] == '/')
		k--;
	buf[k] = '\0';
	return true;
}

static int add(char ***list, size_t *n, const char *path, const char *suffix)
{
	char **grown = realloc(*list, (*n + 2) * sizeof **list);
	if (!grown)
		return -ENOMEM;
	*list = grown;
	size_t len = strlen(path) + strlen(suffix) + 1;
	if (!(grown[*n] = malloc(len)))
		return -ENOMEM;
	snprintf(grown[*n], len, "%s%s", path, suffix);
	grown[++*n] = NULL;
	return 0;
}

/* The rows below r that make something below /etc. Directories are made
 * by either side alike (mkdir tolerates EEXIST on both): only what a row
 * puts there is left out, and of an overlaid directory only a directory. */
static int table_paths(const struct layout *l, const struct row *r, char ***list, size_t *n)
{
	int ret = 0;
	for (const struct row *row = r + 1; ret == 0 && row < mount_table + mount_table_size; row++) {
		if (row->kind == DIR_ || strncmp(row->where, ETC_PREFIX, strlen(ETC_PREFIX)) ||
		    !mount_table_wanted(row, l->cfg, l->ho))
			continue;
		ret = add(list, n, row->where + strlen(ETC_PREFIX), row->kind == OVERLAY_DIR ? "/" : "");
		if (ret == 0 && row->kind == SUDOERS)   /* it writes the main file too, where there is none */
			ret = add(list, n, "sudoers", "");
	}
	return ret;
}

static int user_paths(const struct config *c, char ***list, size_t *n)
{
	char rel[4096];
	int r = 0;
	for (size_t i = 0; r == 0 && i < c->n_binds; i++)
		if (below_etc(c->binds[i].dst, rel, sizeof rel))
			r = add(list, n, rel, "");
	for (size_t i = 0; r == 0 && i < c->n_tmpfs; i++)
		if (below_etc(c->tmpfs[i].path, rel, sizeof rel))
			r = add(list, n, rel, "");
	return r;
}

__attribute__((noreturn)) static void copier(const struct layout *l, const struct row *r, pid_t builder, int out)
{
	struct err e = { 0 };
	char **leave = NULL;
	size_t n = 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != builder)
		_exit(1);   /* it died before the line above */
	if (table_paths(l, r, &leave, &n) < 0 || user_paths(l->cfg, &leave, &n) < 0) {
		err_set(&e, ENOMEM, "cannot copy /etc: out of memory");
	} else {
		const struct etc_spec s = {
			.mode = l->cfg->etc_mode, .hostname = l->cfg->hostname,
			/* booted, the bound users come from /run/host/userdb; a
			 * command has no nss-systemd to read it for sure */
			.users = l->ho->users, .n_users = l->cfg->boot ? 0 : l->ho->n_users,
			.leave_out = (const char *const *)leave,
		};
		etc_fill(l->root_fd, r->where, strchr(r->what, ':') + 1, &l->cfg->creds, &s, &e);
	}
	if (e.code && write(out, &e, sizeof e) != (ssize_t)sizeof e)
		_exit(2);
	_exit(e.code ? 1 : 0);
}

int etc_job_start(struct layout *l, const struct row *r, struct err *e)
{
	int p[2];
	pid_t builder = getpid();
	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys(e, errno, "cannot copy /etc: cannot create a pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		copier(l, r, builder, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return err_sys(e, errno, "cannot copy /etc: cannot fork");
	}
	l->etc_pid = pid;
	l->etc_fd = p[0];
	return 0;
}

int etc_job_wait(struct layout *l, struct err *e)
{
	int status;
	if (l->etc_pid <= 0)
		return 0;
	struct err got = { 0 };
	ssize_t n = read(l->etc_fd, &got, sizeof got);
	close(l->etc_fd);
	while (waitpid(l->etc_pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(e, errno, "cannot copy /etc: waiting for the copy");
	l->etc_pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (n == (ssize_t)sizeof got && got.code) {
		*e = got;
		e->msg[sizeof e->msg - 1] = '\0';
		return -got.code;
	}
	return err_set(e, EIO, "cannot copy /etc: the copy %s %d", WIFEXITED(status) ? "exited with status" : "was killed by signal",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}
