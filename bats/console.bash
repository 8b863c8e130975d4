# Booted containers driven through their console (bats/console.tcl), for
# the .bats files that boot.

# Run an expect script (the test's body) with bats/console.tcl loaded; it
# prints "VOLSPAWN EXIT: N" when volspawn ended.
console() {
	local script=$BATS_TEST_TMPDIR/console.exp
	{ echo "source $BATS_TEST_DIRNAME/console.tcl"; cat; } > "$script"
	run timeout 300 expect -f "$script"
	CONSOLE_OUT=$output
	echo "$output" | tail -60
}

# The part of the console output the `sh` steps printed.
between_markers() {
	echo "$CONSOLE_OUT" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
		sed -n '/^==BEGIN==$/,/^==END==$/p' | grep -v '^==[A-Z]*==$'
}

assert_exit() {
	assert_line --partial "VOLSPAWN EXIT: $1"
}

# Nothing of the container is left: processes, mounts, temp files (checked
# by assert_host_unchanged) and the cgroups it made.
assert_nothing_left() {
	assert_host_unchanged
	if [ -n "$VS_CGROUP" ]; then
		# after a SIGKILL volspawn's janitor removes them, a moment later
		for _ in $(seq 50); do
			[ -z "$(find "$VS_CGROUP" -mindepth 1 -type d)" ] && break
			sleep 0.1
		done
		run find "$VS_CGROUP" -mindepth 1 -type d
		assert_output ""
	fi
}
