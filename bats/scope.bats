#!/usr/bin/env bats
# From a login session a user's processes sit in a session scope that is
# not delegated; cgroup_request_scope asks the user's systemd manager for a
# transient scope with Delegate=yes, as `systemd-run --user --scope -p
# Delegate=yes` does. Here a private dbus-daemon stands in for the user bus
# and tests/fake-user-manager.c (run as root) for the manager; the test
# user runs tests/scope-probe.c, which calls cgroup_request_scope, then
# cgroup_find_delegated and cgroup_create on where it landed.

load common

TOOLS=${VOLSPAWN_REPO:?run the suite through make bats}/build/tests

setup() {
	needs_root "the fake user manager makes cgroups and hands them out as root"
	[ -x "$TOOLS/fake-user-manager" ] && [ -x "$TOOLS/scope-probe" ] ||
		fail "$TOOLS/fake-user-manager or scope-probe is missing: make bats builds them"
	MNT=$(findmnt -n -o TARGET -t cgroup2 | head -1)
	[ -n "$MNT" ] || skip "no cgroup2 hierarchy is mounted"
	# the bus socket and the probe must be reachable by the test user (the
	# checkout may be in root's 0700 home)
	T=$(mktemp -d "$VS_WORK/scope.XXXXXX")
	chmod 755 "$T"
	install -m 0755 "$TOOLS/scope-probe" "$T/scope-probe"
	BASE=$MNT/$VS_PREFIX-scope-$BATS_TEST_NUMBER
	mkdir "$BASE"
	BUS=unix:path=$T/bus
	start_bus
}

teardown() {
	[ -z "${FAKE_PID:-}" ] || stop_fake
	[ -z "${BUS_PID:-}" ] || kill "$BUS_PID" 2>/dev/null || true
	if [ -n "${BASE:-}" ] && [ -d "$BASE" ]; then
		find "$BASE" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$BASE"
	fi
	[ -z "${T:-}" ] || rm -rf "$T"
}

# A session bus anyone may connect to and own names on: dbus-daemon runs as
# root, its clients as the test user and as root.
start_bus() {
	cat > "$T/bus.conf" <<-EOF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>session</type>
	  <listen>unix:path=$T/bus</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow user="*"/>
	    <allow send_destination="*" eavesdrop="true"/>
	    <allow eavesdrop="true"/>
	    <allow own="*"/>
	  </policy>
	</busconfig>
	EOF
	# --fork returns once the bus listens
	BUS_PID=$(dbus-daemon --config-file="$T/bus.conf" --fork --print-pid)
}

start_fake() { # [--fail-with=NAME]
	DBUS_SESSION_BUS_ADDRESS=$BUS "$TOOLS/fake-user-manager" "$@" "$BASE" > "$T/fake.log" 2>&1 3>&- &
	FAKE_PID=$!
	for _ in $(seq 100); do
		grep -qx ready "$T/fake.log" && return 0
		kill -0 "$FAKE_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$T/fake.log"
	fail "the fake user manager did not start"
}

# It removes the scopes it made when it exits.
stop_fake() {
	kill "$FAKE_PID" 2>/dev/null || true
	wait "$FAKE_PID" || true
	FAKE_PID=
}

probe() { # [machine]
	as_user env DBUS_SESSION_BUS_ADDRESS="$BUS" "$T/scope-probe" "$@"
}

