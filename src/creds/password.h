/* password.h — passwords typed, never given on the command line, and their
 * yescrypt hashes for passwd.hashed-password.root. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "creds/creds.h"
#include "lib/err.h"
#include "users/bind-user.h"

struct config;

/* The longest password libxcrypt hashes, in bytes. */
#define PASSWORD_MAX 511

/* The yescrypt hash ("$y$…") of plain, with a fresh random salt, in a new
 * *hash (free it). */
int password_hash(const char *plain, char **hash, struct err *e);

/* Ask for a password on the terminal tty_fd: prompt, read one line without
 * echo (^C or ^D on an empty line cancel; backspace and ^U edit), and with
 * confirm ask again and compare. The terminal's settings are put back
 * whatever happens. An empty password is refused. The password is in a new
 * *out; give it to password_free. */
int password_read(int tty_fd, const char *prompt, bool confirm, char **out, struct err *e);

/* A line being typed: buf holds PASSWORD_MAX + 1 bytes, NUL after len. */
struct password_line {
	char *buf;
	size_t len;
	bool too_long;  /* more than PASSWORD_MAX bytes were typed */
	bool nul;       /* a NUL byte was typed; the line is refused */
};

/* Apply one byte typed on a terminal whose keys are t's (VERASE, VKILL,
 * VEOF, VINTR, VQUIT): 1 at the end of the line, 0 to go on, -ECANCELED
 * for ^C, ^\ or ^D on an empty line. Erased bytes are wiped at once. */
int password_edit(const struct termios *t, unsigned char c, struct password_line *l);

/* Wipe and free a password (NULL is fine). */
void password_free(char *p);

/* `volspawn hash-password`: read a password (asked twice without echo when
 * stdin is a terminal, else the first line of stdin) and print its hash and
 * a newline on stdout. argv[0] is the subcommand's name. Returns the exit
 * status: 0, or 1 after one line on stderr. */
int hash_password_main(int argc, char **argv);

/* What the command line asks for: root's password (--root-password=ask)
 * hashed into the credential passwd.hashed-password.root of ours, or root
 * locked ("!") when a boot has no root password at all; each bound user's
 * (--bind-user-password=ask) into its record. Asked on /dev/tty. */
int password_ask_all(const struct config *c, struct credentials *ours, struct bound_user *users, size_t n_users,
		     struct err *e);
