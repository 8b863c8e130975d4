/* mount-table.c — the container's layout: every mount, directory, link
 * and file volspawn makes, one row each, top to bottom; inside/layout.c
 * applies them in order below the new root. */
#include "inside/mount-table.h"

#include <sys/stat.h>

#include "lib/mount-util.h"

/* filesystem options, key and value (NULL for a flag); sizes as nspawn's */
#define TMPFS_ROOT FS_OPTS("mode", "0755", "size", "25%", "nr_inodes", "1m")
#define TMPFS_TMP FS_OPTS("mode", "1777", "size", "10%", "nr_inodes", "400k")
#define TMPFS_RUN FS_OPTS("mode", "0755", "size", "20%", "nr_inodes", "800k")
#define TMPFS_DEV FS_OPTS("mode", "0755", "size", "4m", "nr_inodes", "64k")
#define TMPFS_COVER FS_OPTS("mode", "0555", "size", "4k", "nr_inodes", "1")   /* over a tree's /proc or /sys */
#define DEVPTS FS_OPTS("newinstance", NULL, "ptmxmode", "0666", "mode", "620", "gid", "5")
#define RAMFS_CREDS FS_OPTS("mode", "0700")
/* an overlay made in a user namespace keeps its own attributes in user.* xattrs */
#define OVERLAY_OPTS FS_OPTS("userxattr", NULL)
/* uid= and gid= are the user's, added when it is mounted */
#define TMPFS_HOME FS_OPTS("mode", "0700", "size", "10%", "nr_inodes", "400k")
/* the owners the server reports are read in our user namespace, where
 * the connection was opened and mounted; fd= is added when it is opened */
#define USRFS_OPTIONS FS_OPTS("rootmode", "40000", "user_id", "0", "group_id", "0", "allow_other", NULL, \
			      "default_permissions", NULL)

