/* ctl-main.c — volspawnctl: machinectl's verbs for the twins volspawn runs,
 * as the user who runs them. */
#include "ctl/ctl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_VERSION = 0x100, OPT_NO_LEGEND, OPT_UID, OPT_KILL_WHOM };

static const struct option long_options[] = {
	{ "help",      no_argument,       NULL, 'h' },
	{ "version",   no_argument,       NULL, OPT_VERSION },
	{ "machine",   required_argument, NULL, 'M' },
	{ "output",    required_argument, NULL, 'o' },
	{ "no-legend", no_argument,       NULL, OPT_NO_LEGEND },
	{ "quiet",     no_argument,       NULL, 'q' },
	{ "uid",       required_argument, NULL, OPT_UID },
	{ "setenv",    required_argument, NULL, 'E' },
	{ "signal",    required_argument, NULL, 's' },
	{ "kill-whom", required_argument, NULL, OPT_KILL_WHOM },
	{ NULL, 0, NULL, 0 },
};

static const char *const verbs[] = { "list", "shell", "login", "poweroff", "reboot", "terminate", "kill" };

static void usage(void)
{
	printf("Usage: volspawnctl [OPTIONS] COMMAND [NAME] [...]\n"
	       "Reach the twins volspawn runs for you: no root, no daemon.\n\n"
	       "Commands:\n"
	       "  list                       your running twins\n"
	       "  shell [[USER]@]NAME [COMMAND [ARGS...]]\n"
	       "                             a login session of USER (default root) in a booted\n"
	       "                             twin, or COMMAND in it; its exit status is ours\n"
	       "  login NAME                 a login prompt on a new pty of a booted twin\n"
	       "  poweroff NAME              shut it down cleanly, and wait until it is gone\n"
	       "  reboot NAME                reboot a booted twin\n"
	       "  terminate NAME             kill it now, and wait until it is gone\n"
	       "  kill NAME                  send its processes a signal\n\n"
	       "Options:\n"
	       "  -h --help                  this help\n"
	       "     --version               the version\n"
	       "  -M --machine=NAME          the twin, in place of NAME\n"
	       "  -o --output=MODE           list: table (default), json or json-pretty\n"
	       "     --no-legend             list: no header, no footer\n"
	       "  -q --quiet                 shell, login: no banner\n"
	       "     --uid=USER              shell: as USER (as USER@NAME)\n"
	       "  -E --setenv=NAME=VALUE     shell: an environment variable\n"
	       "  -s --signal=SIGNAL         kill: the signal (default TERM)\n"
	       "     --kill-whom=all|leader  kill: every process of the twin (default) or its init\n");
}

/* "TERM", "SIGTERM", "15", "RTMIN+4": as kill(1) and systemd take them. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && *end == '\0')
		return n > 0 && n <= SIGRTMAX ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN+", 6) == 0 || strncasecmp(s, "RTMAX-", 6) == 0) {
		n = strtol(s + 6, &end, 10);
		int sig = toupper((unsigned char)s[2]) == 'M' && toupper((unsigned char)s[3]) == 'I' ? SIGRTMIN + (int)n : SIGRTMAX - (int)n;
		return *end == '\0' && n >= 0 && sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
	}
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sigabbrev_np(sig) && strcasecmp(s, sigabbrev_np(sig)) == 0)
			return sig;
	return -1;
}

static int bad(const char *fmt, const char *what)
{
	struct err e = { 0 };
	err_set(&e, EINVAL, fmt, what, what);
	ctl_print(&e);
	return -1;
}

static int one_option(int opt, struct ctl_opts *o, char **argv)
{
	switch (opt) {
	case 'M': o->machine = optarg; return 0;
	case 'o':
		o->output = optarg;
		return strcmp(optarg, "table") && strcmp(optarg, "json") && strcmp(optarg, "json-pretty")
			       ? bad("--output=%s: expected table, json or json-pretty", optarg) : 0;
	case OPT_NO_LEGEND: o->no_legend = true; return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_UID: o->user = optarg; return 0;
	case 'E':
		if (!strchr(optarg, '=') || optarg[0] == '=')
			return bad("--setenv=%s: expected NAME=VALUE", optarg);
		o->setenv[o->n_setenv++] = optarg;
		return 0;
	case 's':
		o->signal = parse_signal(optarg);
		return o->signal < 0 ? bad("--signal=%s: expected a signal's name or number, such as TERM, SIGKILL, 9 or RTMIN+4", optarg) : 0;
	case OPT_KILL_WHOM:
		o->leader_only = strcmp(optarg, "leader") == 0;
		return !o->leader_only && strcmp(optarg, "all") ? bad("--kill-whom=%s: expected all or leader", optarg) : 0;
	case ':': return bad("option %s needs a value; see volspawnctl --help", argv[optind - 1]);
	default: return bad("unknown option %s; see volspawnctl --help", argv[optind - 1]);
	}
}

/* Options before the command, and after it: for a shell only up to the
 * twin's name, as what follows is the command's. */
