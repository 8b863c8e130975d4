/* fake-user-manager.c — just enough of a systemd user manager for
 * bats/scope.bats: org.freedesktop.systemd1.Manager.StartTransientUnit for
 * scopes with Delegate=yes, on the bus in $DBUS_SESSION_BUS_ADDRESS.
 *
 * Usage: fake-user-manager [--fail-with=DBUS.ERROR.NAME | --hang] BASE-CGROUP-DIR
 *
 * Run as root. Like systemd, it makes BASE/UNIT, hands it to the caller's
 * uid (the delegation) and moves the PIDs in, after replying with the
 * job's path, then emits JobRemoved. It refuses a request without
 * Delegate=yes, so a test proves volspawn asks for it; --fail-with makes
 * it refuse every request with that error; --hang makes it queue the job
 * and never run it, as a stuck manager would. Each request is logged on
 * stdout; "ready" is printed once the name is ours. The scopes it made
 * are removed when it exits (SIGTERM, SIGINT, or the bus going away):
 * systemd would collect an empty scope, and a test ends by stopping us. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 16
#define MAX_SCOPES 64

struct fake {
	const char *base;
	const char *fail_with;
	bool hang;
	unsigned jobs;
	char *scopes[MAX_SCOPES];   /* the directories we made, to remove at exit */
	size_t n_scopes;
};

/* What a StartTransientUnit call asked for. */
struct request {
	const char *unit, *mode, *description, *collect;
	const uint32_t *pids;
	size_t n_pids;
	int delegate;               /* -1: not given */
};

static int read_variant(sd_bus_message *m, const char *sig, void *value, struct request *q)
{
	int r = sd_bus_message_enter_container(m, 'v', sig);
	if (r < 0)
		return r;
	if (strcmp(sig, "au") == 0) {
		size_t size;
		r = sd_bus_message_read_array(m, 'u', (const void **)&q->pids, &size);
		q->n_pids = size / sizeof(uint32_t);
	} else {
		r = sd_bus_message_read_basic(m, sig[0], value);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_property(sd_bus_message *m, const char *key, struct request *q)
{
	if (strcmp(key, "PIDs") == 0)
		return read_variant(m, "au", NULL, q);
	if (strcmp(key, "Delegate") == 0)
		return read_variant(m, "b", &q->delegate, q);
	if (strcmp(key, "Description") == 0)
		return read_variant(m, "s", &q->description, q);
	if (strcmp(key, "CollectMode") == 0)
		return read_variant(m, "s", &q->collect, q);
	return sd_bus_message_skip(m, "v");
}

static int read_request(sd_bus_message *m, struct request *q)
{
	const char *key;
	int r = sd_bus_message_read(m, "ss", &q->unit, &q->mode);
	if (r < 0 || (r = sd_bus_message_enter_container(m, 'a', "(sv)")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "sv")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &key)) < 0 || (r = read_property(m, key, q)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
		return r;
	return sd_bus_message_skip(m, "a(sa(sv))");
}

/* A unit name must not lead us out of base. */
static bool valid_scope(const char *unit)
{
	size_t n = strlen(unit);
	if (n < 7 || n > 255 || strcmp(unit + n - 6, ".scope") != 0 || unit[0] == '.')
		return false;
	return strspn(unit, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\@") == n;
}

static int chown_delegated(const char *dir, uid_t uid, gid_t gid)
{
	static const char *const names[] = { "", "/cgroup.procs", "/cgroup.threads", "/cgroup.subtree_control" };
	char p[4200];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s%s", dir, names[i]);
		if (chown(p, uid, gid) < 0)
			return -errno;
	}
	return 0;
}

static int move_pids(const char *dir, const struct request *q)
{
	char p[4200], num[24];
	snprintf(p, sizeof p, "%s/cgroup.procs", dir);
	for (size_t i = 0; i < q->n_pids; i++) {
		int fd = open(p, O_WRONLY | O_CLOEXEC);
		int len = snprintf(num, sizeof num, "%u", q->pids[i]);
		if (fd < 0 || write(fd, num, (size_t)len) < 0) {
			int r = -errno;
			if (fd >= 0)
				close(fd);
			return r;
		}
		close(fd);
	}
	return 0;
}

/* The delegation goes to whoever called, as systemd --user runs as them.
 * dbus-daemon knows the caller's uid; the gid comes from /proc. */
static int sender_ids(sd_bus_message *m, uid_t *uid, gid_t *gid)
{
	sd_bus_creds *c = NULL;
	int r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_EGID | SD_BUS_CREDS_AUGMENT, &c);
	if (r >= 0)
		r = sd_bus_creds_get_euid(c, uid);
	if (r >= 0 && sd_bus_creds_get_egid(c, gid) < 0)
		*gid = (gid_t)-1;
	sd_bus_creds_unref(c);
	return r;
}

static int make_scope(struct fake *f, sd_bus_message *m, const struct request *q, char **dir, sd_bus_error *error)
{
	uid_t uid;
	gid_t gid;
	int r = sender_ids(m, &uid, &gid);
	if (r < 0)
		return sd_bus_error_set_errnof(error, -r, "fake user manager: cannot tell who called: %s", strerror(-r));
	if (f->n_scopes == MAX_SCOPES || asprintf(dir, "%s/%s", f->base, q->unit) < 0)
		return sd_bus_error_set_errno(error, ENOMEM);
	if (mkdir(*dir, 0755) < 0) {
		r = errno;
		free(*dir);
		if (r == EEXIST)
			return sd_bus_error_setf(error, "org.freedesktop.systemd1.UnitExists", "Unit %s already exists.", q->unit);
		return sd_bus_error_set_errnof(error, r, "fake user manager: cannot make cgroup for %s: %s", q->unit, strerror(r));
	}
	f->scopes[f->n_scopes++] = *dir;
	if ((r = chown_delegated(*dir, uid, gid)) < 0)
		return sd_bus_error_set_errnof(error, -r, "fake user manager: cannot delegate %s: %s", *dir, strerror(-r));
	return 0;
}

static void log_request(const struct request *q)
{
	printf("StartTransientUnit %s mode=%s delegate=%d description=%s collect=%s pids=", q->unit, q->mode, q->delegate,
	       q->description ? q->description : "-", q->collect ? q->collect : "-");
	for (size_t i = 0; i < q->n_pids; i++)
		printf("%s%u", i ? "," : "", q->pids[i]);
	printf("\n");
	fflush(stdout);
}

static int refusal(const struct fake *f, const struct request *q, sd_bus_error *error)
{
	if (f->fail_with)
		return sd_bus_error_setf(error, f->fail_with, "fake user manager told to refuse %s", q->unit);
	if (q->delegate != 1)
		return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "fake user manager: Delegate=yes is missing");
	if (!valid_scope(q->unit))
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Unit name %s is not a valid scope name.", q->unit);
	if (q->n_pids == 0 || q->n_pids > MAX_PIDS)
		return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "fake user manager: PIDs missing or too many");
	return 0;
}