/* The container, top to bottom; sizes and modes as systemd-nspawn's. */
const struct row mount_table[] = {
/*	 kind   where                         what                   options / contents                            attr                     mode   when */
	{ ROOT,  "/",                          "tmpfs",               TMPFS_ROOT,                                   0,                       0,     V_YES },
	{ ROOT,  "/",                          "tree:",               NULL,                                         RDONLY,                  0,     V_STATE },
	{ ROOT,  "/",                          "tree:",               NULL,                                         0,                       0,     V_NO },
	{ ROOT,  "/",                          "overlay",             NULL,                                         0,                       0,     V_OVERLAY },
	{ DIR_,  "/usr",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ BIND,  "/usr",                       "tree:usr",            NULL,                                         RDONLY,                  0,     V_YES | PLAIN },
	/* rootless, the true owners: host root's files as container root's, setuid working */
	{ USRFS, "/usr",                       "fuse",                USRFS_OPTIONS,                                RDONLY | NODEV,          0,     V_YES | V_STATE | V_OVERLAY | SERVED },
	{ MERGE, "/",                          NULL,                  NULL,                                         0,                       0,     V_YES },
	{ DIR_,  "/etc",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/var",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/root",                      NULL,                  NULL,                                         0,                       0700,  V_YES },
	{ DIR_,  "/home",                      NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/srv",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/mnt",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ DIR_,  "/opt",                       NULL,                  NULL,                                         0,                       0755,  V_YES },
	{ ZONE,  "/etc/localtime",             NULL,                  NULL,                                         0,                       0,     V_YES | V_OVERLAY },
	{ COPY,  "/etc/resolv.conf",           "/etc/resolv.conf",    NULL,                                         0,                       0644,  V_YES | V_OVERLAY },
	/* the host's /etc, copied by a process of its own from here on while
	 * the rows below are made; it leaves out what they make below /etc */
	{ ETC,   "/etc",                       "host:/etc",           NULL,                                         0,                       0,     V_YES | HOST_ETC },
	{ FS,    "/var",                       "tmpfs",               TMPFS_ROOT,                                   0,                       0,     V_STATE },
	{ DIR_,  "/tmp",                       NULL,                  NULL,                                         0,                       01777, V_ANY },
	{ FS,    "/tmp",                       "tmpfs",               TMPFS_TMP,                                    NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/run",                       NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/run",                       "tmpfs",               TMPFS_RUN,                                    NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/run/host",                  NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FILE_, "/run/host/container-manager", "volspawn\n",         NULL,                                         0,                       0444,  V_ANY },
	{ UUID,  "/run/host/container-uuid",   NULL,                  NULL,                                         0,                       0444,  V_ANY },
	{ BIND,  "/run/host/os-release",       "host:/etc/os-release", NULL,                                        RDONLY,                  0444,  V_ANY },
	{ DIR_,  "/run/host/inaccessible",     NULL,                  NULL,                                         0,                       0755,  V_ANY },
	/* what systemd mounts over paths its services may not see (mknod of
	 * devices is refused in a user namespace: those are best effort) */
	{ FILE_, "/run/host/inaccessible/reg", "",                    NULL,                                         0,                       0000,  V_ANY },
	{ DIR_,  "/run/host/inaccessible/dir", NULL,                  NULL,                                         0,                       0000,  V_ANY },
	{ NODE,  "/run/host/inaccessible/fifo", NULL,                 NULL,                                         0,                       S_IFIFO,  V_ANY },
	{ NODE,  "/run/host/inaccessible/sock", NULL,                 NULL,                                         0,                       S_IFSOCK, V_ANY },
	{ NODE,  "/run/host/inaccessible/chr", NULL,                  NULL,                                         0,                       S_IFCHR,  V_ANY },
	{ NODE,  "/run/host/inaccessible/blk", NULL,                  NULL,                                         0,                       S_IFBLK,  V_ANY },
	{ DIR_,  "/dev",                       NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev",                       "tmpfs",               TMPFS_DEV,                                    NOSUID,                  0,     V_ANY },
	{ BIND,  "/dev/null",                  "host:/dev/null",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/zero",                  "host:/dev/zero",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/full",                  "host:/dev/full",      NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/random",                "host:/dev/random",    NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/urandom",               "host:/dev/urandom",   NULL,                                         0,                       0666,  V_ANY },
	{ BIND,  "/dev/tty",                   "host:/dev/tty",       NULL,                                         0,                       0666,  V_ANY },
	{ DIR_,  "/dev/pts",                   NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev/pts",                   "devpts",              DEVPTS,                                       NOSUID | NOEXEC,         0,     V_ANY },
	{ LINK,  "/dev/ptmx",                  "pts/ptmx",            NULL,                                         0,                       0,     V_ANY },
	{ DIR_,  "/dev/shm",                   NULL,                  NULL,                                         0,                       01777, V_ANY },
	{ FS,    "/dev/shm",                   "tmpfs",               TMPFS_TMP,                                    NOSUID | NODEV,          0,     V_ANY },
	{ DIR_,  "/dev/mqueue",                NULL,                  NULL,                                         0,                       0755,  V_ANY },
	{ FS,    "/dev/mqueue",                "mqueue",              NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | INNER },
	{ LINK,  "/dev/fd",                    "/proc/self/fd",       NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stdin",                 "/proc/self/fd/0",     NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stdout",                "/proc/self/fd/1",     NULL,                                         0,                       0,     V_ANY },
	{ LINK,  "/dev/stderr",                "/proc/self/fd/2",     NULL,                                         0,                       0,     V_ANY },
	{ DIR_,  "/proc",                      NULL,                  NULL,                                         0,                       0555,  V_ANY },
	/* a tree's /proc and /sys may hold mounts (the host's own, for -D /):
	 * covered here, locked, so that unmounting the container's shows nothing */
	{ FS,    "/proc",                      "tmpfs",               TMPFS_COVER,                                  RDONLY | NOSUID | NODEV | NOEXEC, 0, V_STATE | V_NO | V_OVERLAY },
	{ FS,    "/proc",                      "proc",                NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | INNER },
	{ RO,    "/proc/sys",                  NULL,                  NULL,                                         0,                       0,     V_ANY | INNER },
	{ BIND,  "/proc/kallsyms",             "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/kcore",                "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/keys",                 "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/sysrq-trigger",        "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ BIND,  "/proc/timer_list",           "root:/run/host/inaccessible/reg", NULL,                             RDONLY,                  0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/acpi",                 NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/apm",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/asound",               NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/bus",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/fs",                   NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/irq",                  NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ RO,    "/proc/scsi",                 NULL,                  NULL,                                         0,                       0,     V_ANY | OPTIONAL | INNER },
	{ DIR_,  "/sys",                       NULL,                  NULL,                                         0,                       0555,  V_ANY },
	{ BIND,  "/sys",                       "host:/sys",           NULL,                                         RDONLY,                  0,     V_ANY | HOSTNET },
	{ FS,    "/sys",                       "tmpfs",               TMPFS_COVER,                                  RDONLY | NOSUID | NODEV | NOEXEC, 0, V_STATE | V_NO | V_OVERLAY | NETNS },
	{ FS,    "/sys",                       "sysfs",               NULL,                                         RDONLY | NOSUID | NODEV | NOEXEC, 0, V_ANY | NETNS | INNER },
	{ FS,    "/sys/fs/cgroup",             "cgroup2",             NULL,                                         NOSUID | NODEV | NOEXEC, 0,     V_ANY | BOOT | INNER },
	/* units that cannot work in a container masked: nothing would come
	 * online, and without privilege on the host no debugfs, no network setup */
	{ DIR_,  "/etc/systemd/system",        NULL,                  NULL,                                         0,                       0755,  V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/systemd-networkd-wait-online.service", "/dev/null", NULL,                     0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/sys-kernel-debug.mount", "/dev/null", NULL,                                   0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/sys-kernel-tracing.mount", "/dev/null", NULL,                                 0,                       0,     V_YES | V_OVERLAY | BOOT },
	{ LINK,  "/etc/systemd/system/systemd-networkd.service", "/dev/null", NULL,                                 0,                       0,     V_YES | V_OVERLAY | BOOT | HOSTNET },
	{ LINK,  "/etc/systemd/system/systemd-networkd.socket", "/dev/null", NULL,                                  0,                       0,     V_YES | V_OVERLAY | BOOT | HOSTNET },
	/* farms of links, too many to copy at every start (the copy leaves
	 * them out); their writable layers are in /run/host/etc-layers/<where> */
	{ OVERLAY_DIR, "/etc/alternatives",    "host:/etc/alternatives", OVERLAY_OPTS,                              0,                       0755,  V_YES | HOST_ETC },
	{ OVERLAY_DIR, "/etc/ssl/certs",       "host:/etc/ssl/certs", OVERLAY_OPTS,                                 0,                       0755,  V_YES | HOST_ETC },
	{ FRESH_HOMES, "each bound user's home", "tmpfs",           TMPFS_HOME,                                   NOSUID | NODEV,          0700,  V_ANY | USERS | HERE },
	{ BINDS, "DST of each --bind[-ro]",    "SRC, opened as the user", NULL,                                     0,                       0,     V_ANY },
	{ TMPFS, "PATH of each --tmpfs",       "tmpfs",               NULL,                                         NOSUID | NODEV,          0,     V_ANY },
	{ USERDB, BIND_USER_USERDB_DIR,          NULL,                  NULL,                                         0,                       0755,  V_ANY | USERS },
	{ HOMES, "each bound user's home",     "the home, opened as the user (root: idmapped)", NULL,               0,                       0,     V_ANY | USERS | OWN_HOMES },
	{ CREDS, CREDS_DIR,                  "ramfs",               RAMFS_CREDS,                                  RDONLY | NOSUID | NODEV | NOEXEC, 0700, V_ANY | CREDS_ },
	{ SUDOERS, "/etc/sudoers.d/volspawn-bind-user", NULL,         NULL,                                         0,                       0440,  V_ANY | SUDO },
	{ AUTOLOGIN, "/etc/systemd/system/console-getty.service.d/autologin.conf", NULL, NULL,                      0,                       0644,  V_ANY | BOOT | LOGIN },
	{ POLKIT, "/etc/polkit-1/rules.d/50-volspawn-bind-user.rules", NULL, NULL,                          0,                       0644,  V_YES | V_OVERLAY | BOOT | USERS },
	/* after every mount of the builder's: none shows the host's processes */
	{ COVERS, "each host procfs and sysfs below /", "tmpfs",      TMPFS_COVER,                                  RDONLY | NOSUID | NODEV | NOEXEC, 0, V_ANY },
};

const size_t mount_table_size = sizeof mount_table / sizeof mount_table[0];

bool mount_table_wanted(const struct row *r, const struct config *c, const struct handoff *ho)
{
	static const unsigned by_mode[] = {
		[VOLATILE_NO] = V_NO, [VOLATILE_YES] = V_YES,
		[VOLATILE_STATE] = V_STATE, [VOLATILE_OVERLAY] = V_OVERLAY,
	};
	const struct { unsigned flag; bool holds; } conditions[] = {
		{ NETNS, c->private_network },
		{ HOSTNET, !c->private_network },
		{ BOOT, c->boot },
		{ SERVED, ho->serve_usr },
		{ PLAIN, !ho->serve_usr },
		{ USERS, ho->n_users > 0 },
		{ CREDS_, handoff_has_creds(&c->creds, ho) },
		{ SUDO, c->bind_user_sudo },
		{ LOGIN, c->autologin != NULL },
		{ HOST_ETC, c->etc_mode != ETC_EMPTY },
		{ OWN_HOMES, !c->here },
		{ HERE, c->here },
	};
	if (!(r->when & by_mode[c->volatile_mode]))
		return false;
	for (size_t i = 0; i < sizeof conditions / sizeof conditions[0]; i++)
		if ((r->when & conditions[i].flag) && !conditions[i].holds)
			return false;
	return true;
}
