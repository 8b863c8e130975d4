/* mount-table.h — the container's layout as rows: every mount, directory,
 * link and file volspawn makes, in the order it makes them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/types.h>

#include "cli/config.h"
#include "inside/handoff.h"

enum kind {
	ROOT,    /* the root mount itself: a tmpfs, the tree, or an overlay */
	DIR_,    /* a directory */
	FILE_,   /* a file holding `what` */
	LINK,    /* a symlink to `what` */
	FS,      /* a new filesystem of type `what` */
	BIND,    /* a bind mount of `what`: "tree:PATH", "host:PATH" or "root:PATH" */
	RO,      /* the mount point made read-only (a bind onto itself) */
	MERGE,   /* the tree's /usr-merge links: bin, sbin, lib, lib64, ... */
	ZONE,    /* the host's /etc/localtime link */
	UUID,    /* a file holding the container's UUID */
	NODE,    /* a fifo, socket or device node of `mode`; skipped where mknod is not allowed */
	COPY,    /* a copy of the host file `what` */
	USRFS,   /* a FUSE mount of type `what` for volspawn-usrfs to serve */
	/* what the command line adds, each made by the room of its concern */
	BINDS,     /* each --bind and --bind-ro (inside/user-mounts.c) */
	TMPFS,     /* each --tmpfs, with its options (inside/user-mounts.c) */
	USERDB,    /* the bound users' records (users/bind-user-records.c) */
	HOMES,     /* each bound user's home, at its host path (users/bind-user-homes.c) */
	FRESH_HOMES, /* --here: a fresh home instead, a filesystem of type `what` (likewise) */
	CREDS,     /* a filesystem of type `what` holding the credentials, sealed (creds/creds-io.c) */
	SUDOERS,   /* --bind-user-sudo's drop-in (etc/sudoers.c) */
	AUTOLOGIN, /* --autologin's console-getty drop-in (etc/autologin.c) */
	POLKIT,    /* the bound users may power off and reboot (etc/polkit.c) */
	OVERLAY_DIR, /* the host directory `what`, writable and throwaway: an overlay whose
		      * upper layer is on /run; skipped where the host has no such directory */
	ETC,       /* --etc: the host's /etc, what of it the mode takes (etc/etc.c), copied
		    * beside the rows below it (inside/etc-job.c) */
	COVERS,    /* a `what` over each procfs and sysfs of the host's that the rows
		    * above brought in with a tree, bind or home (inside/kernel-fs.c) */
};

enum when {
	V_YES = 1, V_STATE = 2, V_OVERLAY = 4, V_NO = 8,
	V_ANY = 15,
	NETNS = 16,     /* only with --private-network */
	HOSTNET = 32,   /* only without it */
	OPTIONAL = 64,  /* skip when the target does not exist */
	BOOT = 128,     /* only with --boot */
	SERVED = 256,   /* only when volspawn-usrfs serves /usr */
	PLAIN = 512,    /* only when it does not */
	INNER = 1024,   /* made by the container's first process, in the namespaces it owns */
	USERS = 2048,   /* only with --bind-user */
	CREDS_ = 4096,  /* only with credentials */
	SUDO = 8192,    /* only with --bind-user-sudo */
	LOGIN = 16384,  /* only with --autologin */
	HOST_ETC = 32768, /* only with --etc=base or host */
	OWN_HOMES = 65536, /* only without --here: the bound users' own homes */
	HERE = 131072,  /* only with --here */
};

struct row {
	enum kind kind;
	const char *where;
	const char *what;
	const char *const *options;   /* FS_OPTS(key, value, ...) */
	uint64_t attr;
	mode_t mode;
	unsigned when;
};

#define RDONLY MOUNT_ATTR_RDONLY
#define NOSUID MOUNT_ATTR_NOSUID
#define NODEV MOUNT_ATTR_NODEV
#define NOEXEC MOUNT_ATTR_NOEXEC

extern const struct row mount_table[];
extern const size_t mount_table_size;

/* Whether row r is part of the container that c and ho describe. */
bool mount_table_wanted(const struct row *r, const struct config *c, const struct handoff *ho);
