# Shared by every .bats file.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

VS=${VOLSPAWN:?run the suite through make check or helpers/run-bats}
VSCTL=${VOLSPAWNCTL:-$(dirname "$VS")/volspawnctl}

# Run a command as the unprivileged test user, from /.
as_user() {
	if [ "$(id -un)" = "$VS_USER" ]; then
		(cd / && "$@")
	else
		(cd / && runuser -u "$VS_USER" -- "$@")
	fi
}

# volspawn, rootless, as the test user.
vs() {
	as_user "$VS" "$@"
}

# volspawnctl, as the test user.
vsctl() {
	as_user "$VSCTL" "$@"
}

is_root() { [ "$(id -u)" = 0 ]; }

needs_root() {
	is_root || skip "needs root: $1"
}

# The user's first range of 65536 ids in a subid file.
subid_start() { # file user
	local uid
	uid=$(id -u "$2")
	awk -F: -v u="$2" -v id="$uid" '($1 == u || $1 == id) && $3 >= 65536 { print $2; exit }' "$1"
}

# What a test may leave on the host: nothing. Call snapshot_host before and
# assert_host_unchanged after.
snapshot_host() {
	HOST_MOUNTS=$(awk '{ print $5 }' /proc/self/mountinfo | sort)
	HOST_TMP=$(temp_files)
}

# What in the shared temporary directories belongs to the test user or its
# sub-range: what a rootless volspawn could leave there. (Other programs on
# the machine, root's among them, may come and go meanwhile.)
temp_files() {
	owned_entries /tmp
	owned_entries /dev/shm
	owned_entries "$(user_runtime_dir)"
}

assert_host_unchanged() {
	local now
	now=$(awk '{ print $5 }' /proc/self/mountinfo | sort)
	assert_equal "$now" "$HOST_MOUNTS"
	now=$(temp_files)
	assert_equal "$now" "$HOST_TMP"
	# every process of the container ran under the user's sub-range, and
	# the server of its /usr as the user; a dead PID 1 may stay a zombie
	# until the host's init reaps it
	local start
	start=$(subid_start /etc/subuid "$VS_USER")
	for _ in $(seq 50); do
		now=$(ps -u "$start" -o stat=,pid=,args= | awk '$1 !~ /^Z/'; pgrep -u "$VS_USER" -a -x volspawn-usrfs || true)
		[ -z "$now" ] && break
		sleep 0.1
	done
	assert_equal "$now" ""
}

# A minimal merged-/usr OS tree made of busybox, owned by the root of the
# test user's range, as a tree unpacked inside a user namespace is: it is
# made by container root through a --bind.
make_tree() { # dir
	local t=$1
	mkdir -p "$t" && chmod 1777 "$t"
	vs -q --bind="$t:/t" -- sh -c 'set -e; cd /t
		mkdir -p usr/bin usr/lib etc dev proc sys run tmp var root
		cp /usr/bin/busybox usr/bin/busybox
		for cmd in sh cat echo ls touch id stat; do ln -s busybox usr/bin/$cmd; done
		ln -s usr/bin bin
		echo ID=volspawn-test > usr/lib/os-release'
	chmod 755 "$t"
}

# ---- lifetime and load (bats/lifetime.bats, bats/load.bats, errors.bats) ----
# What a dead or finished volspawn must not leave: a mount on the host, a
# process of the user (the front, the cgroup janitor, a map helper) or of
# its range, a cgroup under $VS_CGROUP, a file of theirs in /tmp, /dev/shm
# or the user's runtime directory.

