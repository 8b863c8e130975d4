/* options.c — parsing the command line into struct config. */
#include "cli/options.h"
#include "cli/here.h"
#include "cli/values.h"
#include "console/console.h"
#include "lib/mount-options.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_VOLATILE = 0x100,
	OPT_PRIVATE_USERS,
	OPT_BIND,
	OPT_BIND_RO,
	OPT_TMPFS,
	OPT_CHDIR,
	OPT_HOSTNAME,
	OPT_PRIVATE_NETWORK,
	OPT_VERSION,
	OPT_BIND_USER,
	OPT_AUTOLOGIN,
	OPT_ETC,
	OPT_CONSOLE,
	OPT_SET_CREDENTIAL,
	OPT_LOAD_CREDENTIAL,
	OPT_ROOT_PASSWORD,
	OPT_BIND_USER_PASSWORD,
	OPT_OWNERSHIP,
	OPT_BIND_USER_SUDO,
	OPT_RLIMIT,
};

static const struct option long_options[] = {
	{ "directory",       required_argument, NULL, 'D' },
	{ "volatile",        optional_argument, NULL, OPT_VOLATILE },
	{ "private-users",   optional_argument, NULL, OPT_PRIVATE_USERS },
	{ "private-users-ownership", required_argument, NULL, OPT_OWNERSHIP },
	{ "bind",            required_argument, NULL, OPT_BIND },
	{ "bind-ro",         required_argument, NULL, OPT_BIND_RO },
	{ "tmpfs",           required_argument, NULL, OPT_TMPFS },
	{ "chdir",           required_argument, NULL, OPT_CHDIR },
	{ "setenv",          required_argument, NULL, 'E' },
	{ "machine",         required_argument, NULL, 'M' },
	{ "hostname",        required_argument, NULL, OPT_HOSTNAME },
	{ "private-network", no_argument,       NULL, OPT_PRIVATE_NETWORK },
	{ "boot",            no_argument,       NULL, 'b' },
	{ "bind-user",       required_argument, NULL, OPT_BIND_USER },
	{ "autologin",       required_argument, NULL, OPT_AUTOLOGIN },
	{ "bind-user-sudo",  no_argument,       NULL, OPT_BIND_USER_SUDO },
	{ "etc",             required_argument, NULL, OPT_ETC },
	{ "set-credential",  required_argument, NULL, OPT_SET_CREDENTIAL },
	{ "load-credential", required_argument, NULL, OPT_LOAD_CREDENTIAL },
	{ "root-password",   required_argument, NULL, OPT_ROOT_PASSWORD },
	{ "bind-user-password", required_argument, NULL, OPT_BIND_USER_PASSWORD },
	{ "rlimit",          required_argument, NULL, OPT_RLIMIT },
	{ "user",            required_argument, NULL, 'u' },
	{ "here",            no_argument,       NULL, 'H' },
	{ "pipe",            no_argument,       NULL, 'P' },
	{ "console",         required_argument, NULL, OPT_CONSOLE },
	{ "quiet",           no_argument,       NULL, 'q' },
	{ "help",            no_argument,       NULL, 'h' },
	{ "version",         no_argument,       NULL, OPT_VERSION },
	{ 0 }
};

