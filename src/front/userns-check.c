/* userns-check.c — the sysctls that disable unprivileged user namespaces. */
#include "front/userns-check.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long userns_sysctl_parse(const char *text)
{
	char *end;
	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || (*end && strcmp(end, "\n") != 0))
		return -1;
	return v;
}

/* The sysctl's value, or -1 when the kernel does not have it. */
static long sysctl_value(const char *dir, const char *name)
{
	char path[256], text[32];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return userns_sysctl_parse(text);
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
	/* no sysctl says no: the limit of an enclosing namespace, the depth
	 * of nesting (ENOSPC too, since Linux 4.9), or a filter */
	if (code == ENOSPC)
		return err_set(e, code, "cannot create a user namespace (%s): the limit is reached here or in an enclosing sandbox (bwrap --disable-userns, a container), or they are nested 32 deep; run volspawn outside it, or as root raise user.max_user_namespaces", strerror(code));
	if (code == EPERM)
		return err_set(e, code, "cannot create a user namespace (%s): a security policy (a seccomp filter, a container) forbids it; run volspawn outside it", strerror(code));
	return err_sys(e, code, "cannot create a user namespace");
}
