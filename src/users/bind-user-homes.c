/* bind-user-homes.c — each bound user's home, at the same path as on the
 * host, so that paths in the user's files still work. */
#include "lib/mount-util.h"
#include "users/bind-user.h"

int bind_user_mount_homes(int root_fd, const struct bound_user *users, size_t n, const int *home_fds, bool idmapped,
			  struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		int r = mkdir_p_in(root_fd, users[i].home, 0755);
		if (r == 0)
			r = idmapped ? tree_attach(home_fds[i], root_fd, users[i].home)
				     : tree_place(tree_clone(home_fds[i], "", true, 0, -1), root_fd, users[i].home);
		if (r < 0)
			return err_sys(e, -r, "cannot bind the home of %s", users[i].name);
	}
	return 0;
}
