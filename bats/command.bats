#!/usr/bin/env bats
# volspawn in command mode, rootless, as an ordinary user.

load common

setup() {
	snapshot_host
}

@test "the uid and gid maps inside are the user's sub-ranges" {
	local dir=$VS_WORK/maps-$BATS_TEST_NUMBER
	mkdir -p "$dir" && chmod 1777 "$dir"
	run vs -q --bind="$dir:/w" -- sh -c 'touch /w/by-root; cat /proc/self/uid_map /proc/self/gid_map'
	assert_success
	# the container's root is the first id of each range on the host (the
	# map inside is relative to the builder's namespace, one to one)
	assert_equal "$(stat -c '%u %g' "$dir/by-root")" "$(subid_start /etc/subuid "$VS_USER") $(subid_start /etc/subgid "$VS_USER")"
	local maps
	maps=$(echo "$output" | awk '{ print $1, $3 }')
	assert_equal "$maps" "0 65536
0 65536"
}

@test "the command runs as root of the namespace, which is not the user's uid" {
	local dir=$VS_WORK/root-$BATS_TEST_NUMBER
	mkdir -p "$dir" && chmod 1777 "$dir"
	run vs --bind="$dir:/w" -- sh -c 'id -u; id -g; touch /w/by-root'
	assert_success
	assert_line --index 0 0
	assert_line --index 1 0
	assert_not_equal "$(stat -c %u "$dir/by-root")" "$(id -u "$VS_USER")"
}

@test "/usr is the host's, read-only" {
	run vs -- sh -c 'test -x /usr/bin/env && touch /usr/volspawn-probe'
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e /usr/volspawn-probe ]
}

@test "rootless, host-root files in /usr show as nobody inside (no idmapping without privilege)" {
	run vs -q -- stat -c %u:%g /usr/bin/su
	assert_success
	assert_output 65534:65534
}

@test "the root holds the /usr-merge links and nothing else of the host" {
	# nspawn's empty /etc: only the zone and resolv.conf (--etc=base is devloop.bats')
	run vs --etc=empty -- sh -c 'ls -A /; readlink /bin; ls -A /etc /var /root'
	assert_success
	assert_line usr
	assert_line usr/bin
	assert_line localtime
	assert_line resolv.conf
	refute_line passwd
	# the usual top-level directories are there, and empty
	run vs -- sh -c 'for d in /home /srv /mnt /opt /var /root; do ls -A "$d"; done | wc -l'
	assert_success
	assert_output 0
}

@test "what the container writes outside binds is gone, and the host is unchanged" {
	local tag="volspawn-$BATS_TEST_NUMBER-$$"
	local before
	before=$(sha256sum /etc/resolv.conf)
	run vs -- sh -c "for d in /etc /var /root /tmp /; do echo x > \$d/$tag || exit 1; done; echo nameserver 192.0.2.1 > /etc/resolv.conf"
	assert_success
	for d in /etc /var /root /tmp /; do
		[ ! -e "$d/$tag" ]
	done
	assert_equal "$(sha256sum /etc/resolv.conf)" "$before"
	run vs -- sh -c "ls /etc/$tag /var/$tag /root/$tag /tmp/$tag /$tag"
	assert_failure
	assert_host_unchanged
}

@test "--bind writes reach the host; --bind-ro refuses them" {
	local dir=$VS_WORK/bind-$BATS_TEST_NUMBER
	mkdir -p "$dir" && chmod 1777 "$dir"
	run vs --bind="$dir:/mnt/shared" -- sh -c 'echo from-inside > /mnt/shared/file'
	assert_success
	assert_equal "$(cat "$dir/file")" from-inside
	run vs --bind-ro="$dir:/mnt/shared" -- sh -c 'cat /mnt/shared/file; echo again > /mnt/shared/file2'
	assert_failure
	assert_output --partial from-inside
	assert_output --partial "Read-only file system"
	[ ! -e "$dir/file2" ]
}

@test "--bind reaches paths only the user may traverse" {
	local dir=$VS_WORK/private-$BATS_TEST_NUMBER
	mkdir -p "$dir/inner" && echo secret-ok > "$dir/inner/f"
	chown -R "$VS_USER" "$dir" && chmod 700 "$dir"
	run vs --bind-ro="$dir/inner:/data" -- cat /data/f
	assert_success
	assert_output secret-ok
}

@test "the command's exit status is volspawn's" {
	run vs -- sh -c 'exit 42'
	assert_equal "$status" 42
	run vs -- true
	assert_success
}

@test "a death by signal N exits 128+N" {
	run vs -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	run vs -- sh -c 'kill -KILL $$'
	assert_equal "$status" 137
}

@test "a missing command exits 127 with one line" {
	run -127 --separate-stderr vs -- /no/such/command
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: cannot run /no/such/command: No such file or directory"
}

@test "SIGTERM to volspawn reaches the command" {
	local out=$VS_WORK/term-$BATS_TEST_NUMBER
	as_user "$VS" -- sh -c 'trap "exit 7" TERM; echo up; while :; do sleep 0.1; done' > "$out" 2>&1 &
	local pid=$!
	for _ in $(seq 50); do grep -q up "$out" && break; sleep 0.1; done
	pkill -TERM -u "$(id -u "$VS_USER")" -x volspawn
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 7
	assert_host_unchanged
}

@test "SIGKILL of volspawn kills the whole container" {
	local out=$VS_WORK/kill-$BATS_TEST_NUMBER
	as_user "$VS" -- sh -c 'sleep 3131 & sleep 3132 & echo up; wait' > "$out" 2>&1 &
	for _ in $(seq 50); do grep -q up "$out" && break; sleep 0.1; done
	run pgrep -f 'sleep 313[12]'
	assert_success
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn
	for _ in $(seq 50); do pgrep -f 'sleep 313[12]' >/dev/null || break; sleep 0.1; done
	run pgrep -f 'sleep 313[12]'
	assert_failure
	assert_host_unchanged
}

