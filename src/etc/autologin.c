/* autologin.c — --autologin: agetty logs the user in on the console. "-f"
 * in its login options skips the password (rootless, the user's hash is
 * unreadable). */
#include "etc/etc.h"
#include "lib/mount-util.h"

#include <stdio.h>
#include <string.h>

int etc_write_autologin(int root_fd, const char *path, mode_t mode, const char *user, struct err *e)
{
	char text[512];
	int r;
	snprintf(text, sizeof text, "[Service]\nExecStart=\nExecStart=-/sbin/agetty -o \"-p -f -- \\\\u\" --noclear --autologin %s --keep-baud - 115200,38400,9600 $TERM\n",
		 user);
	if ((r = write_p_in(root_fd, path, text, strlen(text), mode)) < 0)
		return err_sys(e, -r, "--autologin needs a writable /etc (--volatile=yes or overlay)");
	return 0;
}
