/* userns-check.c — the sysctls that disable unprivileged user namespaces. */
#include "userns-check.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sysctl's value, or -1 when the kernel does not have it. */
static long sysctl_value(const char *dir, const char *name)
{
	char path[256];
	long v = -1;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

bool userns_apparmor_restricted(const char *dir)
{
	return sysctl_value(dir, "kernel/apparmor_restrict_unprivileged_userns") == 1;
}

int userns_explain(const char *dir, int code, struct err *e)
{
	if (sysctl_value(dir, "user/max_user_namespaces") == 0)
		return err_set(e, code, "user namespaces are disabled (sysctl user.max_user_namespaces = 0); as root run: sysctl -w user.max_user_namespaces=15000");
	if (sysctl_value(dir, "kernel/unprivileged_userns_clone") == 0)
		return err_set(e, code, "unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone = 0); as root run: sysctl -w kernel.unprivileged_userns_clone=1");
	if (userns_apparmor_restricted(dir))
		return err_set(e, code, "AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns = 1); as root, add an AppArmor profile for volspawn that allows 'userns,' or run: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
	/* no sysctl says no: the limit of an enclosing namespace, or a filter */
	if (code == ENOSPC)
		return err_set(e, code, "cannot create a user namespace (%s): the limit is reached here or in an enclosing sandbox (bwrap --disable-userns, a container); run volspawn outside it, or as root raise user.max_user_namespaces", strerror(code));
	if (code == EUSERS)
		return err_set(e, code, "cannot create a user namespace (%s): they are nested 32 deep already", strerror(code));
	if (code == EPERM)
		return err_set(e, code, "cannot create a user namespace (%s): a security policy (a seccomp filter, a container) forbids it; run volspawn outside it", strerror(code));
	return err_sys(e, code, "cannot create a user namespace");
}
