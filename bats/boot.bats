#!/usr/bin/env bats
# volspawn -b: the host's own systemd booted rootless, driven through the
# console and logged in for real.

load common

setup_file() {
	console_env
}

setup() {
	snapshot_host
}

# One failed test must not leave a container running into the next.
teardown() {
	kill_leftovers
}

@test "boot to login: root logs in with the credential's password; locale, users and commands work" {
	console <<-'EOF'
	boot --set-credential=passwd.hashed-password.root:$env(VS_ROOT_HASH) --set-credential=firstboot.locale:C.UTF-8 --bind-user=$env(VS_USER)
	login root mysecret
	sh {id -u; id -g; id -gn}
	sh {cat /etc/locale.conf /etc/default/locale 2>/dev/null | grep LANG=}
	sh {systemctl is-system-running --wait; systemctl --failed --no-legend --no-pager}
	sh "getent passwd $env(VS_USER) | cut -d: -f1,3,6"
	sh {awk 'BEGIN { print 6 * 7 }'; cat /proc/1/environ | tr '\0' '\n' | grep -E '^container='}
	send "exec systemctl poweroff\r"
	finish
	EOF
	assert_exit 0
	run between_markers
	assert_line --index 0 0
	assert_line --index 1 0
	assert_line --index 2 root
	assert_line --index 3 LANG=C.UTF-8
	assert_line --regexp '^(running|degraded)$'
	assert_line "$VS_USER:60514:$(getent passwd "$VS_USER" | cut -d: -f6)"
	assert_line 42
	assert_line container=volspawn
	assert_all_gone
}

@test "the bound user logs in on the console and writes to the real home" {
	local home
	home=$(getent passwd "$VS_USER" | cut -d: -f6)
	console <<-'EOF'
	boot --bind-user=$env(VS_USER) --autologin=$env(VS_USER) --root-password=ask
	answer_password root mysecret
	want {[$] $} "the user's shell"
	sh {id -un; id -u; echo hello > ~/from-container; stat -c %u ~/from-container}
	exec kill -TERM [exp_pid]
	finish
	EOF
	assert_exit 0
	run between_markers
	assert_line --index 0 "$VS_USER"
	assert_line --index 1 60514
	assert_line --index 2 60514
	assert_equal "$(cat "$home/from-container")" hello
	assert_equal "$(stat -c %U "$home/from-container")" "$VS_USER"
	rm -f "$home/from-container"
	assert_all_gone
}

@test "the bound user logs in with the password asked for, never typed on a command line" {
	console <<-'EOF'
	boot --bind-user=$env(VS_USER) --bind-user-password=ask
	answer_password $env(VS_USER) s3cret-user
	login $env(VS_USER) s3cret-user
	sh {id -un; pwd}
	exec kill -TERM [exp_pid]
	finish
	EOF
	assert_exit 0
	run between_markers
	assert_line --index 0 "$VS_USER"
	assert_line --index 1 "$(getent passwd "$VS_USER" | cut -d: -f6)"
	assert_all_gone
}

@test "SIGTERM to volspawn shuts the container down cleanly" {
	console <<-'EOF'
	boot --root-password=ask
	answer_password root x
	want {login: $} "login:"
	exec kill -TERM [exp_pid]
	want {Powering off|Halting} "a clean shutdown"
	finish
	EOF
	assert_exit 0
	assert_all_gone
}

@test "reboot boots a fresh volatile root on the same terminal; systemctl exit N exits N" {
	console <<-'EOF'
	boot --set-credential=passwd.hashed-password.root:$env(VS_ROOT_HASH)
	login root mysecret
	sh {touch /etc/volspawn-was-here; cat /proc/sys/kernel/random/boot_id}
	# exec: an interactive bash ignores the SIGTERM that stops its session,
	# and once in a while its SIGHUP came too late (a 90 s stop job)
	send "exec systemctl reboot\r"
	login root mysecret
	sh {ls /etc/volspawn-was-here; cat /proc/sys/kernel/random/boot_id}
	send "exec systemctl exit 42\r"
	finish
	EOF
	assert_exit 42
	run between_markers
	assert_line --partial "No such file or directory"
	assert_all_gone
}

@test "^] three times within a second kills the container" {
	console <<-'EOF'
	boot --set-credential=passwd.hashed-password.root:$env(VS_ROOT_HASH)
	want {Press \^\] three times within 1s} "the banner"
	want {login: $} "login:"
	send "\x1d\x1d\x1d"
	finish
	EOF
	assert_exit 1
	assert_all_gone
}

@test "bad credentials are refused with one line" {
	run --separate-stderr as_user "$VS" -b --set-credential=bad/id:x
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	run --separate-stderr as_user "$VS" -b '--set-credential=foo:a\qb'
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	[[ "${stderr_lines[0]}" == *'\q'* ]]
	run --separate-stderr as_user "$VS" -b --set-credential=foo:1 --set-credential=foo:2
	assert_equal "$status" 1
	[[ "${stderr_lines[0]}" == *"Duplicate credential 'foo'"* || "${stderr_lines[0]}" == *"foo"* ]]
	assert_host_unchanged
}

@test "a bound user that does not exist, or root, is refused" {
	run --separate-stderr as_user "$VS" -b --bind-user=no-such-user-here
	assert_equal "$status" 1
	[[ "${stderr_lines[0]}" == "volspawn: no user no-such-user-here on this host"* ]] || fail "${stderr_lines[0]}"
	run --separate-stderr as_user "$VS" -b --bind-user=root
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_host_unchanged
}

@test "no delegable cgroup: one line saying what to run instead" {
	# run outside the delegated cgroup, with no user bus to ask for a scope
	run --separate-stderr as_user env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR "$VS" -b
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	[[ "${stderr_lines[0]}" == *"delegat"* ]] || fail "${stderr_lines[0]}"
	assert_host_unchanged
}
