/* io-util.h — writing a whole buffer, whatever write(2) takes at a time. */
#pragma once

#include <stddef.h>

/* Write all len bytes of buf to fd, retrying partial writes and EINTR.
 * Returns 0 or -errno. */
int write_full(int fd, const void *buf, size_t len);
