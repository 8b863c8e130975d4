# Suite set-up: the accounts the rootless tests run as.
#
# Run as root (as CI does), it creates an ordinary user with its own
# /etc/subuid and /etc/subgid ranges, plus users with no range and with a
# too small one for the error tests, and removes them and their ranges.
# Run as an ordinary user who has ranges, the rootless tests run as that user.

export VS_PREFIX=vst$$

# A start after every range in both files, so ours overlaps nobody's.
free_subid_start() {
	cat /etc/subuid /etc/subgid 2>/dev/null |
		awk -F: 'BEGIN { m = 200000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }'
}

make_user() { # name uid-range-count (0: no range) [home]
	# Debian's useradd would add ranges of its own
	useradd ${3:+-m} -d "${3:-/nonexistent}" -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$1"
	if [ "$2" -gt 0 ]; then
		local start
		start=$(free_subid_start)
		echo "$1:$start:$2" >> /etc/subuid
		echo "$1:$start:$2" >> /etc/subgid
	fi
}

setup_suite() {
	export VS_WORK
	VS_WORK=$(mktemp -d /tmp/volspawn-work.XXXXXX)
	chmod 755 "$VS_WORK"
	if [ "$(id -u)" = 0 ]; then
		touch /etc/subuid /etc/subgid
		make_user "${VS_PREFIX}" 65536 "$VS_WORK/home"
		make_user "${VS_PREFIX}n" 0
		make_user "${VS_PREFIX}s" 1000
		export VS_USER=$VS_PREFIX VS_USER_NOSUB=${VS_PREFIX}n VS_USER_SMALL=${VS_PREFIX}s
	else
		export VS_USER
		VS_USER=$(id -un)
		grep -q "^$VS_USER:" /etc/subuid || grep -q "^$(id -u):" /etc/subuid ||
			{ echo "# $VS_USER has no /etc/subuid range: run the suite as root, or add one" >&3; return 1; }
	fi
	chown "$VS_USER" "$VS_WORK"
	delegate_cgroup
	fuse_like_a_distribution
}

# Distributions make /dev/fuse 0666 (udev's rule); machines without udev
# leave it 0600, which would turn off the true-ownership /usr (ownership.bats
# tests that case itself).
fuse_like_a_distribution() {
	[ "$(id -u)" = 0 ] && [ -c /dev/fuse ] || return 0
	stat -c %a /dev/fuse > "$VS_WORK/fuse-mode"
	chmod 0666 /dev/fuse
}

# What systemd's Delegate=yes gives a user: a cgroup2 directory it owns,
# with the files that move processes and hand out controllers. A booted
# container needs one; this machine has no user manager to ask.
delegate_cgroup() {
	export VS_CGROUP=
	[ "$(id -u)" = 0 ] || return 0
	local top
	top=$(findmnt -n -o TARGET -t cgroup2 | head -1)
	[ -n "$top" ] || return 0
	VS_CGROUP=$top/$VS_PREFIX
	mkdir "$VS_CGROUP"
	chown "$VS_USER" "$VS_CGROUP" "$VS_CGROUP"/cgroup.procs "$VS_CGROUP"/cgroup.threads "$VS_CGROUP"/cgroup.subtree_control
}

teardown_suite() {
	[ ! -s "$VS_WORK/fuse-mode" ] || chmod "$(cat "$VS_WORK/fuse-mode")" /dev/fuse
	# trees made inside belong to the user's sub-range: remove them from inside
	"$VOLSPAWN" -q --bind="$VS_WORK:/w" -- sh -c 'rm -rf /w/*' 2>/dev/null || true
	rm -rf "$VS_WORK"
	[ "$(id -u)" = 0 ] || return 0
	[ -z "$VS_CGROUP" ] || rmdir "$VS_CGROUP" 2>/dev/null || true
	for u in "${VS_PREFIX}" "${VS_PREFIX}n" "${VS_PREFIX}s"; do
		userdel "$u" 2>/dev/null || true
	done
	# the lines of our users only, including those a test added with usermod
	for file in /etc/subuid /etc/subgid; do
		grep -v "^${VS_PREFIX}[ns]\?:" "$file" > "$file.vstmp" || true
		cat "$file.vstmp" > "$file"
		rm -f "$file.vstmp"
	done
}
