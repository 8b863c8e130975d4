/* etc-fill.c — a volatile /etc gets what --etc asks for from the host's,
 * and a firstboot credential wins over the host's setting. */
#include "etc/etc.h"
#include "cli/config.h"
#include "lib/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* firstboot applies a credential only where the file is missing */
static void make_way(int dst, const struct credentials *creds)
{
	if (creds_find(creds, "firstboot.locale") || creds_find(creds, "firstboot.locale-messages")) {
		unlinkat(dst, "locale.conf", 0);
		unlinkat(dst, "default/locale", 0);
	}
	if (creds_find(creds, "firstboot.timezone")) {
		unlinkat(dst, "localtime", 0);
		unlinkat(dst, "timezone", 0);
	}
}

int etc_fill(int root_fd, const char *where, const char *host_etc, const struct credentials *creds,
	     const struct etc_spec *s, struct err *e)
{
	int host = open(host_etc, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return err_sys(e, errno, "cannot open %s", host_etc);
	int dst = resolve_in(root_fd, where);
	int r = dst < 0 ? err_sys(e, -dst, "cannot open %s", where) : etc_populate(host, dst, s, e);
	if (r == 0)
		make_way(dst, creds);
	close(host);
	if (dst >= 0)
		close(dst);
	return r;
}
