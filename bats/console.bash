# For the .bats files that boot: what the console (common.bash's console,
# bats/console.tcl) printed.

# The part of the console output the `sh` steps printed.
between_markers() {
	echo "$CONSOLE_OUT" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
		sed -n '/^==BEGIN==$/,/^==END==$/p' | grep -v '^==[A-Z]*==$'
}
