/* channel.h — the front process and the container's first process talk over
 * a SOCK_SEQPACKET pair: one message a step, an fd riding along where needed. */
#pragma once

#include <stddef.h>

#include "lib/err.h"

enum msg_type {
	MSG_GO = 1,    /* front → child: the maps are written; maybe an idmapped tree fd */
	MSG_TREE,      /* front → child, before MSG_GO: a bound home, idmapped (root mode) */
	MSG_READY,     /* child → front: the container is assembled, the payload starts */
	MSG_ERROR,     /* child → front: setup failed; err says why */
	MSG_USRFS,     /* child → front: the FUSE connection of /usr, mounted, and the
			* tree's usr the builder opened, to serve */
	MSG_STARTED,   /* builder → front: the container's first process, our child now, is this pid */
};

/* The most fds one message carries. */
#define CHANNEL_MAX_FDS 2

int channel_pair(int fds[2]);

/* Send a message, with fd if fd >= 0 and e if not NULL. */
int channel_send(int sock, enum msg_type type, int fd, const struct err *e);

/* The same with n (<= CHANNEL_MAX_FDS) fds. */
int channel_send_fds(int sock, enum msg_type type, const int *fds, size_t n, const struct err *e);

/* Send MSG_STARTED with a pid. */
int channel_send_pid(int sock, int pid);

/* Receive one message; *fd gets a passed fd or -1, *pid (if not NULL) the
 * pid of MSG_STARTED. Returns the type, 0 on EOF (the peer is gone), or a
 * negative errno. */
int channel_recv(int sock, int *fd, int *pid, struct err *e);

/* The same, keeping every fd passed: fds[i] gets each, or -1. */
int channel_recv_fds(int sock, int fds[CHANNEL_MAX_FDS], int *pid, struct err *e);

/* True while the peer still has its end open. */
int channel_peer_alive(int sock);
