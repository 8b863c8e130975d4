/* test_options.c — the command line, parsed into struct config
 * (options-fixture.h). What options_parse prints, or must not, is in
 * test_options_output.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/options.h"
#include "cli/values.h"
#include "options-fixture.h"

static char *host_machine_name(void)
{
	static char buf[256];
	assert_int_equal(gethostname(buf, sizeof buf), 0);
	buf[sizeof buf - 1] = '\0';
	value_hostname_cleanup(buf);
	return buf;
}

/* ---- defaults and --directory ---------------------------------------- */

static void test_defaults(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE_NOTHING(&f->c, &f->e), &f->e);
	assert_string_equal(f->c.directory, "/");
	assert_int_equal(f->c.volatile_mode, VOLATILE_YES);
	assert_null(f->c.command);
	assert_int_equal(f->c.n_binds, 0);
	assert_int_equal(f->c.n_tmpfs, 0);
	assert_int_equal(f->c.n_setenv, 0);
	assert_false(f->c.private_network);
	assert_false(f->c.console_set);
	assert_false(f->c.quiet);
	assert_int_equal(f->c.etc_mode, ETC_BASE);   /* the host's tools, for a command too */
	assert_null(f->c.user);
}

static void test_user_takes_names_and_numbers(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-u", "alice", "--", "id"), &f->e);
	assert_string_equal(f->c.user, "alice");
	config_free(&f->c);
	assert_parsed(PARSE(&f->c, &f->e, "--user=1000"), &f->e);
	assert_string_equal(f->c.user, "1000");
	config_free(&f->c);
	assert_rejected(PARSE(&f->c, &f->e, "--user=a:b"), &f->e);
	assert_string_equal(f->e.msg, "--user=a:b: expected a user name or a number");
}

static void test_user_refused_with_boot(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "-b", "--user=alice"), &f->e);
	assert_string_equal(f->e.msg, "--user=alice runs a command as that user; a booted system logs users in itself: give --autologin=alice");
}

static void test_default_machine_is_host_name(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE_NOTHING(&f->c, &f->e), &f->e);
	assert_string_equal(f->c.machine, host_machine_name());
}

static void test_default_hostname_is_machine(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-M", "box"), &f->e);
	assert_string_equal(f->c.machine, "box");
	assert_string_equal(f->c.hostname, "box");
}

static void test_default_hostname_is_default_machine(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE_NOTHING(&f->c, &f->e), &f->e);
	assert_string_equal(f->c.hostname, f->c.machine);
}

static void test_hostname_option_overrides(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-M", "box", "--hostname=web"), &f->e);
	assert_string_equal(f->c.machine, "box");
	assert_string_equal(f->c.hostname, "web");
}

static void test_directory_absolute_kept(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/trees/fedora"), &f->e);
	assert_string_equal(f->c.directory, "/srv/trees/fedora");
}

static void test_directory_relative_made_absolute(void **state)
{
	struct fixture *f = *state;
	char cwd[4096], expected[4200];
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(expected, sizeof expected, "%s/trees/fedora", cwd);
	assert_parsed(PARSE(&f->c, &f->e, "--directory=trees/fedora"), &f->e);
	assert_string_equal(f->c.directory, expected);
}

static void test_directory_empty_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--directory="), &f->e);
}

static void test_machine_named_after_directory(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/Fedora 40/"), &f->e);
	assert_string_equal(f->c.machine, "fedora40");
	assert_string_equal(f->c.hostname, "fedora40");
}

static void test_other_directory_not_volatile_by_default(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/tree"), &f->e);
	assert_int_equal(f->c.volatile_mode, VOLATILE_NO);
}

/* ---- --volatile ------------------------------------------------------- */

static void test_volatile_state_with_root_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/", "--volatile=state"), &f->e);
	assert_int_equal(f->c.volatile_mode, VOLATILE_STATE);
}

static void test_volatile_no_with_root_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "-D", "/", "--volatile=no"), &f->e);
	assert_contains(f->e.msg, "--volatile");
}

