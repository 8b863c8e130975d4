/* config.h — the parsed command line, the only state shared between files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/modes.h"
#include "creds/creds.h"

struct bind {
	char *src;        /* absolute host path */
	char *dst;        /* absolute container path */
	bool read_only;
	bool recursive;   /* rbind (default) or norbind */
};

struct limit {
	int resource;     /* RLIMIT_* */
	unsigned long long soft, hard;   /* RLIM_INFINITY for "infinity" */
	const char *text; /* as given, for messages */
};

struct tmpfs {
	char *path;       /* absolute container path */
	char *options;    /* mount options as given, e.g. "mode=0755,size=1g" */
	char **fs_options; /* the same read: key, value (NULL for a flag), ..., NULL */
	uint64_t attr;    /* and the mount attributes among them (nosuid, ro...) */
};

struct config {
	char *directory;              /* the OS tree, "/" by default */
	enum volatile_mode volatile_mode;
	bool volatile_set;            /* given on the command line */
	struct bind *binds;
	size_t n_binds;
	struct tmpfs *tmpfs;
	size_t n_tmpfs;
	struct limit *rlimits;        /* --rlimit, in order; later wins */
	size_t n_rlimits;
	char **setenv;                /* NAME=VALUE, in order; later wins */
	size_t n_setenv;
	char *chdir;
	char *machine;
	char *hostname;               /* defaults to machine */
	bool private_network;
	enum console_mode console;    /* how the container's console reaches us */
	bool quiet;
	bool boot;                    /* run the tree's init as PID 1 */
	char **bind_users;            /* --bind-user names, in order */
	size_t n_bind_users;
	char *autologin;              /* log this user in on the console */
	char *user;                   /* --user: the command runs as this user inside */
	bool here;                    /* --here: as you, in this directory (cli/here.c) */
	bool bind_user_sudo;          /* a sudoers drop-in for the bound users */
	enum etc_mode etc_mode;       /* what a volatile /etc holds */
	bool etc_set;
	bool console_set;
	struct credentials creds;     /* --set-credential, --load-credential */
	bool ask_root_password;       /* --root-password=ask */
	bool ask_user_password;       /* --bind-user-password=ask */
	enum ownership ownership;     /* --private-users-ownership */
	char **command;               /* NULL: root's login shell; with boot, init's arguments */
};

/* Append item (size bytes) to the array *array of *n items. -ENOMEM. */
int config_push(void **array, size_t *n, size_t size, const void *item);

void config_free(struct config *c);
