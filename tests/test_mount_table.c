/* test_mount_table.c — the mount table (inside/mount-table.c): the rows
 * each volatile mode and flag yields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/modes.h"
#include "etc/etc.h"
#include "inside/mount-table.h"
#include "users/bind-user.h"

/* ---- the table ---------------------------------------------------------- */

struct pick {
	struct config c;
	struct handoff ho;
};

static struct pick pick(enum volatile_mode mode)
{
	return (struct pick){ .c = { .volatile_mode = mode, .etc_mode = ETC_EMPTY } };
}

/* The wanted row of kind k at where (what too, unless NULL), outside or
 * inside the container's own namespaces; NULL if there is none. */
static const struct row *find(const struct pick *p, enum kind k, const char *where, const char *what, bool inner)
{
	for (size_t i = 0; i < mount_table_size; i++) {
		const struct row *r = &mount_table[i];
		if (r->kind != k || strcmp(r->where, where) || (what && (!r->what || strcmp(r->what, what))))
			continue;
		if (mount_table_wanted(r, &p->c, &p->ho) && (bool)(r->when & INNER) == inner)
			return r;
	}
	return NULL;
}

static size_t count_kind(const struct pick *p, enum kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < mount_table_size; i++)
		n += mount_table[i].kind == k && mount_table_wanted(&mount_table[i], &p->c, &p->ho);
	return n;
}

static const enum volatile_mode all_modes[] = { VOLATILE_YES, VOLATILE_STATE, VOLATILE_OVERLAY, VOLATILE_NO };

static void test_one_root_per_mode(void **state)
{
	static const struct { enum volatile_mode m; const char *what; uint64_t attr; } roots[] = {
		{ VOLATILE_YES, "tmpfs", 0 }, { VOLATILE_STATE, "tree:", RDONLY },
		{ VOLATILE_OVERLAY, "overlay", 0 }, { VOLATILE_NO, "tree:", 0 },
	};
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(roots[i].m);
		const struct row *r = find(&p, ROOT, "/", roots[i].what, false);
		assert_non_null(r);
		assert_int_equal(r->attr, roots[i].attr);
		assert_int_equal(count_kind(&p, ROOT), 1);
	}
}

/* yes: a tmpfs with the tree's /usr, read-only, and the merge links;
 * nothing else of the tree */
static void test_yes_takes_only_usr(void **state)
{
	struct pick p = pick(VOLATILE_YES);
	(void)state;
	const struct row *usr = find(&p, BIND, "/usr", "tree:usr", false);
	assert_non_null(usr);
	assert_true(usr->attr & RDONLY);
	assert_non_null(find(&p, MERGE, "/", NULL, false));
	assert_null(find(&p, USRFS, "/usr", NULL, false));
	for (const char *const *d = (const char *const[]){ "/etc", "/var", "/root", "/home", NULL }; *d; d++)
		assert_non_null(find(&p, DIR_, *d, NULL, false));
	assert_non_null(find(&p, ZONE, "/etc/localtime", NULL, false));
	assert_non_null(find(&p, COPY, "/etc/resolv.conf", "/etc/resolv.conf", false));
	/* the tree's /proc and /sys are not there to cover */
	assert_null(find(&p, FS, "/proc", "tmpfs", false));
}

static void test_served_usr_replaces_the_bind(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {   /* yes, state, overlay */
		struct pick p = pick(all_modes[i]);
		p.ho.serve_usr = true;
		const struct row *r = find(&p, USRFS, "/usr", "fuse", false);
		assert_non_null(r);
		assert_true((r->attr & RDONLY) && (r->attr & NODEV));
		assert_false(r->attr & NOSUID);   /* setuid is the point */
		assert_null(find(&p, BIND, "/usr", NULL, false));
	}
	struct pick no = pick(VOLATILE_NO);
	no.ho.serve_usr = true;   /* the front never asks: the tree is writable */
	assert_null(find(&no, USRFS, "/usr", NULL, false));
}

static void test_state_keeps_the_tree_with_a_fresh_var(void **state)
{
	struct pick p = pick(VOLATILE_STATE);
	(void)state;
	assert_non_null(find(&p, FS, "/var", "tmpfs", false));
	assert_null(find(&p, MERGE, "/", NULL, false));
	assert_null(find(&p, DIR_, "/etc", NULL, false));
	assert_null(find(&p, ZONE, "/etc/localtime", NULL, false));   /* /etc is the tree's, read-only */
	assert_non_null(find(&p, FS, "/proc", "tmpfs", false));       /* the tree's /proc covered */
}

