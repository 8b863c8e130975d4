/* console.h — the container's /dev/console: a pty whose slave the container's
 * PID 1 gets and whose master the front relays to the user's terminal, as
 * systemd-nspawn's ptyfwd does. Built for the front's poll loop: all state is
 * in struct console, nothing blocks, and nothing here owns a signal. */
#pragma once

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "cli/modes.h"
#include "lib/err.h"

#define CONSOLE_ESCAPE 1        /* console_dispatch: ^] typed three times within 1 s */
#define CONSOLE_POLLFDS 3       /* the most pollfds console_pollfds fills */
#define CONSOLE_BUF_SIZE 4096   /* bytes in flight each way */

/* What console_start needs besides the master; NULL means the defaults. */
struct console_opts {
	int in_fd, out_fd;        /* the user's terminal: 0 and 1 by default */
	bool quiet;               /* no banner */
	uint64_t (*now)(void);    /* monotonic clock in ns; NULL: CLOCK_MONOTONIC */
};

#define CONSOLE_OPTS_STDIO { .in_fd = 0, .out_fd = 1 }

/* One direction's bytes read but not yet written. */
struct console_buf {
	size_t len;
	char data[CONSOLE_BUF_SIZE];
};

enum console_role { CONSOLE_SLOT_MASTER, CONSOLE_SLOT_IN, CONSOLE_SLOT_OUT };

/* Private to console*.c. A zeroed struct is a console that was never
 * started: every function below is then a harmless no-op. */
struct console {
	bool running;
	enum console_mode mode;
	int master;
	int in, out;              /* our fds for the user's side, -1 if unused */
	int in_flags, out_flags;  /* status flags to put back; -1: in/out are our own reopened fds */
	bool in_done, out_done;   /* EOF or hangup: stdin not read, output dropped */
	bool in_raw, out_raw;     /* termios changed: saved_in/saved_out go back */
	struct termios saved_in, saved_out;
	struct console_buf to_master, to_out;
	uint64_t (*now)(void);
	uint64_t escape_first;    /* when the first ^] of a run was read */
	int escape_count;
	uint64_t backoff_until;   /* the master hung up: leave it out of poll until then */
	bool wrote_out;           /* last_out is the last byte written to out */
	char last_out;
	int n_slots;              /* what console_pollfds filled, in order */
	enum console_role slots[CONSOLE_POLLFDS];
};

/* interactive when stdin and stdout are both terminals, else read-only. */
enum console_mode console_default_mode(void);

/* Take master (a pty master; closed by console_stop, or here on failure),
 * set it and the user's side non-blocking, copy the window size, print the
 * banner and, interactive, put the terminal in raw mode. Not for
 * CONSOLE_PIPE. */
int console_start(struct console *c, int master, enum console_mode mode,
		  const struct console_opts *o, struct err *e);

/* Fill up to max pollfds for the caller's poll; returns how many. The
 * caller appends them to its own array and hands the same slice back to
 * console_dispatch. Call it anew before every poll: the set changes. */
int console_pollfds(struct console *c, struct pollfd *fds, int max);

/* The poll timeout the console needs, in ms: >= 0 while it is backing off a
 * hung-up master, -1 when it has no deadline. Use the smaller of the caller's
 * and this one. */
int console_timeout_ms(const struct console *c);

/* After poll: move what is ready. Returns 0, CONSOLE_ESCAPE (the caller kills
 * the container), or a negative errno with e set. */
int console_dispatch(struct console *c, const struct pollfd *fds, int n, struct err *e);

/* True once the user's terminal is gone (interactive: in raw mode its end
 * of input means a hangup), so the caller can stop the container as it
 * would on SIGHUP. */
bool console_hung_up(const struct console *c);

/* On SIGWINCH: copy the user's window size to the container again. */
void console_winch(struct console *c);

/* Copy out what output is still queued (for at most a second), restore the
 * terminal and the fds' flags, close master. Idempotent. */
void console_stop(struct console *c);

/* Container side, before exec'ing init: a new pty from the container's own
 * devpts, unlocked; *master gets its fd (O_CLOEXEC), slave_path "/dev/pts/N". */
int console_open_pty(int *master, char *slave_path, size_t size, struct err *e);

/* Container side: make slave_path stdin, stdout and stderr, and the
 * controlling terminal of a new session. */
int console_attach_stdio(const char *slave_path, struct err *e);
