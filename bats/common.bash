# Shared by every .bats file.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

VS=${VOLSPAWN:?run the suite through make check or helpers/run-bats}

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
	local uid start
	uid=$(id -u "$VS_USER")
	start=$(subid_start /etc/subuid "$VS_USER")
	find /tmp /dev/shm -mindepth 1 -maxdepth 1 \( -uid "$uid" -o \( -uid +$((start - 1)) -uid -$((start + 65536)) \) \) \
		-printf '%p\n' 2> /dev/null | sort
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
