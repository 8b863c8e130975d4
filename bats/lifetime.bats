#!/usr/bin/env bats
# Death at every stage: volspawn killed (SIGKILL) or stopped (SIGTERM) while
# newuidmap runs, while the root is assembled, while the container boots,
# at its login prompt and while it shuts down. After each: no process of
# the user or of its range, no mount on the host, no cgroup under
# $VS_CGROUP, no new file in /tmp, /dev/shm or the user's runtime directory.
#
# Each kill lands at its stage by construction, not by timing: newuidmap is
# a stand-in that says it runs and waits to be let go; the assembly is held
# by strace at pivot_root; the boot stages are recognised on the console.

load common

setup_file() {
	export VS VS_CGROUP VS_USER
}

setup() {
	snapshot_host
	HOLD=$VS_WORK/hold-$BATS_TEST_NUMBER
	STRACE= BG=
}

# One failed test must not leave anything running into the next.
teardown() {
	release_newuidmap 2>/dev/null || true
	[ -z "$STRACE" ] || kill "$STRACE" 2>/dev/null || true
	kill_leftovers
	[ -z "${BG:-}" ] || wait "$BG" 2>/dev/null || true
	rm -rf "$HOLD"
}

# Start volspawn ARGS as the user, in the background, with newuidmap held:
# a stand-in found first in PATH writes its parent's pid (volspawn's front)
# and waits on a fifo before it becomes the real newuidmap. Sets FRONT,
# CHILD (the container's first process) and BG (the background job). A boot
# runs in the delegated cgroup.
start_held() {
	mkdir -p "$HOLD"
	chmod 755 "$HOLD"
	mkfifo -m 0666 "$HOLD/go"
	cat > "$HOLD/newuidmap" <<-'EOF'
	#!/bin/sh
	echo $PPID > "${0%/*}/held"
	read -r _ < "${0%/*}/go"
	exec /usr/bin/newuidmap "$@"
	EOF
	chmod 755 "$HOLD/newuidmap"
	chmod 777 "$HOLD"   # the stand-in, run as the user, writes "held"
	local cg=
	[ -z "$VS_CGROUP" ] || cg="$VS_CGROUP/cgroup.procs"
	sh -c '[ -z "$1" ] || echo $$ > "$1"; shift; cd /
		if [ "$(id -un)" = "$VS_USER" ]; then exec "$@"; fi
		exec runuser -u "$VS_USER" -- "$@"' sh "$cg" env PATH="$HOLD:$PATH" "$VS" "$@" > "$HOLD/out" 2>&1 3>&- &
	BG=$!
	eventually test -s "$HOLD/held" || fail "newuidmap was not started: $(cat "$HOLD/out")"
	FRONT=$(cat "$HOLD/held")
	CHILD=$(pgrep -P "$FRONT" -x volspawn)
	[ -n "$CHILD" ] || fail "no container process under $FRONT"
}

# Let the held newuidmap go (O_RDWR: never blocks on a fifo).
release_newuidmap() {
	[ -p "$HOLD/go" ] || return 0
	exec 4<>"$HOLD/go"
	echo go >&4
	exec 4>&-
}

# Hold the container's first process when it has pivoted into the
# assembled root, before it detaches the host's: strace stops it there.
hold_assembly() {
	strace -f -p "$CHILD" -e trace=pivot_root -e inject=pivot_root:signal=SIGSTOP 2> "$HOLD/strace" &
	STRACE=$!
	eventually grep -q "Process $CHILD attached" "$HOLD/strace" || fail "strace did not attach"
	release_newuidmap
	eventually grep -q -- '--- stopped by SIGSTOP ---' "$HOLD/strace" || fail "not held at pivot_root: $(cat "$HOLD/strace" "$HOLD/out")"
	# once strace follows more than one process, its lines start [pid N]
	grep -Eq '^(\[pid +[0-9]+\] )?pivot_root' "$HOLD/strace"
}

# Wait for the background volspawn (not forever: a lost SIGTERM would
# leave it running) and check its exit status.
assert_bg_status() { # status
	local rc=0
	eventually eval '! kill -0 "$BG" 2>/dev/null' || fail "volspawn still runs: $(cat "$HOLD/out")"
	wait "$BG" || rc=$?
	assert_equal "$rc" "$1"
}

@test "SIGKILL while newuidmap runs: nothing is left" {
	start_held -- sleep 1000
	kill -KILL "$FRONT"
	release_newuidmap   # a real newuidmap would finish on its own
	assert_bg_status 137
	assert_all_gone
}

@test "SIGTERM while newuidmap runs: the command never starts, exit 143, nothing is left" {
	local dir=$VS_WORK/ran-$BATS_TEST_NUMBER
	mkdir -p "$dir" && chmod 1777 "$dir"
	start_held --bind="$dir:/w" -- touch /w/ran
	kill -TERM "$FRONT"
	release_newuidmap
	assert_bg_status 143
	[ ! -e "$dir/ran" ] || fail "the command ran after SIGTERM"
	assert_equal "$(cat "$HOLD/out")" ""
	assert_all_gone
}

@test "SIGTERM while newuidmap runs for a boot: init never starts, exit 143, nothing is left" {
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	start_held -b -q
	kill -TERM "$FRONT"
	release_newuidmap
	assert_bg_status 143
	assert_all_gone
}

@test "SIGKILL while newuidmap runs for a boot: nothing is left" {
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	start_held -b -q
	kill -KILL "$FRONT"
	release_newuidmap
	assert_bg_status 137
	assert_all_gone
}

