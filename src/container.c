/* container.c — releasing what the front worked out. */
#include "container.h"

#include <stdlib.h>

void container_free(struct container *ct)
{
	for (size_t i = 0; i < ct->n_users; i++)
		bound_user_free(&ct->users[i]);
	free(ct->users);
	creds_free(&ct->creds);
	*ct = (struct container){ 0 };
}
