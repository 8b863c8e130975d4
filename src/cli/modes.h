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
