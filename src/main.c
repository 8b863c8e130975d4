/* main.c — volspawn: boot a throwaway twin of the host, without root. */
#include "cli/config.h"
#include "cli/options.h"
#include "creds/password.h"
#include "front/front.h"
#include "front/registry.h"
#include "lib/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A default name that was taken got a suffix; the host name, which
 * follows the machine name unless given, follows it. */
static int take_name(struct config *c, const char *name)
{
	char *machine = strdup(name), *host = NULL;
	if (!machine || (strcmp(c->hostname, c->machine) == 0 && !(host = strdup(name)))) {
		free(machine);
		return -1;
	}
	free(c->machine);
	c->machine = machine;
	if (host) {
		free(c->hostname);
		c->hostname = host;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "hash-password") == 0)
		return hash_password_main(argc - 1, argv + 1);
	struct config c = { 0 };
	struct err e = { 0 };
	struct registry reg = { .fd = -1 };
	int r = options_parse(argc, argv, &c, &e);
	if (r == 0 && (r = registry_claim(&reg, c.machine, c.machine_set, c.directory, c.boot, &e)) == 0 &&
	    strcmp(reg.name, c.machine) != 0 && take_name(&c, reg.name) < 0)
		r = err_set(&e, ENOMEM, "out of memory");
	if (r != 0) {
		if (r < 0)
			err_print(&e);
		registry_release(&reg);
		config_free(&c);
		return r < 0 ? 1 : 0;
	}
	r = front_run(&c);
	registry_release(&reg);
	config_free(&c);
	return r;
}