static void test_api_filesystems_in_every_mode(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(all_modes[i]);
		assert_non_null(find(&p, FS, "/tmp", "tmpfs", false));
		assert_non_null(find(&p, FS, "/run", "tmpfs", false));
		assert_non_null(find(&p, FS, "/dev", "tmpfs", false));
		assert_non_null(find(&p, FS, "/dev/pts", "devpts", false));
		assert_non_null(find(&p, BIND, "/dev/null", "host:/dev/null", false));
		/* proc and mqueue belong to the container's own namespaces */
		assert_null(find(&p, FS, "/proc", "proc", false));
		assert_non_null(find(&p, FS, "/proc", "proc", true));
		assert_non_null(find(&p, FS, "/dev/mqueue", "mqueue", true));
		assert_non_null(find(&p, RO, "/proc/sys", NULL, true));
		assert_non_null(find(&p, BIND, "/proc/kcore", "root:/run/host/inaccessible/reg", true));
		assert_non_null(find(&p, FILE_, "/run/host/container-manager", NULL, false));
		assert_non_null(find(&p, UUID, "/run/host/container-uuid", NULL, false));
		assert_non_null(find(&p, BINDS, "DST of each --bind[-ro]", NULL, false));
		assert_non_null(find(&p, TMPFS, "PATH of each --tmpfs", NULL, false));
	}
}

static void test_private_network_gets_its_own_sysfs(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(all_modes[i]);
		const struct row *host = find(&p, BIND, "/sys", "host:/sys", false);
		assert_non_null(host);
		assert_true(host->attr & RDONLY);
		assert_null(find(&p, FS, "/sys", "sysfs", true));
		p.c.private_network = true;
		assert_null(find(&p, BIND, "/sys", "host:/sys", false));
		const struct row *own = find(&p, FS, "/sys", "sysfs", true);
		assert_non_null(own);
		assert_true(own->attr & RDONLY);
		/* a tree's own /sys is covered first, where the tree is used */
		assert_true((find(&p, FS, "/sys", "tmpfs", false) != NULL) == (all_modes[i] != VOLATILE_YES));
	}
}

static void test_boot_adds_cgroup2_and_masks(void **state)
{
	static const char mask[] = "/etc/systemd/system/systemd-networkd-wait-online.service";
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(all_modes[i]);
		bool etc_writable = all_modes[i] == VOLATILE_YES || all_modes[i] == VOLATILE_OVERLAY;
		assert_null(find(&p, FS, "/sys/fs/cgroup", "cgroup2", true));
		assert_null(find(&p, LINK, mask, "/dev/null", false));
		p.c.boot = true;
		assert_non_null(find(&p, FS, "/sys/fs/cgroup", "cgroup2", true));
		assert_true((find(&p, LINK, mask, "/dev/null", false) != NULL) == etc_writable);
		/* networkd is masked only when it would meet the host's network */
		const char *networkd = "/etc/systemd/system/systemd-networkd.service";
		assert_true((find(&p, LINK, networkd, NULL, false) != NULL) == etc_writable);
		p.c.private_network = true;
		assert_null(find(&p, LINK, networkd, NULL, false));
	}
}

/* What the command line adds has a row each, wanted only when asked for. */
static void test_steps_follow_the_command_line(void **state)
{
	struct bound_user alice = { .name = "alice", .home = "/home/alice" };
	struct credential cred = { .id = "a", .data = "b", .size = 1 };
	struct pick p = pick(VOLATILE_YES);
	(void)state;
	for (enum kind k = USERDB; k <= ETC; k++)
		assert_int_equal(count_kind(&p, k), 0);
	p.ho.users = &alice;
	p.ho.n_users = 1;
	assert_non_null(find(&p, USERDB, BIND_USER_USERDB_DIR, NULL, false));
	assert_non_null(find(&p, HOMES, "each bound user's home", NULL, false));
	p.ho.creds = (struct credentials){ &cred, 1 };   /* ours, as a locked root */
	const struct row *creds = find(&p, CREDS, CREDS_DIR, "ramfs", false);
	assert_non_null(creds);
	assert_int_equal(creds->attr, RDONLY | NOSUID | NODEV | NOEXEC);
	p.ho.creds = (struct credentials){ 0 };
	p.c.creds = (struct credentials){ &cred, 1 };    /* given on the command line */
	assert_non_null(find(&p, CREDS, CREDS_DIR, "ramfs", false));
	p.c.bind_user_sudo = true;
	assert_non_null(find(&p, SUDOERS, "/etc/sudoers.d/volspawn-bind-user", NULL, false));
	p.c.autologin = "alice";
	assert_null(find(&p, AUTOLOGIN, "/etc/systemd/system/console-getty.service.d/autologin.conf", NULL, false));
	p.c.boot = true;
	assert_non_null(find(&p, AUTOLOGIN, "/etc/systemd/system/console-getty.service.d/autologin.conf", NULL, false));
}