# Wait up to 30 s for a command to succeed: cleanup after a kill is
# asynchronous (the janitor, the kernel reaping a namespace).
eventually() {
	local _
	for _ in $(seq 300); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

user_runtime_dir() { echo "/run/user/$(id -u "$VS_USER")"; }

# The entries of a directory owned by the user or its range: what volspawn
# could leave there (other sessions on this machine write /tmp too).
owned_entries() { # dir
	local start
	start=$(subid_start /etc/subuid "$VS_USER")
	find "$1" -mindepth 1 -maxdepth 1 -printf '%U %p\n' 2>/dev/null |
		awk -v u="$(id -u "$VS_USER")" -v s="$start" '$1 == u || ($1 >= s && $1 < s + 65536)' | sort
}

# run as root, the test user has no process but volspawn's; else only
# volspawn's own are looked for
no_user_process() {
	if is_root; then
		[ -z "$(pgrep -u "$(id -u "$VS_USER")")" ]
	else
		[ -z "$(pgrep -u "$(id -u "$VS_USER")" -x 'volspawn|newuidmap|newgidmap')" ]
	fi
}
# any uid of the user's range, not only container root's: services of a
# booted container run as others
no_subrange_process() {
	local start
	start=$(subid_start /etc/subuid "$VS_USER")
	[ -z "$(ps -e -o uid=,stat=,pid=,args= | awk -v s="$start" '$1 >= s && $1 < s + 65536 && $2 !~ /^Z/')" ]
}
no_cgroup_left() { [ -z "$VS_CGROUP" ] || [ -z "$(find "$VS_CGROUP" -mindepth 1 -type d)" ]; }

assert_all_gone() {
	eventually no_user_process || fail "processes of $VS_USER left: $(pgrep -a -u "$(id -u "$VS_USER")")"
	eventually no_subrange_process || fail "container processes left: $(ps -e -o uid=,pid=,args= | awk -v s="$(subid_start /etc/subuid "$VS_USER")" '$1 >= s && $1 < s + 65536')"
	eventually no_cgroup_left || fail "cgroups left: $(find "$VS_CGROUP" -mindepth 1 -type d)"
	assert_equal "$(awk '{ print $5 }' /proc/self/mountinfo | sort)" "$HOST_MOUNTS"
	assert_equal "$(temp_files)" "$HOST_TMP"
}

# After a failed test: kill what is left of volspawn, the janitor with it,
# and so remove the cgroups the janitor would have, so that one failure
# does not fail the tests after it.
kill_leftovers() {
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn || true
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn-clean || true
	[ -n "$VS_CGROUP" ] || return 0
	local d
	for d in "$VS_CGROUP"/*/; do
		[ -d "$d" ] || continue
		echo 1 > "$d/cgroup.kill"
		eventually grep -q 'populated 0' "$d/cgroup.events"
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

# What bats/console.tcl reads from the environment, and VS_ROOT_HASH: root's
# password "mysecret", hashed for a credential. For setup_file.
console_env() {
	export VS VSCTL VS_CGROUP VS_USER VS_ROOT_HASH
	VS_ROOT_HASH=$(echo mysecret | "$VS" hash-password)
}

# Run an expect script (the test's body, on stdin) with bats/console.tcl
# loaded; it prints "VOLSPAWN EXIT: N" when volspawn ended.
console() {
	local script=$BATS_TEST_TMPDIR/console.exp
	{ echo "source $BATS_TEST_DIRNAME/console.tcl"; cat; } > "$script"
	run timeout "${CONSOLE_TIMEOUT:-300}" expect -f "$script"
	CONSOLE_OUT=$output
	echo "$output" | tail -60
}

assert_exit() {
	assert_line --partial "VOLSPAWN EXIT: $1"
}

# The part of the console output the `sh` steps printed.
between_markers() {
	echo "$CONSOLE_OUT" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
		sed -n '/^==BEGIN==$/,/^==END==$/p' | grep -v '^==[A-Z]*==$'
}
# ---- end of lifetime and load ----

# ---- running twins (bats/ctl.bats) ----
# Where volspawn registers the test user's running twins, as
# src/front/registry-dir.c chooses: their runtime directory, else a
# private one in /tmp. It exists only while a twin runs: temp_files sees
# one left behind (in /tmp or the runtime directory).
registry_dir() {
	local uid
	uid=$(id -u "$VS_USER")
	if [ "$(id -un)" = "$VS_USER" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] && [ "$(stat -c %u "$XDG_RUNTIME_DIR" 2>/dev/null)" = "$uid" ]; then
		echo "$XDG_RUNTIME_DIR/volspawn"
	elif [ "$(stat -c %u "/run/user/$uid" 2>/dev/null)" = "$uid" ]; then
		echo "/run/user/$uid/volspawn"
	else
		echo "/tmp/volspawn-$uid"
	fi
}

# Start a twin of the test user in the background, named NAME: booted
# ones in the delegated cgroup. Its output goes to $BATS_FILE_TMPDIR/twin.NAME,
# its exit status to twin.NAME.status when it ends: a twin started by
# setup_file is no child of the test's shell, which cannot wait for it.
start_twin() { # name volspawn-args...
	local name=$1 out=$BATS_FILE_TMPDIR/twin.$1
	shift
	rm -f "$out.status"
	(
		rc=0   # not $? after it: the test's errexit would end the subshell first
		if [ -n "$VS_CGROUP" ]; then
			sh -c 'echo $$ > "$VS_CGROUP/cgroup.procs" && cd / && exec runuser -u "$VS_USER" -- "$@"' sh "$VS" -M "$name" "$@"
		else
			as_user "$VS" -M "$name" "$@"
		fi > "$out" 2>&1 || rc=$?
		echo "$rc" > "$out.status"
	) < /dev/null > /dev/null 2>&1 3>&- &
}

# Wait (up to 60 s) for it to end: $TWIN_STATUS is its exit status.
wait_twin() { # name
	local f=$BATS_FILE_TMPDIR/twin.$1.status _
	for _ in $(seq 600); do
		[ -s "$f" ] && break
		sleep 0.1
	done
	TWIN_STATUS=$(cat "$f")
}

# What the twin printed.
twin_output() { # name
	cat "$BATS_FILE_TMPDIR/twin.$1"
}

# Whether volspawnctl lists it with a leader: it runs in its own root.
twin_running() { # name
	vsctl list --no-legend | awk -v n="$1" '$1 == n && $2 != "-" { found = 1 } END { exit !found }'
}

twin_leader() { # name
	vsctl list --no-legend | awk -v n="$1" '$1 == n { print $2 }'
}
# ---- end of running twins ----
