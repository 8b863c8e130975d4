/* init.c — exec of the tree's init in boot mode. */
#include "inside/init.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const inits[] = { "/usr/lib/systemd/systemd", "/lib/systemd/systemd", "/sbin/init" };

#define NO_INIT "cannot boot: no init in /usr/lib/systemd/systemd, /lib/systemd/systemd or /sbin/init (%s); install systemd in the tree, or run a command without -b"

int init_check(struct err *e)
{
	for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++)
		if (access(inits[i], X_OK) == 0)
			return 0;
	return err_set(e, ENOENT, NO_INIT, strerror(errno));
}

int init_exec(const struct config *c, char **env)
{
	size_t n = 0;
	while (c->command && c->command[n])
		n++;
	char **argv = calloc(n + 2, sizeof *argv);
	if (!argv) {
		fprintf(stderr, "volspawn: out of memory\n");
		return 1;
	}
	memcpy(argv + 1, c->command ? c->command : argv + 1, n * sizeof *argv);
	umask(022);
	setsid();   /* init is no part of the terminal's process group */
	for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++) {
		argv[0] = (char *)inits[i];
		execve(inits[i], argv, env);
	}
	fprintf(stderr, "volspawn: " NO_INIT "\n", strerror(errno));
	free(argv);
	return 1;
}
