/* scope-probe.c — for bats/scope.bats: cgroup_request_scope as volspawn
 * calls it, then cgroup_find_delegated and cgroup_create on the result,
 * as a boot would use it.
 *
 * Usage: scope-probe [MACHINE]
 * Prints "scope CGROUP" (where we landed), "delegated DIR" (what
 * cgroup_find_delegated accepted) and "payload CGROUP" (where
 * cgroup_create put a child); on an error, volspawn's one line on stderr
 * and exit 1. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup-scope.h"
#include "cgroup/cgroup.h"
#include "lib/err.h"

static int fail(const struct err *e)
{
	err_print(e);
	return 1;
}

/* The "0::" path of another process. */
static void print_cgroup_of(const char *label, pid_t pid)
{
	char path[64], line[2048];
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "0::", 3) == 0)
			printf("%s %s", label, line + 3);
	if (f)
		fclose(f);
}

/* What a boot does with the delegated cgroup: supervisor/ for us,
 * payload/ for the container (here a child that waits to be killed). */
static int split(struct cgroup *cg, struct err *e)
{
	pid_t pid = fork();
	if (pid < 0)
		return err_sys(e, errno, "fork");
	if (pid == 0) {
		pause();
		_exit(0);
	}
	int r = cgroup_create(cg, pid, e);
	if (r == 0)
		print_cgroup_of("payload", pid);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	cgroup_destroy(cg, -1);
	return r;
}

int main(int argc, char **argv)
{
	struct err e = { 0 };
	struct cgroup cg;
	char own[2048];
	if (cgroup_request_scope(argc > 1 ? argv[1] : "probe", &e) < 0)
		return fail(&e);
	if (cgroup_self(own, sizeof own) < 0)
		return err_set(&e, ENOENT, "cannot read /proc/self/cgroup"), fail(&e);
	printf("scope %s\n", own);
	if (cgroup_find_delegated(&cg, &e) < 0)
		return fail(&e);
	printf("delegated %s\n", cg.base);
	fflush(stdout);
	int r = split(&cg, &e);
	free(cg.base);
	return r < 0 ? fail(&e) : 0;
}
