/* usrfs-main.c — volspawn-usrfs: serves a directory (the tree's /usr) on a
 * FUSE connection that the container's root opened and mounted inside its
 * user namespace; both come as fds, never as paths. It runs outside, as the invoking user, so it sees the
 * host's owners and reports them unchanged: the kernel reads them in the
 * container's namespace, where host root's files become container root's.
 * volspawn starts it; it ends when the mount goes away with the container. */
#include "usrfs/usrfs-server.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Threads reading the connection: enough for a booting system's parallel
 * lookups; each one is idle in read() otherwise. */
#define WORKERS 4

static void *worker(void *server)
{
	struct usrfs_server *s = server;
	struct fuse_buf buf = { 0 };
	while (!fuse_session_exited(s->se)) {
		int r = fuse_session_receive_buf(s->se, &buf);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;   /* the mount is gone (ENODEV reads as 0) */
		fuse_session_process_buf(s->se, &buf);
	}
	free(buf.mem);
	return NULL;
}

/* dir_fd is the directory volspawn's builder opened beneath the tree and
 * checked: served as it is, never looked up again by a path. */
static int setup(struct usrfs_server *s, int fuse_fd, int dir_fd)
{
	struct stat st;
	char fd_path[32];
	s->dir_fd = dir_fd;
	if (fstat(s->dir_fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	fcntl(s->dir_fd, F_SETFD, FD_CLOEXEC);
	int r = usrfs_nodes_init(&s->nodes, &st);
	if (r < 0)
		return r;

	char *argv[] = { "volspawn-usrfs", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	s->se = fuse_session_new(&args, &usrfs_ops, sizeof usrfs_ops, s);
	fuse_opt_free_args(&args);
	if (!s->se)
		return -ENOMEM;
	snprintf(fd_path, sizeof fd_path, "/dev/fd/%d", fuse_fd);
	return fuse_session_mount(s->se, fd_path) < 0 ? -EBADF : 0;
}

int main(int argc, char **argv)
{
	struct usrfs_server s = { .inotify_fd = -1 };
	pthread_t threads[WORKERS], watch;
	int stop[2];
	if (argc != 3) {
		fprintf(stderr, "usage: volspawn-usrfs FUSE-FD DIRECTORY-FD (volspawn runs it)\n");
		return 2;
	}
	int r = setup(&s, atoi(argv[1]), atoi(argv[2]));
	if (r < 0) {
		fprintf(stderr, "volspawn-usrfs: cannot serve the directory on fd %s: %s\n", argv[2], strerror(-r));
		return 1;
	}
	bool watching = pipe2(stop, O_CLOEXEC) == 0;
	s.stop_fd = stop[0];
	watching = watching && pthread_create(&watch, NULL, usrfs_watch_thread, &s) == 0;
	int n = 1;
	while (n < WORKERS && pthread_create(&threads[n], NULL, worker, &s) == 0)
		n++;
	worker(&s);
	/* the others end on the same closed connection */
	for (int i = 1; i < n; i++)
		pthread_join(threads[i], NULL);
	if (watching) {
		close(stop[1]);
		pthread_join(watch, NULL);
	}
	if (usrfs_inotify(&s) >= 0)
		close(usrfs_inotify(&s));
	fuse_session_destroy(s.se);
	usrfs_nodes_free(&s.nodes);
	return 0;
}
