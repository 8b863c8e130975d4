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

static int send_wire(int sock, struct wire *w, int fd)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { w, sizeof *w };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof u.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	ssize_t n;
	while ((n = sendmsg(sock, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof *w ? 0 : n < 0 ? -errno : -EIO;
}

int channel_send(int sock, enum msg_type type, int fd, const struct err *e)
{
	struct wire w = { .type = type };
	if (e)
		w.err = *e;
	return send_wire(sock, &w, fd);
}

int channel_send_pid(int sock, int pid)
{
	struct wire w = { .type = MSG_STARTED, .pid = pid };
	return send_wire(sock, &w, -1);
}

int channel_recv(int sock, int *fd, int *pid, struct err *e)
{
	struct wire w;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &w, sizeof w };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	ssize_t n;

	*fd = -1;
	while ((n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return n == 0 ? 0 : -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof *fd);
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
