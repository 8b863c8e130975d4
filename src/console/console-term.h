/* console-term.h — the user's side of the console: its fds, raw mode and
 * window size. Private to console*.c. */
#pragma once

#include "console/console.h"

/* An fd for our non-blocking I/O on the user's fd (acc: O_RDONLY or
 * O_WRONLY). *flags gets the status flags console_fd_close puts back, or -1
 * when the fd returned is a new one of ours. Returns the fd or -errno. */
int console_fd_open(int fd, int acc, int *flags);
void console_fd_close(int fd, int flags);

/* Interactive: stdin raw but for its output flags, stdout raw but for its
 * input and local flags, as systemd-nspawn; what was is kept in c. */
int console_raw(struct console *c, struct err *e);
void console_unraw(struct console *c);

/* Give master the window size of the terminal on fd: its own, else
 * $COLUMNS x $LINES, else 80x24. */
void console_copy_winsize(int fd, int master);