static void test_volatile_overlay_with_root_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--volatile=overlay"), &f->e);
	assert_contains(f->e.msg, "--volatile");
}

/* The host tree is the host tree however its path is spelled. */
static void test_volatile_no_with_root_spelled_differently_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "-D", "//", "-M", "box", "--volatile=no"), &f->e);
}

static void test_volatile_no_with_other_directory_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/tree", "--volatile=no"), &f->e);
	assert_int_equal(f->c.volatile_mode, VOLATILE_NO);
}

static void test_volatile_overlay_with_other_directory_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/tree", "--volatile=overlay"), &f->e);
	assert_int_equal(f->c.volatile_mode, VOLATILE_OVERLAY);
}

static void test_volatile_without_value_is_yes(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-D", "/srv/tree", "--volatile"), &f->e);
	assert_int_equal(f->c.volatile_mode, VOLATILE_YES);
}

static void test_volatile_bad_value_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--volatile=sometimes"), &f->e);
	assert_contains(f->e.msg, "sometimes");
}

/* ---- --private-users -------------------------------------------------- */

static void test_private_users_short_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-U"), &f->e);
}

static void test_private_users_pick_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--private-users=pick"), &f->e);
}

static void test_private_users_without_value_accepted(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--private-users"), &f->e);
}

static void test_private_users_bogus_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--private-users=bogus"), &f->e);
	assert_contains(f->e.msg, "bogus");
}

/* ---- accumulating options --------------------------------------------- */

static void test_binds_accumulate_in_order(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--bind=/srv/a", "--bind-ro=/srv/b:/b", "--bind", "/srv/c:/c:norbind"), &f->e);
	assert_int_equal(f->c.n_binds, 3);
	assert_string_equal(f->c.binds[0].src, "/srv/a");
	assert_string_equal(f->c.binds[0].dst, "/srv/a");
	assert_false(f->c.binds[0].read_only);
	assert_string_equal(f->c.binds[1].src, "/srv/b");
	assert_string_equal(f->c.binds[1].dst, "/b");
	assert_true(f->c.binds[1].read_only);
	assert_string_equal(f->c.binds[2].dst, "/c");
	assert_false(f->c.binds[2].recursive);
}

static void test_bad_bind_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--bind-ro=relative"), &f->e);
	assert_contains(f->e.msg, "--bind-ro");
}

static void test_tmpfs_accumulate_in_order(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--tmpfs=/scratch", "--tmpfs", "/cache:size=1m,mode=0700"), &f->e);
	assert_int_equal(f->c.n_tmpfs, 2);
	assert_string_equal(f->c.tmpfs[0].path, "/scratch");
	assert_string_equal(f->c.tmpfs[0].options, "mode=0755");
	assert_string_equal(f->c.tmpfs[1].path, "/cache");
	assert_string_equal(f->c.tmpfs[1].options, "size=1m,mode=0700");
}

static void test_setenv_accumulate_in_order(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-E", "A=1", "--setenv=B=2", "-EA=3"), &f->e);
	assert_int_equal(f->c.n_setenv, 3);
	assert_string_equal(f->c.setenv[0], "A=1");
	assert_string_equal(f->c.setenv[1], "B=2");
	assert_string_equal(f->c.setenv[2], "A=3");
}

static void test_bad_setenv_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "-E", "1A=x"), &f->e);
	assert_contains(f->e.msg, "1A=x");
}

/* ---- names ------------------------------------------------------------ */

static void test_invalid_machine_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "-M", "bad name!"), &f->e);
	assert_contains(f->e.msg, "bad name!");
}

static void test_invalid_hostname_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--hostname=a..b"), &f->e);
	assert_contains(f->e.msg, "a..b");
}

/* ---- other options ---------------------------------------------------- */

static void test_flags(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--private-network", "-P", "--quiet"), &f->e);
	assert_true(f->c.private_network);
	assert_int_equal(f->c.console, CONSOLE_PIPE);
	assert_true(f->c.quiet);
}

