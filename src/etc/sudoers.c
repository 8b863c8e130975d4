/* sudoers.c — --bind-user-sudo: the bound users may run anything as root.
 * sudo reads only root's files: the drop-in, and the main file (the host's
 * is readable by root only, so never copied) naming the drop-in directory. */
#include "etc/etc.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define WHY "--bind-user-sudo needs a writable /etc (--volatile=yes or overlay)"

static const char main_file[] =
	"# made by volspawn --bind-user-sudo\n"
	"Defaults\tenv_reset\n"
	"Defaults\tsecure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
	"root\tALL=(ALL:ALL) ALL\n"
	"@includedir /etc/sudoers.d\n";

int etc_write_sudoers(int root_fd, const char *path, mode_t mode, const struct bound_user *users, size_t n,
		      struct err *e)
{
	char text[4096];
	size_t len = 0;
	int r, fd;
	for (size_t i = 0; i < n && len < sizeof text; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s\tALL=(ALL:ALL) NOPASSWD: ALL\n", users[i].name);
	if (len >= sizeof text)
		return err_set(e, E2BIG, "--bind-user-sudo: too many bound users");
	if ((fd = resolve_in(root_fd, "/etc/sudoers")) >= 0)
		close(fd);
	else if ((r = write_in(root_fd, "/etc/sudoers", main_file, sizeof main_file - 1, mode)) < 0)
		return err_sys(e, -r, WHY);
	if ((r = write_p_in(root_fd, path, text, len, mode)) < 0)
		return err_sys(e, -r, WHY);
	return 0;
}
