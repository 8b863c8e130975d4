/* keyring.h — keeping the container from the user's keyrings. */
#pragma once

#include "lib/err.h"

/* In the container's first process, as root of its user namespace: join
 * a session keyring of the container's own or, where keyctl is refused (a
 * container runtime's seccomp filter), forbid the container every keyring
 * call with a filter of its own. */
int keyring_isolate(struct err *e);