/* As systemd: reply when the job is queued; the job runs (and moves the
 * PIDs) a moment later, then JobRemoved says how it went. */
static int method_start_transient_unit(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct fake *f = userdata;
	struct request q = { .delegate = -1 };
	char job[64], *dir;
	int r = read_request(m, &q);
	if (r < 0)
		return r;
	log_request(&q);
	if ((r = refusal(f, &q, error)) < 0 || (r = make_scope(f, m, &q, &dir, error)) < 0)
		return r;
	snprintf(job, sizeof job, "/org/freedesktop/systemd1/job/%u", ++f->jobs);
	if ((r = sd_bus_reply_method_return(m, "o", job)) < 0 || (r = sd_bus_flush(sd_bus_message_get_bus(m))) < 0)
		return r;
	if (f->hang)
		return 0;
	nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	r = move_pids(dir, &q);
	if (r < 0)
		fprintf(stderr, "fake-user-manager: cannot move PIDs into %s: %s\n", dir, strerror(-r));
	return sd_bus_emit_signal(sd_bus_message_get_bus(m), "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
				  "JobRemoved", "uoss", f->jobs, job, q.unit, r < 0 ? "failed" : "done");
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("StartTransientUnit", "ssa(sv)a(sa(sv))", "o", method_start_transient_unit, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL("JobRemoved", "uoss", 0),
	SD_BUS_VTABLE_END
};

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP && rmdir(path) < 0)
		fprintf(stderr, "fake-user-manager: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* rmdir dir and whatever cgroups the delegatee made below it, deepest
 * first (a cgroup's files are not ours to remove; rmdir takes them). */
static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)si;
	(void)userdata;
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int serve(struct fake *f)
{
	sd_event *ev = NULL;
	sd_bus *bus = NULL;
	sigset_t mask;
	int r;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((r = sd_event_default(&ev)) < 0 || (r = sd_event_add_signal(ev, NULL, SIGTERM, on_signal, NULL)) < 0 ||
	    (r = sd_event_add_signal(ev, NULL, SIGINT, on_signal, NULL)) < 0 || (r = sd_bus_open_user(&bus)) < 0 ||
	    (r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", manager_vtable, f)) < 0 ||
	    (r = sd_bus_request_name(bus, "org.freedesktop.systemd1", 0)) < 0 || (r = sd_bus_set_exit_on_disconnect(bus, 1)) < 0 ||
	    (r = sd_bus_attach_event(bus, ev, 0)) < 0)
		goto out;
	printf("ready\n");
	fflush(stdout);
	r = sd_event_loop(ev);
out:
	if (r < 0)
		fprintf(stderr, "fake-user-manager: %s\n", strerror(-r));
	sd_bus_flush_close_unref(bus);
	sd_event_unref(ev);
	return r;
}

int main(int argc, char **argv)
{
	struct fake f = { 0 };
	static const struct option opts[] = { { "fail-with", required_argument, NULL, 'f' },
					      { "hang", no_argument, NULL, 'h' }, { 0 } };
	int c, r;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			f.fail_with = optarg;
		else if (c == 'h')
			f.hang = true;
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: fake-user-manager [--fail-with=DBUS.ERROR.NAME | --hang] BASE-CGROUP-DIR\n");
		return 2;
	}
	f.base = argv[optind];
	r = serve(&f);
	for (size_t i = f.n_scopes; i-- > 0;) {
		remove_tree(f.scopes[i]);
		free(f.scopes[i]);
	}
	return r < 0 ? 1 : 0;
}
