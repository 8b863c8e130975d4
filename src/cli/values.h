/* values.h — parsers for option values: pure functions, unit-tested. */
#pragma once

#include "cli/config.h"
#include "cli/modes.h"
#include "lib/err.h"

/* "yes", "no", "state", "overlay" and booleans, as systemd-nspawn. */
int value_volatile(const char *s, enum volatile_mode *out, struct err *e);

/* --console=: "interactive", "read-only", "passive" or "pipe" (-P/--pipe
 * is the same). */
int value_console(const char *s, enum console_mode *out, struct err *e);

/* --etc=: "empty", "base" or "host". */
int value_etc(const char *s, enum etc_mode *out, struct err *e);

/* --private-users-ownership=: "off", "map" or "auto"; nspawn's "chown" is
 * refused, saying why. */
int value_ownership(const char *s, enum ownership *o, struct err *e);

/* "SRC[:DST[:OPTS]]", colons in paths escaped as "\:"; OPTS: rbind, norbind. */
int value_bind(const char *s, bool read_only, struct bind *out, struct err *e);
void value_bind_free(struct bind *b);

/* "PATH[:OPTS]"; OPTS default to "mode=0755". */
int value_tmpfs(const char *s, struct tmpfs *out, struct err *e);
void value_tmpfs_free(struct tmpfs *t);

/* "LIMIT=SOFT[:HARD]" as systemd-nspawn's --rlimit: LIMIT is NOFILE,
 * RLIMIT_NOFILE or any case of them; a value is a number or "infinity". */
int value_rlimit(const char *s, struct limit *out, struct err *e);

/* "NAME=VALUE" with a valid environment variable name. */
int value_setenv(const char *s, struct err *e);

/* A host name as systemd accepts it: [A-Za-z0-9-] with single dots between, ≤64 bytes. */
bool value_hostname_valid(const char *s);

/* Lower-case a candidate machine name and drop what a host name can't hold. */
void value_hostname_cleanup(char *s);

/* A user or group name as shadow-utils accepts it. */
bool value_user_name_valid(const char *s);