static void usage(void)
{
	printf("Usage: volspawn [OPTIONS...] [COMMAND [ARGS...]]\n"
	       "       volspawn [OPTIONS...] --boot [INIT ARGS...]\n"
	       "\n"
	       "Run a command in a throwaway container made from an OS tree, without root.\n"
	       "\n"
	       "  -D --directory=PATH       OS tree to use (default: /)\n"
	       "     --volatile[=MODE]      yes: tmpfs root and read-only /usr (default for /);\n"
	       "                            state: read-only tree, tmpfs /var;\n"
	       "                            overlay: tmpfs overlay over the tree; no\n"
	       "  -U --private-users[=pick|yes|no]\n"
	       "                            accepted; a user namespace is always used\n"
	       "     --private-users-ownership=off|map|auto\n"
	       "                            /usr's owners inside: as the kernel shows them\n"
	       "                            (rootless: root's files as nobody), the true ones\n"
	       "                            (root: idmapped; rootless: served by volspawn-usrfs,\n"
	       "                            so setuid programs work), or map where it can (default)\n"
	       "     --bind=SRC[:DST[:OPTS]]\n"
	       "                            bind a host path (OPTS: rbind, norbind)\n"
	       "     --bind-ro=SRC[:DST[:OPTS]]\n"
	       "                            the same, read-only\n"
	       "     --tmpfs=PATH[:OPTS]    mount a tmpfs\n"
	       "     --chdir=PATH           working directory of the command\n"
	       "  -E --setenv=NAME=VALUE    set an environment variable\n"
	       "     --rlimit=LIMIT=SOFT[:HARD]\n"
	       "                            a resource limit for the container (NPROC bounds\n"
	       "                            its processes, counted in its own user namespace)\n"
	       "  -M --machine=NAME         machine name (default: from the directory)\n"
	       "     --hostname=NAME        host name (default: the machine name)\n"
	       "     --private-network      loopback only\n"
	       "  -b --boot                 boot the tree's init; ARGS go to init\n"
	       "     --bind-user=USER       bind a host user and their home (rootless: yourself)\n"
	       "     --autologin=USER       log USER in on the console without a password\n"
	       "  -u --user=NAME|UID        run the command as this user of the container\n"
	       "  -H --here                 run the command as you, in the directory you are in,\n"
	       "                            bound writable (your home inside is a fresh one)\n"
	       "     --bind-user-sudo       the bound users may run anything as root with sudo,\n"
	       "                            without a password (needs /usr's true owners)\n"
	       "     --etc=empty|base|host  what the volatile /etc holds: nothing, what logging\n"
	       "                            in and the host's tools need (default), or all of\n"
	       "                            the host's but its identity and secrets\n"
	       "     --set-credential=ID:VALUE\n"
	       "                            a credential for the container (C escapes allowed)\n"
	       "     --load-credential=ID:PATH\n"
	       "                            a credential read from a file or socket\n"
	       "     --root-password=ask    ask for root's password (no echo) and pass its hash\n"
	       "     --bind-user-password=ask\n"
	       "                            ask for the bound users' passwords likewise\n"
	       "     --console=MODE         interactive (default on a terminal), read-only\n"
	       "                            (default otherwise with --boot), passive, or pipe\n"
	       "  -P --pipe                 --console=pipe: stdin, stdout, stderr passed through\n"
	       "  -q --quiet                no informational messages\n"
	       "  -h --help                 this help\n"
	       "     --version              print the version\n");
}