/* --etc fills /etc from the host's only where /etc starts empty. */
static void test_host_etc_only_on_a_tmpfs_root(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(all_modes[i]);
		for (enum etc_mode m = ETC_EMPTY; m <= ETC_HOST; m++) {
			p.c.etc_mode = m;
			bool expected = all_modes[i] == VOLATILE_YES && m != ETC_EMPTY;
			assert_true((find(&p, ETC, "/etc", "host:/etc", false) != NULL) == expected);
		}
	}
}

/* The steps come after every mount of the table, so that what they write
 * lands on the container's own filesystems. The host's /etc is copied
 * beside the rows below it (inside/etc-job.c): it comes once the root is
 * whole, and no row below it mounts in /etc but the overlaid directories,
 * which the copy leaves out. */
static void test_steps_come_last(void **state)
{
	(void)state;
	size_t etc = mount_table_size, first_step = mount_table_size;
	for (size_t i = 0; i < mount_table_size; i++)
		if (mount_table[i].kind == ETC)
			etc = i;
		else if (mount_table[i].kind >= BINDS && first_step == mount_table_size)
			first_step = i;
	for (size_t i = first_step; i < mount_table_size; i++)
		assert_true(mount_table[i].kind >= BINDS);
	assert_true(etc < first_step);
	for (size_t i = etc + 1; i < mount_table_size; i++) {
		const struct row *r = &mount_table[i];
		assert_true(r->kind != ROOT && r->kind != MERGE && r->kind != USRFS);
		if ((r->kind == FS || r->kind == BIND || r->kind == RO) && !strncmp(r->where, "/etc", 4))
			fail_msg("%s is mounted in /etc while the copy runs", r->where);
	}
}

/* After every mount of the builder's, in every mode: a cover over each
 * procfs and sysfs of the host's that came with a tree, bind or home. */
static void test_host_kernel_filesystems_are_covered_last(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct pick p = pick(all_modes[i]);
		const struct row *r = find(&p, COVERS, "each host procfs and sysfs below /", "tmpfs", false);
		assert_non_null(r);
		assert_int_equal(r->attr, RDONLY | NOSUID | NODEV | NOEXEC);
		size_t at = (size_t)(r - mount_table);
		/* the container's own mounts come later, in its namespaces */
		for (size_t k = at + 1; k < mount_table_size; k++)
			assert_true(mount_table[k].when & INNER);
	}
}

/* What the table says of each mode agrees with the traits the front uses. */
static void test_traits_agree_with_the_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const struct volatile_traits *t = volatile_traits(all_modes[i]);
		struct pick p = pick(all_modes[i]);
		const struct row *root = find(&p, ROOT, "/", NULL, false);
		if (t->idmapped && *t->idmapped)
			assert_non_null(find(&p, BIND, "/usr", "tree:usr", false));
		else if (t->idmapped)
			assert_string_equal(root->what, "tree:");
		else
			assert_string_equal(root->what, "overlay");
		p.ho.serve_usr = true;
		assert_true((find(&p, USRFS, "/usr", NULL, false) != NULL) == t->servable);
		assert_true(t->merged_usr == (find(&p, MERGE, "/", NULL, false) != NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_root_per_mode),
		cmocka_unit_test(test_yes_takes_only_usr),
		cmocka_unit_test(test_served_usr_replaces_the_bind),
		cmocka_unit_test(test_state_keeps_the_tree_with_a_fresh_var),
		cmocka_unit_test(test_api_filesystems_in_every_mode),
		cmocka_unit_test(test_private_network_gets_its_own_sysfs),
		cmocka_unit_test(test_boot_adds_cgroup2_and_masks),
		cmocka_unit_test(test_steps_follow_the_command_line),
		cmocka_unit_test(test_host_etc_only_on_a_tmpfs_root),
		cmocka_unit_test(test_steps_come_last),
		cmocka_unit_test(test_host_kernel_filesystems_are_covered_last),
		cmocka_unit_test(test_traits_agree_with_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
