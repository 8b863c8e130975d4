/* registry.h — a user's running twins, by name: one file each in a
 * directory of the user's alone, locked by the twin's front process for as
 * long as it lives. volspawn claims a name (registry.c); volspawnctl lists
 * and finds them (registry-read.c). A file whose lock is free belongs to a
 * front that was killed: it is stale, and whoever finds it drops it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"

#define REGISTRY_NAME_MAX 64   /* a machine name: a host name */

/* Where the entries are: $XDG_RUNTIME_DIR/volspawn when that is the
 * user's; else /run/user/UID/volspawn if that is theirs; else
 * /tmp/volspawn-UID (root: /run/volspawn). Private: 0700, the user's. */
struct registry_dir {
	int fd;                /* the directory; -1 when not open */
	int parent_fd;         /* where it is, to remove it once empty */
	char leaf[32];         /* its name there */
	char path[4096];       /* for messages */
};

/* Open the directory, creating it (and the leaf in its parent) if create.
 * Without create, a directory that does not exist is -ENOENT and no
 * message: no twin has run. Anything not private to us is refused with a
 * message. */
int registry_dir_open(struct registry_dir *d, bool create, struct err *e);

/* Close it, and remove it if it is empty (a claim racing with this sees
 * its directory go and tries again). */
void registry_dir_close(struct registry_dir *d);

/* A name claimed by this process, the front, until registry_release. */
struct registry {
	struct registry_dir dir;
	int fd;                /* the entry, locked; -1 when nothing is claimed */
	char name[REGISTRY_NAME_MAX + 1];
	pid_t keeper;          /* drops the entry if we die first; 0 if none */
	int keeper_fd;         /* its pipe: it wakes when this closes */
};

/* Claim name for a twin of tree (booted or not). If exact, a name in use
 * is refused with a message; else name-2, name-3... are tried, and
 * r->name says which was taken. Starts the keeper, a process that drops
 * the entry should we be killed. */
int registry_claim(struct registry *r, const char *name, bool exact, const char *tree, bool boot, struct err *e);

/* Drop the entry, stop the keeper, remove the directory if it is empty.
 * Idempotent; a zeroed registry with fd -1 is nothing to release. */
void registry_release(struct registry *r);

/* ---- reading (registry-read.c) ---------------------------------------- */

struct registry_entry {
	char name[REGISTRY_NAME_MAX + 1];
	pid_t front;           /* volspawn's front process: the holder of the lock */
	bool boot;
	uint64_t since_usec;   /* CLOCK_REALTIME, when the name was claimed */
	char *tree;            /* the OS tree, as given to -D */
};

/* The entry's text, for registry_claim to write and registry_parse to read. */
int registry_format(char *buf, size_t size, const char *name, const char *tree, bool boot, uint64_t since_usec);
/* 0, or -EAGAIN for text that is not (yet) a whole entry. */
int registry_parse(const char *text, size_t len, struct registry_entry *out);

/* The live entries, sorted by name; the stale ones found on the way are
 * dropped. No directory is no twin: 0 entries. */
int registry_list(struct registry_entry **entries, size_t *n, struct err *e);

void registry_entries_free(struct registry_entry *entries, size_t n);

/* Whether entry name of dir_fd is held by a live front (1, *front set),
 * stale and now dropped (0), or gone (0). */
int registry_check(int dir_fd, const char *name, pid_t *front);

/* Whether fd is still the file dir_fd calls name: a reader may drop an
 * entry as stale between a claimant's open and its lock. */
bool registry_still_there(int fd, int dir_fd, const char *name);

/* Whether name is usable as an entry's file name: a host name. */
bool registry_name_valid(const char *name);
