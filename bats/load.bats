#!/usr/bin/env bats
# Load: many containers of the same user at once. Each test makes sure they
# really overlap (every container waits at a barrier until all are up), then
# that all of them succeeded, ended cleanly and left nothing behind.

load common

setup_file() {
	console_env
}

setup() {
	snapshot_host
	BARRIER=$VS_WORK/barrier-$BATS_TEST_NUMBER
	mkdir -p "$BARRIER"
	chmod 1777 "$BARRIER"
}

teardown() {
	kill_leftovers
}

@test "32 containers of one user started in parallel in command mode: all succeed, nothing is left" {
	local n=32 i
	local out=$BATS_TEST_TMPDIR
	for i in $(seq $n); do
		# each says it is up, then waits (at most 5 min) for all the others
		as_user "$VS" -q --bind="$BARRIER:/barrier" -- sh -c '
			touch /barrier/$1
			for _ in $(seq 3000); do
				[ "$(ls /barrier | wc -l)" -ge "$2" ] && break
				sleep 0.1
			done
			[ "$(ls /barrier | wc -l)" -ge "$2" ] || exit 3
			echo "$1 $(id -u) $$"' sh "$i" "$n" > "$out/out.$i" 2> "$out/err.$i" 3>&- &
		echo $! > "$out/pid.$i"
	done
	for i in $(seq $n); do
		local rc=0
		wait "$(cat "$out/pid.$i")" || rc=$?
		[ "$rc" = 0 ] || fail "container $i: exit $rc: $(cat "$out/err.$i")"
		# its own command ran as container root, as PID 2 under volspawn's init
		assert_equal "$(cat "$out/out.$i")" "$i 0 2"
		assert_equal "$(cat "$out/err.$i")" ""
	done
	assert_equal "$(ls "$BARRIER" | wc -l)" "$n"
	assert_all_gone
}

@test "4 containers of one user booted in parallel: all reach login:, log in, power off with 0, nothing is left" {
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	local n=4 i
	for i in $(seq $n); do
		{ echo "source $BATS_TEST_DIRNAME/console.tcl"; cat <<-EOF; } > "$BATS_TEST_TMPDIR/boot.$i.exp"
		set timeout 600
		boot -q --set-credential=passwd.hashed-password.root:\$env(VS_ROOT_HASH)
		want {login: \$} "login:"
		# up: wait until every other container is up too
		exec touch $BARRIER/$i
		for {set t 0} {[llength [glob -nocomplain $BARRIER/*]] < $n} {incr t} {
			if {\$t > 1200} { fail "the other containers did not reach login:" }
			after 500
		}
		send "root\r"
		want {Password: \$} "Password:"
		send "mysecret\r"
		want {# \$} "root's shell"
		send "exec systemctl poweroff\r"
		finish
		EOF
		timeout 1200 expect -f "$BATS_TEST_TMPDIR/boot.$i.exp" > "$BATS_TEST_TMPDIR/console.$i" 2>&1 3>&- &
		echo $! > "$BATS_TEST_TMPDIR/pid.$i"
	done
	for i in $(seq $n); do
		wait "$(cat "$BATS_TEST_TMPDIR/pid.$i")" || true
		run cat "$BATS_TEST_TMPDIR/console.$i"
		assert_exit 0 || { tail -40 "$BATS_TEST_TMPDIR/console.$i"; false; }
	done
	assert_equal "$(ls "$BARRIER" | wc -l)" "$n"
	assert_all_gone
}
