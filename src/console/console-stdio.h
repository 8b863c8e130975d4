/* console-stdio.h — the user's terminal, where it is stdin, stdout or
 * stderr of a container that has no pty of its own (--console=pipe, a
 * command's default unless stdin and stdout are both terminals): relayed
 * through pipes, so that the container gets the bytes and never the
 * terminal, whose modes it could change and whose keystrokes it could read
 * through any of the three (a shell opens its terminal read-write). What
 * is not a terminal is passed through as it is. */
#pragma once

#include <poll.h>
#include <stdbool.h>

#include "console/console.h"
#include "lib/err.h"

#define CONSOLE_STDIO_POLLFDS 3

/* A zeroed struct (or one console_stdio_open found no terminal for) is a
 * relay that does nothing. */
struct console_stdio {
	bool on;
	int child[3];            /* the container's ends, to be its 0, 1, 2; -1: passed as it is */
	bool shared;             /* stdout and stderr are one terminal: one pipe, child[2] == child[1] */
	int pipe[3];             /* our ends: stdin's to write, stdout's and stderr's to read */
	int term[3], flags[3];   /* our fds on the terminal (console_fd_open), and what to put back */
	struct console_buf buf[3];
	bool done[3];            /* stdin: EOF or no reader; output: EOF */
	bool lost[3];            /* output: the terminal is gone, what comes is dropped */
	int n_slots, slots[CONSOLE_STDIO_POLLFDS];
};

/* In the front, before the clone: a pipe for each of 0, 1, 2 that is a terminal. */
int console_stdio_open(struct console_stdio *s, struct err *e);

/* In the clone: the container's ends become its 0, 1, 2. */
void console_stdio_child(const struct console_stdio *s);

/* In the front, after the clone: the container's ends are its only. */
void console_stdio_started(struct console_stdio *s);

/* For the front's poll loop, as console_pollfds, console_timeout_ms and
 * console_dispatch. Stdin is read only while we are in the terminal's
 * foreground (a job in the background leaves the shell's input alone). */
int console_stdio_pollfds(struct console_stdio *s, struct pollfd *fds, int max);
int console_stdio_timeout_ms(const struct console_stdio *s);
void console_stdio_dispatch(struct console_stdio *s, const struct pollfd *fds, int n);

/* Copy out what output is left (for at most a second), close, and put the
 * terminal's fds back as they were. Idempotent. */
void console_stdio_stop(struct console_stdio *s);
