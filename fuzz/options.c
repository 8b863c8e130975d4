/* options — a whole command line (options.c with getopt_long and every
 * value parser behind it), one argument per line of the input, and the
 * environment env.c builds from it. Lines that
 * start with "--l" (--load-credential and its abbreviations) are left out:
 * that option reads files and sockets. */
#include "fuzz.h"
#include "cli/options.h"
#include "cli/values.h"
#include "inside/env.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* --help and --version print there */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

static void check_config(const struct config *c)
{
	CHECK(c->directory && c->directory[0] == '/');
	CHECK(c->machine && value_hostname_valid(c->machine));
	CHECK(c->hostname && value_hostname_valid(c->hostname));
	for (size_t i = 0; i < c->n_binds; i++)
		CHECK(c->binds[i].src[0] == '/' && c->binds[i].dst[0] == '/');
	for (size_t i = 0; i < c->n_tmpfs; i++)
		CHECK(c->tmpfs[i].path[0] == '/' && c->tmpfs[i].options[0]);
	for (size_t i = 0; i < c->n_setenv; i++)
		CHECK(strchr(c->setenv[i], '=') > c->setenv[i]);
	for (size_t i = 0; i < c->n_bind_users; i++)
		CHECK(value_user_name_valid(c->bind_users[i]));
	for (size_t i = 0; i < c->creds.n; i++)
		CHECK(creds_id_valid(c->creds.v[i].id));
	CHECK(!c->autologin || c->boot);
	CHECK(!c->chdir || c->chdir[0] == '/');
}

/* The container's environment from c (env.c): one entry per name, the
 * last --setenv of a name winning. */
static void check_env(const struct config *c)
{
	char **env = env_build(c, "0123456789abcdef0123456789abcdef", "/run/host/credentials", NULL);
	size_t n = 0;
	CHECK(env);
	for (; env[n]; n++) {
		size_t name = strcspn(env[n], "=");
		CHECK(env[n][name] == '=' && name > 0);
		for (size_t j = 0; j < n; j++)
			CHECK(strncmp(env[j], env[n], name + 1) != 0);
	}
	for (size_t i = 0; i < c->n_setenv; i++) {
		size_t name = strcspn(c->setenv[i], "=");
		const char *last = c->setenv[i];
		for (size_t j = i + 1; j < c->n_setenv; j++)
			if (!strncmp(c->setenv[j], c->setenv[i], name + 1))
				last = c->setenv[j];
		size_t k = 0;
		while (env[k] && strncmp(env[k], last, name + 1) != 0)
			k++;
		CHECK(env[k] && strcmp(env[k], last) == 0);
	}
	env_free(env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *save = NULL;
	char *argv[MAX_ARGS + 2] = { "volspawn" };
	int argc = 1;
	struct config c = { 0 };
	struct err e = { 0 };

	for (char *a = strtok_r(s, "\n", &save); a && argc <= MAX_ARGS; a = strtok_r(NULL, "\n", &save))
		if (strncmp(a, "--l", 3) != 0)
			argv[argc++] = a;
	argv[argc] = NULL;
	int r = options_parse(argc, argv, &c, &e);
	CHECK(r == 0 || r == 1 || r < 0);
	if (r < 0)
		CHECK(e.code == -r && e.msg[0]);
	if (r == 0) {
		check_config(&c);
		check_env(&c);
	}
	config_free(&c);
	free(s);
	return 0;
}
