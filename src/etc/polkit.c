/* polkit.c — the bound users own their twin: a polkit rule lets them power
 * it off, reboot or halt it without a password. systemctl poweroff asks
 * logind, which asks polkit; a console of a container is no seat, so the
 * default is the admin's password, and root's is locked. */
#include "etc/etc.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define WHY "cannot let the bound users power off the twin"

int etc_write_polkit(int root_fd, const char *path, mode_t mode, const struct bound_user *users, size_t n,
		     struct err *e)
{
	char text[4096];
	size_t len = (size_t)snprintf(text, sizeof text, "// made by volspawn --bind-user: the bound users own this twin\nvar owners = [");
	for (size_t i = 0; i < n && len < sizeof text; i++)   /* user names need no escaping in a JS string */
		len += (size_t)snprintf(text + len, sizeof text - len, "%s\"%s\"", i ? ", " : "", users[i].name);
	if (len < sizeof text)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"];\n"
					"polkit.addRule(function(action, subject) {\n"
					"\tif (owners.indexOf(subject.user) >= 0 &&\n"
					"\t    /^org\\.freedesktop\\.login1\\.(power-off|reboot|halt)(-multiple-sessions|-ignore-inhibit)?$/.test(action.id))\n"
					"\t\treturn polkit.Result.YES;\n"
					"});\n");
	if (len >= sizeof text)
		return err_set(e, E2BIG, "--bind-user: too many bound users for the polkit rule");
	int r = touch_in(root_fd, path, mode);
	if (r == 0)
		r = write_in(root_fd, path, text, len, mode);
	return r < 0 ? err_sys(e, -r, WHY) : 0;
}