static int options(int argc, char **argv, const char *optstring, struct ctl_opts *o)
{
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
		if (opt == 'h')
			return usage(), 1;
		if (opt == OPT_VERSION)
			return printf("volspawnctl %s\n", VERSION), 1;
		if (one_option(opt, o, argv) < 0)
			return -1;
	}
	return 0;
}

static bool known_verb(const char *verb)
{
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verbs[i], verb) == 0)
			return true;
	return false;
}

/* What follows the command: a twin's name (unless -M gave it), then for
 * a shell the command, a leading "--" dropped. */
static int positional(int argc, char **argv, struct ctl_opts *o)
{
	int i = optind;
	bool is_list = strcmp(o->verb, "list") == 0, is_shell = strcmp(o->verb, "shell") == 0;
	if (!o->machine && !is_list && i < argc && strcmp(argv[i], "--") != 0)
		o->machine = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (!is_list && !o->machine)
		return bad("%s needs the name of a twin; volspawnctl list shows yours", o->verb);
	const char *name = o->machine ? strrchr(o->machine, '@') : NULL;
	name = name && is_shell ? name + 1 : o->machine;
	if (name && !registry_name_valid(name))
		return bad("%s: expected the name of a twin (letters, digits, '-', '.'); volspawnctl list shows yours", name);
	if (is_shell && i < argc)
		o->command = argv + i;
	else if (i < argc)
		return bad("unexpected argument '%s'; see volspawnctl --help", argv[i]);
	return 0;
}

static int parse(int argc, char **argv, struct ctl_opts *o)
{
	int r = options(argc, argv, "+:hM:o:qE:s:", o);
	if (r != 0)
		return r;
	if (optind >= argc)
		return bad("which command? see volspawnctl --help%s", "");
	o->verb = argv[optind];
	if (!known_verb(o->verb))
		return bad("unknown command %s; see volspawnctl --help", o->verb);
	argc -= optind;
	argv += optind;
	optind = 0;
	r = options(argc, argv, strcmp(o->verb, "shell") == 0 ? "+:hM:o:qE:s:" : ":hM:o:qE:s:", o);
	return r != 0 ? r : positional(argc, argv, o);
}

void ctl_print(const struct err *e)
{
	fprintf(stderr, "volspawnctl: %s\n", e->msg[0] ? e->msg : strerror(e->code));
}

int main(int argc, char **argv)
{
	struct ctl_opts o = { .output = "table", .signal = SIGTERM };
	o.setenv = calloc((size_t)argc + 1, sizeof *o.setenv);
	if (!o.setenv)
		return 1;
	int r = parse(argc, argv, &o);
	if (r == 0)
		r = strcmp(o.verb, "list") == 0    ? ctl_list(&o)
		    : strcmp(o.verb, "shell") == 0 ? ctl_shell(&o)
		    : strcmp(o.verb, "login") == 0 ? ctl_login(&o)
						   : ctl_power(&o);
	else
		r = r < 0 ? 1 : 0;
	free(o.setenv);
	return r;
}
