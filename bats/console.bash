# For the .bats files that boot: what the console (common.bash's console,
# bats/console.tcl) printed, and what a booted container may not leave.

# The part of the console output the `sh` steps printed.
between_markers() {
	echo "$CONSOLE_OUT" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
		sed -n '/^==BEGIN==$/,/^==END==$/p' | grep -v '^==[A-Z]*==$'
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
