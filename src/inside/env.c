/* env.c — the environment inside, as systemd-nspawn builds it. */
#include "inside/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int put(char **env, size_t *n, const char *entry)
{
	size_t len = strcspn(entry, "=") + 1;
	for (size_t i = 0; i < *n; i++)   /* later wins, as in nspawn */
		if (strncmp(env[i], entry, len) == 0) {
			free(env[i]);
			return (env[i] = strdup(entry)) ? 0 : -1;
		}
	return (env[(*n)++] = strdup(entry)) ? 0 : -1;
}

/* NAME=value into buf, then into env. */
static int put_var(char **env, size_t *n, char *buf, size_t size, const char *name, const char *value)
{
	snprintf(buf, size, "%s=%s", name, value);
	return put(env, n, buf);
}

char **env_build(const struct config *c, const char *uuid, const char *creds_dir, const struct run_as *who)
{
	const char *term = getenv("TERM");
	char buf[4200];
	size_t n = 0, max = 12 + c->n_setenv;
	char **env = calloc(max + 1, sizeof *env);
	int bad = !env;

	if (bad)
		return NULL;
	bad |= put(env, &n, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	bad |= put(env, &n, "container=volspawn");
	if (term) {
		snprintf(buf, sizeof buf, "TERM=%s", term);
		bad |= put(env, &n, buf);
	}
	bad |= put_var(env, &n, buf, sizeof buf, "HOME", who ? who->home : "/root");
	bad |= put_var(env, &n, buf, sizeof buf, "USER", who ? who->name : "root");
	bad |= put_var(env, &n, buf, sizeof buf, "LOGNAME", who ? who->name : "root");
	if (who)
		bad |= put_var(env, &n, buf, sizeof buf, "SHELL", who->shell);
	snprintf(buf, sizeof buf, "container_uuid=%s", uuid);
	bad |= put(env, &n, buf);
	if (creds_dir) {
		snprintf(buf, sizeof buf, "CREDENTIALS_DIRECTORY=%s", creds_dir);
		bad |= put(env, &n, buf);
	}
	if (!c->boot)   /* a booted system sets its own locale */
		bad |= put(env, &n, "LANG=C.UTF-8");
	for (size_t i = 0; i < c->n_setenv; i++)
		bad |= put(env, &n, c->setenv[i]);
	if (bad) {
		env_free(env);
		return NULL;
	}
	return env;
}

void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

extern char **environ;

void env_wipe_host(void)
{
	for (char **e = environ; e && *e; e++)
		memset(*e, 0, strlen(*e));
	environ = NULL;
}

void env_uuid(char out[37])
{
	unsigned char b[16] = { 0 };
	if (getrandom(b, sizeof b, 0) != sizeof b)
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)rand();
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