@test "SIGKILL while the root is assembled (command): nothing is left" {
	needs_root "strace holds the container's first process"
	start_held -- sleep 1000
	hold_assembly
	kill -KILL "$FRONT"
	assert_bg_status 137
	assert_all_gone
}

@test "SIGTERM while the root is assembled (command): the command never starts, exit 143, nothing is left" {
	needs_root "strace holds the container's first process"
	local dir=$VS_WORK/ran-$BATS_TEST_NUMBER
	mkdir -p "$dir" && chmod 1777 "$dir"
	start_held --bind="$dir:/w" -- touch /w/ran
	hold_assembly
	kill -TERM "$FRONT"
	assert_bg_status 143
	[ ! -e "$dir/ran" ] || fail "the command ran after SIGTERM"
	assert_all_gone
}

@test "SIGKILL while the root is assembled (boot, in its cgroup): the janitor removes the cgroup, nothing is left" {
	needs_root "strace holds the container's first process"
	start_held -b -q
	hold_assembly
	# the container's cgroup exists by now, the front in it
	[ -n "$(find "$VS_CGROUP" -mindepth 1 -type d -name payload)" ] || fail "no payload cgroup"
	kill -KILL "$FRONT"
	assert_bg_status 137
	assert_all_gone
}

@test "SIGTERM while the root is assembled (boot): init never starts, exit 143, nothing is left" {
	needs_root "strace holds the container's first process"
	start_held -b -q
	hold_assembly
	kill -TERM "$FRONT"
	assert_bg_status 143
	refute grep -q 'Welcome to' "$HOLD/out"
	assert_all_gone
}

@test "SIGTERM before the booted init takes SIGRTMIN+3: the stop waits for it, then a clean exit 0" {
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	# an init that says it runs, waits to be let go, and only then takes
	# SIGRTMIN+3 (37), as systemd does some time after its exec
	local tree=$VS_WORK/slowinit-$BATS_TEST_NUMBER dir=$VS_WORK/slowinit-w-$BATS_TEST_NUMBER
	make_tree "$tree"
	vs -q --bind="$tree:/t" -- sh -c 'set -e; mkdir -p /t/usr/lib/systemd; ln -s busybox /t/usr/bin/sleep
		printf "%s\n" "#!/bin/sh" "echo up > /w/up" "read -r _ < /w/go" \
			"trap \"echo stopped > /w/stopped; exit 0\" 37" "echo takes > /w/takes" \
			"while :; do sleep 1; done" > /t/usr/lib/systemd/systemd
		chmod 755 /t/usr/lib/systemd/systemd'
	mkdir -p "$dir" "$tree/w" && chmod 1777 "$dir"
	mkfifo -m 0666 "$dir/go"
	start_held -b -q -D "$tree" --bind="$dir:/w"
	release_newuidmap
	eventually test -e "$dir/up" || fail "init did not start: $(cat "$HOLD/out")"
	kill -TERM "$FRONT"
	exec 4<>"$dir/go"
	echo go >&4
	exec 4>&-
	assert_bg_status 0
	[ -e "$dir/takes" ] && [ -e "$dir/stopped" ] || fail "init was not stopped by SIGRTMIN+3"
	assert_all_gone
}

# Boot, wait on the console for a stage, then send volspawn's front a
# signal; after a SIGTERM, wait for the clean shutdown it starts.
signal_at() { # stage-pattern signal
	local shutdown=
	[ "$2" != TERM ] || shutdown='want {Powering off|Halting} "a clean shutdown"'
	console <<-EOF
	boot -q
	want {$1} "the stage: $1"
	exec kill -$2 [front_pid]
	$shutdown
	finish
	EOF
}

@test "SIGKILL while the container boots: nothing is left" {
	signal_at 'Reached target' KILL   # a unit started by the booting systemd
	# runuser reports the kill as 137; volspawn spawned directly, as signal 9
	assert_line --regexp 'VOLSPAWN EXIT: (137|9)$'
	assert_all_gone
}

@test "SIGTERM while the container boots: a clean shutdown, exit 0, nothing is left" {
	signal_at 'Reached target' TERM
	assert_exit 0
	assert_all_gone
}

@test "SIGKILL at the login prompt: nothing is left" {
	signal_at 'login: $' KILL
	assert_line --regexp 'VOLSPAWN EXIT: (137|9)$'
	assert_all_gone
}

@test "killall -KILL volspawn at the login prompt: every process of that name dies, nothing is left" {
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	console <<-'EOF'
	boot -q
	want {login: $} "login:"
	exec pkill -KILL -u $env(VS_USER) -x volspawn
	finish
	EOF
	assert_line --regexp 'VOLSPAWN EXIT: (137|9)$'
	assert_all_gone
}

@test "SIGTERM at the login prompt: a clean shutdown, exit 0, nothing is left" {
	signal_at 'login: $' TERM
	assert_exit 0
	assert_all_gone
}

@test "SIGKILL during the shutdown: nothing is left" {
	console <<-'EOF'
	boot -q
	want {login: $} "login:"
	exec kill -TERM [front_pid]
	want {Stopp(ing|ed) } "the shutdown under way"
	exec kill -KILL [front_pid]
	finish
	EOF
	assert_line --regexp 'VOLSPAWN EXIT: (137|9)$'
	assert_all_gone
}

@test "a second SIGTERM during the shutdown kills the container: exit 1, nothing is left" {
	console <<-'EOF'
	boot -q
	want {login: $} "login:"
	exec kill -TERM [front_pid]
	want {Stopp(ing|ed) } "the shutdown under way"
	exec kill -TERM [front_pid]
	finish
	EOF
	assert_exit 1
	assert_all_gone
}