static void test_chdir_absolute_kept(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--chdir=/root/work"), &f->e);
	assert_string_equal(f->c.chdir, "/root/work");
}

static void test_chdir_relative_rejected(void **state)
{
	struct fixture *f = *state;
	assert_rejected(PARSE(&f->c, &f->e, "--chdir=work"), &f->e);
}

/* ---- the command ------------------------------------------------------ */

static void test_command_after_double_dash(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-q", "--", "ls", "-l", "/"), &f->e);
	assert_non_null(f->c.command);
	assert_string_equal(f->c.command[0], "ls");
	assert_string_equal(f->c.command[1], "-l");
	assert_string_equal(f->c.command[2], "/");
	assert_null(f->c.command[3]);
}

static void test_command_double_dash_keeps_dashed_command(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "--", "-q"), &f->e);
	assert_non_null(f->c.command);
	assert_string_equal(f->c.command[0], "-q");
	assert_null(f->c.command[1]);
	assert_false(f->c.quiet);
}

static void test_command_at_first_non_option(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "-q", "sh", "-c", "echo hi"), &f->e);
	assert_true(f->c.quiet);
	assert_non_null(f->c.command);
	assert_string_equal(f->c.command[0], "sh");
	assert_string_equal(f->c.command[1], "-c");
	assert_string_equal(f->c.command[2], "echo hi");
	assert_null(f->c.command[3]);
}

static void test_options_after_command_belong_to_it(void **state)
{
	struct fixture *f = *state;
	assert_parsed(PARSE(&f->c, &f->e, "ls", "--bind=/srv", "-D", "/srv/tree", "-x"), &f->e);
	assert_int_equal(f->c.n_binds, 0);
	assert_string_equal(f->c.directory, "/");
	assert_string_equal(f->c.command[0], "ls");
	assert_string_equal(f->c.command[1], "--bind=/srv");
	assert_string_equal(f->c.command[2], "-D");
	assert_string_equal(f->c.command[4], "-x");
	assert_null(f->c.command[5]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		options_test(test_defaults),
		options_test(test_user_takes_names_and_numbers),
		options_test(test_user_refused_with_boot),
		options_test(test_default_machine_is_host_name),
		options_test(test_default_hostname_is_machine),
		options_test(test_default_hostname_is_default_machine),
		options_test(test_hostname_option_overrides),
		options_test(test_directory_absolute_kept),
		options_test(test_directory_relative_made_absolute),
		options_test(test_directory_empty_rejected),
		options_test(test_machine_named_after_directory),
		options_test(test_other_directory_not_volatile_by_default),

		options_test(test_volatile_state_with_root_accepted),
		options_test(test_volatile_no_with_root_rejected),
		options_test(test_volatile_overlay_with_root_rejected),
		options_test(test_volatile_no_with_root_spelled_differently_rejected),
		options_test(test_volatile_no_with_other_directory_accepted),
		options_test(test_volatile_overlay_with_other_directory_accepted),
		options_test(test_volatile_without_value_is_yes),
		options_test(test_volatile_bad_value_rejected),

		options_test(test_private_users_short_accepted),
		options_test(test_private_users_pick_accepted),
		options_test(test_private_users_without_value_accepted),
		options_test(test_private_users_bogus_rejected),

		options_test(test_binds_accumulate_in_order),
		options_test(test_bad_bind_rejected),
		options_test(test_tmpfs_accumulate_in_order),
		options_test(test_setenv_accumulate_in_order),
		options_test(test_bad_setenv_rejected),

		options_test(test_invalid_machine_rejected),
		options_test(test_invalid_hostname_rejected),

		options_test(test_flags),
		options_test(test_chdir_absolute_kept),
		options_test(test_chdir_relative_rejected),

		options_test(test_command_after_double_dash),
		options_test(test_command_double_dash_keeps_dashed_command),
		options_test(test_command_at_first_non_option),
		options_test(test_options_after_command_belong_to_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