@test "--private-network has only the loopback interface, up" {
	run vs --private-network -- sh -c 'ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags'
	assert_success
	assert_line --index 0 lo
	assert_equal "${#lines[@]}" 3
	# IFF_UP is bit 0 of the flags
	[ $(( ${lines[2]} & 1 )) = 1 ]
}

@test "without --private-network the host's interfaces are there" {
	run vs -- ls /sys/class/net
	assert_success
	assert_equal "$output" "$(ls /sys/class/net)"
}

@test "the host name is the machine name, by default the host's" {
	run vs -- cat /proc/sys/kernel/hostname
	assert_output "$(cat /proc/sys/kernel/hostname)"
	run vs -M testbox -- cat /proc/sys/kernel/hostname
	assert_output testbox
	run vs -M testbox --hostname=other -- cat /proc/sys/kernel/hostname
	assert_output other
}

@test "the host name resolves inside, to 127.0.1.1 as on Debian, with the base /etc" {
	run vs -q --etc=base -M testbox -- getent hosts testbox localhost
	assert_success
	assert_line --index 0 --regexp '^127\.0\.1\.1 +testbox$'
	assert_line --index 1 --regexp '^(127\.0\.0\.1|::1) +localhost'
	run vs -q --etc=base -M testbox --hostname=other -- getent hosts other
	assert_success
	assert_output --regexp '^127\.0\.1\.1 +other$'
}

@test "the environment is a clean one plus --setenv" {
	VS_HOST_SECRET=leak run vs -E FOO=bar -E PATH=/usr/bin:/bin -- env
	assert_success
	assert_line container=volspawn
	assert_line FOO=bar
	assert_line PATH=/usr/bin:/bin
	assert_line HOME=/root
	refute_output --partial VS_HOST_SECRET
	refute_output --partial BATS
}

@test "--chdir and --tmpfs" {
	run vs --tmpfs=/srv/scratch:mode=0700,size=1m --chdir=/srv/scratch -- sh -c 'pwd; stat -c %a .; df -k . | tail -1'
	assert_success
	assert_line --index 0 /srv/scratch
	assert_line --index 1 700
	assert_line --index 2 --regexp '^tmpfs +1024 '
}

@test "/dev holds the usual nodes and a private devpts" {
	run vs -- sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c && ls /dev/pts && readlink /dev/ptmx /dev/fd && test -d /dev/shm && test -d /dev/mqueue'
	assert_success
	assert_output "4
4
ptmx
pts/ptmx
/proc/self/fd"
}

@test "/proc shows only the container's processes; /proc/sys is read-only" {
	run vs -- sh -c 'set -- /proc/[0-9]*; echo $*; echo 1 > /proc/sys/kernel/hostname'
	assert_failure
	assert_line --index 0 "/proc/1 /proc/2"
	assert_output --partial "Read-only file system"
}

@test "no host file descriptor reaches the command" {
	run vs -- sh -c 'ls /proc/1/fd /proc/$$/fd' 3</etc/hostname 4</etc/hostname
	assert_success
	assert_output "/proc/$(echo 1)/fd:
0
1
2

/proc/2/fd:
0
1
2"
}

@test "--volatile=state: the host's root read-only, /var a fresh tmpfs" {
	run vs --volatile=state -- sh -c 'ls /var | wc -l; echo x > /var/probe && cat /var/probe; touch /etc/volspawn-probe'
	assert_failure
	assert_line --index 0 0
	assert_line --index 1 x
	assert_output --partial "Read-only file system"
	[ ! -e /etc/volspawn-probe ]
}

@test "--volatile=overlay on a tree: writes land in memory, the tree is untouched" {
	local tree=$VS_WORK/tree-$BATS_TEST_NUMBER
	make_tree "$tree"
	run vs -D "$tree" --volatile=overlay -- sh -c 'echo new > /etc/new && cat /etc/new && echo changed > /usr/lib/os-release'
	assert_success
	assert_output new
	[ ! -e "$tree/etc/new" ]
	assert_equal "$(cat "$tree/usr/lib/os-release")" ID=volspawn-test
}

@test "--volatile=no on a tree: the tree itself is written" {
	local tree=$VS_WORK/tree-$BATS_TEST_NUMBER
	make_tree "$tree"
	run vs -D "$tree" --volatile=no -- sh -c 'echo kept > /etc/kept'
	assert_success
	assert_equal "$(cat "$tree/etc/kept")" kept
}

@test "--volatile=yes on a tree, and the default for a tree (no)" {
	local tree=$VS_WORK/tree-$BATS_TEST_NUMBER
	make_tree "$tree"
	run vs -D "$tree" --volatile=yes -- sh -c 'ls /usr/bin/busybox && readlink /bin && ls /etc'
	assert_success
	assert_line usr/bin
	run vs -D "$tree" -- cat /usr/lib/os-release
	assert_success
	assert_output ID=volspawn-test
}

@test "the program has no setuid bit and no file capabilities once installed" {
	local prefix=$VS_WORK/prefix-$BATS_TEST_NUMBER
	make -s -C "$VOLSPAWN_REPO" install PREFIX="$prefix" >/dev/null
	run find "$prefix" -type f -perm /6000
	assert_output ""
	run getcap -r "$prefix"
	assert_output ""
	run stat -c %a "$prefix/bin/volspawn"
	assert_output 755
}
