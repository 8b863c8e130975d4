/* config.c — the configuration's lists: adding to them, freeing them. */
#include "cli/config.h"
#include "cli/values.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int config_push(void **array, size_t *n, size_t size, const void *item)
{
	void *a = realloc(*array, (*n + 1) * size);
	if (!a)
		return -ENOMEM;
	memcpy((char *)a + *n * size, item, size);
	*array = a;
	(*n)++;
	return 0;
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < c->n_binds; i++)
		value_bind_free(&c->binds[i]);
	for (size_t i = 0; i < c->n_tmpfs; i++)
		value_tmpfs_free(&c->tmpfs[i]);
	for (size_t i = 0; i < c->n_setenv; i++)
		free(c->setenv[i]);
	for (size_t i = 0; i < c->n_bind_users; i++)
		free(c->bind_users[i]);
	free(c->bind_users);
	free(c->autologin);
	free(c->user);
	creds_free(&c->creds);
	free(c->binds);
	free(c->tmpfs);
	free(c->rlimits);
	free(c->setenv);
	free(c->directory);
	free(c->chdir);
	free(c->machine);
	free(c->hostname);
	*c = (struct config){ 0 };
}
