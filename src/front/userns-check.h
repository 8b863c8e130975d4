/* userns-check.h — explaining why a user namespace is not to be had. */
#pragma once

#include <stdbool.h>

#include "lib/err.h"

/* Fill e with what stops unprivileged user namespaces on this host (read
 * from the sysctls below sysctl_dir, normally "/proc/sys") and what to do,
 * given the errno the kernel returned. Returns -code. */
int userns_explain(const char *sysctl_dir, int code, struct err *e);

/* The value of a sysctl file's text: one non-negative decimal number and
 * a newline at most, else -1 (a file the kernel did not write). */
long userns_sysctl_parse(const char *text);

/* True when Ubuntu's AppArmor takes capabilities from unprivileged user
 * namespaces: then clone works but every mount fails with EPERM. */
bool userns_apparmor_restricted(const char *sysctl_dir);
