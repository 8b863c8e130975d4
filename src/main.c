/* main.c — volspawn: boot a throwaway twin of the host, without root. */
#include "cli/config.h"
#include "cli/options.h"
#include "creds/password.h"
#include "front/front.h"
#include "lib/err.h"

#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "hash-password") == 0)
		return hash_password_main(argc - 1, argv + 1);
	struct config c = { 0 };
	struct err e = { 0 };
	int r = options_parse(argc, argv, &c, &e);
	if (r != 0) {
		if (r < 0)
			err_print(&e);
		config_free(&c);
		return r < 0 ? 1 : 0;
	}
	r = front_run(&c);
	config_free(&c);
	return r;
}