static int set_string(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static int private_users(const char *s, struct config *c, struct err *e)
{
	if (!s || !strcmp(s, "yes") || !strcmp(s, "pick") || !strcmp(s, "true"))
		return 0;
	if (!strcmp(s, "no") || !strcmp(s, "false")) {
		if (!c->quiet)
			notice("a user namespace is always used; --private-users=%s is ignored", s);
		return 0;
	}
	return err_set(e, EINVAL, "--private-users=%s: expected pick, yes or no", s);
}

/* The canonical path, so that "//", "/." or a link to / count as the host's
 * root; a path that does not exist is kept for ostree_check to report. */
static int directory(const char *s, struct config *c, struct err *e)
{
	char cwd[4096];
	if (!*s)
		return err_set(e, EINVAL, "--directory: expected a path");
	free(c->directory);
	if ((c->directory = realpath(s, NULL)))
		return 0;
	if (s[0] == '/')
		return set_string(&c->directory, s);
	if (!getcwd(cwd, sizeof cwd))
		return err_sys(e, errno, "--directory=%s: cannot resolve a relative path", s);
	return asprintf(&c->directory, "%s/%s", cwd, s) < 0 ? (c->directory = NULL, -ENOMEM) : 0;
}

static int absolute_path(const char *opt, const char *s, struct err *e)
{
	if (s[0] != '/')
		return err_set(e, EINVAL, "%s=%s: expected an absolute path", opt, s);
	return 0;
}

/* Report what getopt stopped at in one line of our own. */
static int unknown_option(int opt, char **argv, struct err *e)
{
	const char *what = argv[optind - 1];
	if (strncmp(what, "--", 2) != 0) {
		if (opt == ':')
			return err_set(e, EINVAL, "option -%c needs a value; see volspawn --help", optopt);
		return err_set(e, EINVAL, "unknown option -%c; see volspawn --help", optopt);
	}
	if (opt == ':')
		return err_set(e, EINVAL, "option %s needs a value; see volspawn --help", what);
	const char *eq = strchr(what, '=');
	for (const struct option *o = long_options; eq && o->name; o++)
		if (o->has_arg == no_argument && strlen(o->name) == (size_t)(eq - what - 2) &&
		    strncmp(o->name, what + 2, eq - what - 2) == 0)
			return err_set(e, EINVAL, "option --%s takes no value; see volspawn --help", o->name);
	return err_set(e, EINVAL, "unknown option %s; see volspawn --help", what);
}

/* libmount reads them: loaded only when a --tmpfs has options to read */
static int tmpfs_options(struct tmpfs *t, struct err *e)
{
	int r = mount_options_split(t->options, &t->fs_options, &t->attr);
	if (r == -ELIBACC)
		r = err_set(e, ELIBACC, "--tmpfs=%s:%s: cannot load libmount to read its options; install libmount (util-linux)", t->path, t->options);
	else if (r < 0 && r != -ENOMEM)
		r = err_set(e, -r, "--tmpfs=%s:%s: these are not mount options (an open quote, or a flag such as bind that is no filesystem's); give options of tmpfs(5), such as mode=0755,size=10%%",
			    t->path, t->options);
	if (r < 0)
		value_tmpfs_free(t);
	return r;
}

static int one_option(int opt, char **argv, struct config *c, struct err *e)
{
	struct bind b;
	struct tmpfs t;
	char *s;
	int r;

	switch (opt) {
	case 'D':
		return directory(optarg, c, e);
	case OPT_VOLATILE:
		c->volatile_set = true;
		return value_volatile(optarg, &c->volatile_mode, e);
	case 'U':
	case OPT_PRIVATE_USERS:
		return private_users(opt == 'U' ? NULL : optarg, c, e);
	case OPT_OWNERSHIP:
		return value_ownership(optarg, &c->ownership, e);
	case OPT_BIND:
	case OPT_BIND_RO:
		if ((r = value_bind(optarg, opt == OPT_BIND_RO, &b, e)) < 0)
			return r;
		if ((r = config_push((void **)&c->binds, &c->n_binds, sizeof b, &b)) < 0)
			value_bind_free(&b);
		return r;
	case OPT_TMPFS:
		if ((r = value_tmpfs(optarg, &t, e)) < 0 || (r = tmpfs_options(&t, e)) < 0)
			return r;
		if ((r = config_push((void **)&c->tmpfs, &c->n_tmpfs, sizeof t, &t)) < 0)
			value_tmpfs_free(&t);
		return r;
	case OPT_RLIMIT: {
		struct limit lim;
		if ((r = value_rlimit(optarg, &lim, e)) < 0)
			return r;
		return config_push((void **)&c->rlimits, &c->n_rlimits, sizeof lim, &lim);
	}
	case OPT_CHDIR:
		if ((r = absolute_path("--chdir", optarg, e)) < 0)
			return r;
		return set_string(&c->chdir, optarg);
	case 'E':
		if ((r = value_setenv(optarg, e)) < 0)
			return r;
		if (!(s = strdup(optarg)))
			return -ENOMEM;
		if ((r = config_push((void **)&c->setenv, &c->n_setenv, sizeof s, &s)) < 0)
			free(s);
		return r;
	case 'M':
		if (!value_hostname_valid(optarg))
			return err_set(e, EINVAL, "--machine=%s: expected a valid host name (letters, digits, '-', '.')", optarg);
		return set_string(&c->machine, optarg);
	case OPT_HOSTNAME:
		if (!value_hostname_valid(optarg))
			return err_set(e, EINVAL, "--hostname=%s: expected a valid host name (letters, digits, '-', '.')", optarg);
		return set_string(&c->hostname, optarg);
	case OPT_PRIVATE_NETWORK:
		c->private_network = true;
		return 0;
	case 'P':
		c->console = CONSOLE_PIPE;
		c->console_set = true;
		return 0;
	case OPT_CONSOLE:
		c->console_set = true;
		return value_console(optarg, &c->console, e);
	case 'b':
		c->boot = true;
		return 0;
	case OPT_BIND_USER:
		if (!value_user_name_valid(optarg))
			return err_set(e, EINVAL, "--bind-user=%s: expected a user name", optarg);
		if (!(s = strdup(optarg)))
			return -ENOMEM;
		if ((r = config_push((void **)&c->bind_users, &c->n_bind_users, sizeof s, &s)) < 0)
			free(s);
		return r;
	case OPT_SET_CREDENTIAL:
		return creds_set(&c->creds, optarg, e);
	case OPT_LOAD_CREDENTIAL:
		return creds_load(&c->creds, optarg, e);
	case OPT_ROOT_PASSWORD:
	case OPT_BIND_USER_PASSWORD:
		if (strcmp(optarg, "ask") != 0)
			return err_set(e, EINVAL, "%s=%s: expected ask (a password on the command line is seen by every user's ps; hash one with: volspawn hash-password)",
				       opt == OPT_ROOT_PASSWORD ? "--root-password" : "--bind-user-password", optarg);
		*(opt == OPT_ROOT_PASSWORD ? &c->ask_root_password : &c->ask_user_password) = true;
		return 0;
	case OPT_ETC:
		c->etc_set = true;
		return value_etc(optarg, &c->etc_mode, e);
	case OPT_BIND_USER_SUDO:
		c->bind_user_sudo = true;
		return 0;
	case OPT_AUTOLOGIN:
		if (!value_user_name_valid(optarg))
			return err_set(e, EINVAL, "--autologin=%s: expected a user name", optarg);
		return set_string(&c->autologin, optarg);
	case 'q':
		c->quiet = true;
		return 0;
	case 'u':
		if (!value_user_name_valid(optarg) && strspn(optarg, "0123456789") != strlen(optarg))
			return err_set(e, EINVAL, "--user=%s: expected a user name or a number", optarg);
		return set_string(&c->user, optarg);
	case 'H':
		c->here = true;
		return 0;
	default:
		return unknown_option(opt, argv, e);
	}
}

/* nspawn names a machine after its directory, and after the host for "/". */
static int default_machine(struct config *c, struct err *e)
{
	char buf[256];
	if (strcmp(c->directory, "/") == 0) {
		if (gethostname(buf, sizeof buf) < 0)
			return err_sys(e, errno, "cannot read the host name");
		buf[sizeof buf - 1] = '\0';
	} else {
		char *copy = strdup(c->directory);
		if (!copy)
			return -ENOMEM;
		snprintf(buf, sizeof buf, "%s", basename(copy));
		free(copy);
	}
	value_hostname_cleanup(buf);
	if (!value_hostname_valid(buf))
		return err_set(e, EINVAL, "cannot derive a machine name from %s; give one with --machine=NAME", c->directory);
	return set_string(&c->machine, buf);
}

static int finish(struct config *c, struct err *e)
{
	int r;
	if (!c->directory && (r = set_string(&c->directory, "/")) < 0)
		return r;
	if (!c->volatile_set && strcmp(c->directory, "/") == 0)
		c->volatile_mode = VOLATILE_YES;
	if (strcmp(c->directory, "/") == 0 && !volatile_traits(c->volatile_mode)->host_root)
		return err_set(e, EINVAL, "--directory=/ needs --volatile=yes or --volatile=state, so the host is never written");
	if (c->ask_root_password && creds_find(&c->creds, "passwd.hashed-password.root"))
		return err_set(e, EINVAL, "--root-password=ask and a passwd.hashed-password.root credential both set root's password; give one");
	if (c->ask_user_password && !c->n_bind_users)
		return err_set(e, EINVAL, "--bind-user-password=ask needs --bind-user=USER");
	/* a command's output piped somewhere must stay as it is (no pty's \r\n);
	 * a booted system's console is a pty in any case, as with nspawn */
	if (!c->console_set)
		c->console = c->boot || console_default_mode() == CONSOLE_INTERACTIVE ? console_default_mode() : CONSOLE_PIPE;
	/* nspawn's empty /etc cannot log anyone in on Debian, nor find awk,
	 * cc or a CA certificate: base is what the host's tools need */
	if (!c->etc_set)
		c->etc_mode = ETC_BASE;
	if (c->here && (r = here_expand(c, e)) < 0)
		return r;
	if (c->user && c->boot)
		return err_set(e, EINVAL, "--user=%s runs a command as that user; a booted system logs users in itself: give --autologin=%s", c->user, c->user);
	if (c->autologin && !c->boot)
		return err_set(e, EINVAL, "--autologin needs --boot: it logs in on the booted system's console");
	if (c->bind_user_sudo && !c->n_bind_users)
		return err_set(e, EINVAL, "--bind-user-sudo needs --bind-user=USER: it lets the bound users use sudo");
	if (c->bind_user_sudo && c->ownership == OWNERSHIP_OFF)
		return err_set(e, EINVAL, "--bind-user-sudo needs /usr's true owners (sudo refuses to run from a /usr not owned by root); drop --private-users-ownership=off");
	if (!c->machine && (r = default_machine(c, e)) < 0)
		return r;
	if (!c->hostname && (r = set_string(&c->hostname, c->machine)) < 0)
		return r;
	return 0;
}

int options_parse(int argc, char **argv, struct config *c, struct err *e)
{
	int opt, r;

	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+:D:UE:M:Pqhbu:H", long_options, NULL)) != -1) {
		if (opt == 'h') {
			usage();
			return 1;
		}
		if (opt == OPT_VERSION) {
			printf("volspawn %s\n", VERSION);
			return 1;
		}
		if ((r = one_option(opt, argv, c, e)) < 0)
			return r == -ENOMEM ? err_set(e, ENOMEM, "out of memory") : r;
	}
	if (optind < argc)
		c->command = argv + optind;
	if ((r = finish(c, e)) < 0)
		return r == -ENOMEM ? err_set(e, ENOMEM, "out of memory") : r;
	return 0;
}