@test "scope: the user manager's scope is delegated to the user and usable for a boot" {
	start_fake
	run probe box
	assert_success
	[[ ${lines[0]} =~ ^scope\ .*/volspawn-box-([0-9]+)\.scope$ ]]
	local pid=${BASH_REMATCH[1]} rel=${BASE#"$MNT"}
	local scope=volspawn-box-$pid.scope
	assert_equal "${lines[0]}" "scope $rel/$scope"
	assert_equal "${lines[1]}" "delegated $BASE/$scope"
	assert_equal "${lines[2]}" "payload $rel/$scope/volspawn-$pid/payload"
	assert_equal "${#lines[@]}" 3
	# what volspawn asked for
	run grep '^StartTransientUnit' "$T/fake.log"
	assert_output "StartTransientUnit $scope mode=fail delegate=1 description=volspawn container box collect=inactive-or-failed pids=$pid"
	# handed to the user; the probe removed what it made inside
	run stat -c %U "$BASE/$scope" "$BASE/$scope/cgroup.procs" "$BASE/$scope/cgroup.threads" "$BASE/$scope/cgroup.subtree_control"
	assert_output "$(printf '%s\n' "$VS_USER" "$VS_USER" "$VS_USER" "$VS_USER")"
	run find "$BASE/$scope" -mindepth 1 -type d
	assert_output ""
	stop_fake
	[ ! -e "$BASE/$scope" ]
}

@test "scope: the unit name keeps only safe characters of the machine name" {
	start_fake
	run probe 'my box/x@y\z'
	assert_success
	assert_line -n 0 --regexp '^scope .*/volspawn-my_box_x_y_z-[0-9]+\.scope$'
}

@test "scope: the fake manager refuses a scope without Delegate=yes" {
	command -v busctl >/dev/null || skip "busctl is not installed"
	start_fake
	sleep 30 3>&- &
	local pid=$!
	run busctl --address="$BUS" call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
		org.freedesktop.systemd1.Manager StartTransientUnit 'ssa(sv)a(sa(sv))' \
		nodelegate.scope fail 1 PIDs au 1 "$pid" 0
	kill "$pid"
	assert_failure
	assert_output --partial "Delegate=yes is missing"
	[ ! -e "$BASE/nodelegate.scope" ]
}

@test "scope: a refusal is one line with the D-Bus error's name and message" {
	start_fake --fail-with=org.freedesktop.systemd1.UnitExists
	run probe box
	assert_failure 1
	assert_output --regexp '^volspawn: systemd refused a delegated scope for the container: org\.freedesktop\.systemd1\.UnitExists: fake user manager told to refuse volspawn-box-[0-9]+\.scope$'
}

@test "scope: no bus at the address is one line saying what is missing" {
	BUS=unix:path=$T/nobus
	run probe box
	assert_failure 1
	assert_output "volspawn: no systemd user manager to delegate a cgroup to you (no user bus at $BUS: No such file or directory); is a login session or \`loginctl enable-linger\` missing? Or run volspawn in a delegated cgroup"
}

@test "scope: a bus without a user manager is one line saying so" {
	run probe box
	assert_failure 1
	assert_output --regexp '^volspawn: no systemd user manager to delegate a cgroup to you \(nothing on the user bus answers as org\.freedesktop\.systemd1\); .* delegated cgroup$'
}

@test "scope: no user bus address at all is one line saying so" {
	run as_user env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR "$T/scope-probe" box
	assert_failure 1
	assert_output --regexp '^volspawn: no systemd user manager to delegate a cgroup to you \(\$DBUS_SESSION_BUS_ADDRESS and \$XDG_RUNTIME_DIR are unset\); .* delegated cgroup$'
}

@test "scope: a manager that takes the request but never moves us is one line after 5 s" {
	start_fake --hang
	run probe box
	assert_failure 1
	assert_output --regexp '^volspawn: the systemd user manager did not move volspawn into (volspawn-box-[0-9]+\.scope) within 5 s; see journalctl --user -u volspawn-box-[0-9]+\.scope$'
	assert_equal "$(grep -c '^StartTransientUnit' "$T/fake.log")" 1
}

@test "scope: a libsystemd that cannot be loaded, or has no sd-bus, is one line saying what to install" {
	install -d -m 0755 "$T/lib"
	echo 'not a library' > "$T/lib/libsystemd.so.0"
	run as_user env LD_LIBRARY_PATH="$T/lib" DBUS_SESSION_BUS_ADDRESS="$BUS" "$T/scope-probe" box
	assert_failure 1
	assert_output --regexp "^volspawn: cannot load libsystemd to ask systemd for a delegated cgroup \(.*libsystemd\.so\.0: .*\); install libsystemd0, or run volspawn in a delegated cgroup$"
	# a library of that name without sd-bus, as an ancient libsystemd
	cc -shared -fPIC -o "$T/lib/libsystemd.so.0" -x c /dev/null
	run as_user env LD_LIBRARY_PATH="$T/lib" DBUS_SESSION_BUS_ADDRESS="$BUS" "$T/scope-probe" box
	assert_failure 1
	assert_output --regexp "^volspawn: libsystemd\.so\.0 is too old to ask systemd for a delegated cgroup \(.*sd_bus_open_user.*\); upgrade libsystemd0, or run volspawn in a delegated cgroup$"
}
