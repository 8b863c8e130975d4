/* channel.c — messages between the front process and the container. */
#include "lib/channel.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct wire {
	int type;
	int pid;
	struct err err;
};

int channel_pair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0 ? -errno : 0;
}

static int send_wire(int sock, struct wire *w, const int *fds, size_t n)
{
	union { char buf[CMSG_SPACE(CHANNEL_MAX_FDS * sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { w, sizeof *w };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n > CHANNEL_MAX_FDS)
		return -EINVAL;
	if (n > 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	}
	ssize_t sent;
	while ((sent = sendmsg(sock, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return sent == (ssize_t)sizeof *w ? 0 : sent < 0 ? -errno : -EIO;
}

int channel_send(int sock, enum msg_type type, int fd, const struct err *e)
{
	return channel_send_fds(sock, type, &fd, fd >= 0, e);
}

int channel_send_fds(int sock, enum msg_type type, const int *fds, size_t n, const struct err *e)
{
	struct wire w = { .type = type };
	if (e)
		w.err = *e;
	return send_wire(sock, &w, fds, n);
}

int channel_send_pid(int sock, int pid)
{
	struct wire w = { .type = MSG_STARTED, .pid = pid };
	return send_wire(sock, &w, NULL, 0);
}

int channel_recv(int sock, int *fd, int *pid, struct err *e)
{
	int fds[CHANNEL_MAX_FDS];
	int type = channel_recv_fds(sock, fds, pid, e);
	*fd = fds[0];
	for (size_t i = 1; i < CHANNEL_MAX_FDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return type;
}

int channel_recv_fds(int sock, int fds[CHANNEL_MAX_FDS], int *pid, struct err *e)
{
	struct wire w;
	union { char buf[CMSG_SPACE(CHANNEL_MAX_FDS * sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &w, sizeof w };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	ssize_t n;

	for (size_t i = 0; i < CHANNEL_MAX_FDS; i++)
		fds[i] = -1;
	while ((n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return n == 0 ? 0 : -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(c), (k < CHANNEL_MAX_FDS ? k : CHANNEL_MAX_FDS) * sizeof(int));
		}
	if (n != (ssize_t)sizeof w)
		return -EIO;
	if (pid && w.type == MSG_STARTED)
		*pid = w.pid;
	if (e && w.type == MSG_ERROR) {
		*e = w.err;
		e->msg[sizeof e->msg - 1] = '\0';
	}
	return w.type;
}

int channel_peer_alive(int sock)
{
	char c;
	ssize_t n = recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n > 0 || (n < 0 && errno == EAGAIN);
}
