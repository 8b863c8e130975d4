/* modes.h — the modes the command line chooses between: their names here,
 * what each one means for the container's layout in modes.c. */
#pragma once

enum volatile_mode {
	VOLATILE_NO,
	VOLATILE_YES,      /* tmpfs root, the tree's /usr read-only */
	VOLATILE_STATE,    /* the tree read-only, tmpfs /var */
	VOLATILE_OVERLAY,  /* tmpfs overlay over the whole tree */
};

enum console_mode {
	CONSOLE_INTERACTIVE,  /* both ways, the user's terminal raw; ^]^]^] kills */
	CONSOLE_READ_ONLY,    /* output only; stdin is never read, the terminal left alone */
	CONSOLE_PASSIVE,      /* nothing while running; queued output copied out at the end */
	CONSOLE_PIPE,         /* no pty at all: stdio passed through, by the caller */
};

enum etc_mode {
	ETC_EMPTY,   /* nothing: nspawn's volatile /etc */
	ETC_BASE,    /* what logging in and running commands needs (table in etc/etc.c) */
	ETC_HOST,    /* everything readable but identity and secrets (table in etc/etc.c) */
};

/* --private-users-ownership: how the tree's /usr shows its owners inside. */
enum ownership {
	OWNERSHIP_DEFAULT, /* auto, but off for a rootless command (see README) */
	OWNERSHIP_AUTO,   /* the best that works here */
	OWNERSHIP_OFF,    /* as the kernel shows it: rootless, host root's files as nobody */
	OWNERSHIP_MAP,    /* the true owners, or fail */
};

#include <stdbool.h>

/* What a --volatile mode means beyond the rows of the mount table
 * (inside/mount-table.c): answered here, and decided nowhere else. */
struct volatile_traits {
	const char *idmapped;  /* root mode: the subtree of the tree made an idmapped
				* mount ("usr", or "" for the whole tree), or NULL:
				* an overlay's lower layer cannot be one */
	bool tree_read_only;   /* what the container sees of the tree is read-only */
	bool servable;         /* rootless: volspawn-usrfs may serve /usr (a read-only view) */
	bool merged_usr;       /* only the tree's /usr is used: bin, lib... must link into it */
	bool host_root;        /* may run on the host's own / (-D /): it is never written */
	const char *root;      /* the container's root, below the staging directory */
};

const struct volatile_traits *volatile_traits(enum volatile_mode m);
