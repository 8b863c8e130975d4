#!/usr/bin/env bats
# Attacks on what SECURITY.md promises: whatever runs inside, as its root,
# cannot change or read what it should not on the host. Each test is named
# after the claim it proves; SECURITY.md points here.

load common

# A scratch user whose home the destruction tests bind and wipe, and
# another user whose 0700 home holds a secret; made as root, with a subuid
# range of their own after every other, removed at the end.
setup_file() {
	console_env
	export SCRATCH="" OTHER="" SCRATCH_HOME="" OTHER_HOME="" MARK=""
	is_root || return 0
	SCRATCH=${VS_PREFIX}x OTHER=${VS_PREFIX}o
	SCRATCH_HOME=$VS_WORK/scratch-home OTHER_HOME=/home/$OTHER
	MARK=vs-secret-$RANDOM$RANDOM
	local start
	start=$(cat /etc/subuid /etc/subgid | awk -F: 'BEGIN { m = 200000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }')
	useradd -m -d "$SCRATCH_HOME" -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$SCRATCH"
	useradd -m -d "$OTHER_HOME" -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$OTHER"
	echo "$SCRATCH:$start:65536" >> /etc/subuid
	echo "$SCRATCH:$start:65536" >> /etc/subgid
	chmod 700 "$OTHER_HOME"
	echo "$MARK" > "$OTHER_HOME/secret"
	chown "$OTHER:" "$OTHER_HOME/secret" && chmod 600 "$OTHER_HOME/secret"
}

teardown_file() {
	is_root || return 0
	pkill -KILL -u "$SCRATCH" 2>/dev/null || true
	# what container root made in the scratch home belongs to the range
	rm -rf "$SCRATCH_HOME" "$OTHER_HOME"
	userdel "$SCRATCH" 2>/dev/null || true
	userdel "$OTHER" 2>/dev/null || true
	for file in /etc/subuid /etc/subgid; do
		grep -v "^$SCRATCH:" "$file" > "$file.vstmp" || true
		cat "$file.vstmp" > "$file"
		rm -f "$file.vstmp"
	done
}

setup() {
	snapshot_host
}

teardown() {
	kill_leftovers   # a booted one that failed
	pkill -u "$VS_USER" -x -f 'sleep 3137' || true
	rm -f /usr/local/bin/vst-sec-suid-touch
}

# volspawn as the scratch user.
vs_scratch() {
	(cd / && runuser -u "$SCRATCH" -- "$VS" "$@")
}

# What the host holds that the container must not change: every path of
# /usr, /etc and /var, the suite's work directory (the test user's home)
# and the other user's home, with size, mode, owner, mtime and ctime and
# inode. ctime is the kernel's: no one can set it back, so any write,
# chmod, chown, rename or re-creation shows, whatever the writer does to
# mtime; removed and added paths show as lines. /etc, small, is also
# checksummed. Files other sessions on this machine change while we run
# (the user database, logs, apt's and man's caches) are left out, and
# directories carry no times (their entries do).
manifest() {
	find /usr /etc /var "$VS_WORK" "$OTHER_HOME" -xdev \
		\( -path "$SCRATCH_HOME" -o -path /var/log -o -path /var/cache -o -path /var/tmp \
		-o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/lib/systemd -o -path /var/mail \
		-o -regex '/etc/\(passwd\|group\|shadow\|gshadow\|subuid\|subgid\)-?' -o -name '*.vstmp' \
		-o -path /etc/.pwd.lock \) -prune \
		-o -type d -printf '%p d %m %U %G\n' \
		-o -printf '%p %y %s %m %U %G %T@ %C@ %i %l\n' 2>/dev/null | sort
	find /etc -xdev -type f ! -regex '/etc/\(passwd\|group\|shadow\|gshadow\|subuid\|subgid\)-?' \
		! -name '*.vstmp' ! -name .pwd.lock -exec sha256sum {} + 2>/dev/null | sort
}

assert_manifest_unchanged() { # before-file
	local diff
	diff=$(manifest | diff "$1" - | head -40) || true
	assert_equal "$diff" ""
}

# A directory of the scratch user's that the container gets read-only:
# its files map to the bound user's uid inside, so container root could
# write them if the read-only flag could be taken off.
make_ro_data() { # dir
	mkdir -p "$1" && echo keep > "$1/keep" && chown -R "$SCRATCH:" "$1"
}

# Container root tries to take every read-only flag off; UNMOUNT then
# tries to unmount every mount, to see what is below.
UNLOCK='for m in $(cut -d" " -f5 /proc/self/mountinfo); do
	mount -o remount,bind,rw "$m"; mount -o remount,rw "$m"
done 2>/dev/null'
UNMOUNT='for m in $(cut -d" " -f5 /proc/self/mountinfo | sort -r); do umount -l "$m"; done 2>/dev/null'

@test "destruction: rm -rf --no-preserve-root / as container root changes nothing on the host but the bound home" {
	needs_root "a scratch user whose home is wiped"
	local ro=$VS_WORK/ro-$BATS_TEST_NUMBER before=$BATS_TEST_TMPDIR/before
	make_ro_data "$ro"
	local own
	# /usr as the kernel shows it (its files no one's inside), and with its
	# true owners (container root owns them, and only the read-only flag
	# and the read-only server stand between it and the host's /usr)
	for own in off map; do
		echo planted > "$SCRATCH_HOME/planted" && chown "$SCRATCH:" "$SCRATCH_HOME/planted"
		manifest > "$before"
		run vs_scratch -q --volatile=yes --private-users-ownership=$own --bind-user="$SCRATCH" \
			--bind-ro="$ro:/srv/ro" --bind-ro=/var:/mnt/var -- \
			sh -c "$UNLOCK; rm -rf --no-preserve-root / 2>/dev/null; echo done"   # the /lib64 link is gone: builtins only
		assert_success
		assert_output done
		assert_manifest_unchanged "$before"
		[ -e "$ro/keep" ] || fail "the read-only bind was made writable, and wiped"
		# the attack ran: what it may write, the bound home, is empty now
		[ ! -e "$SCRATCH_HOME/planted" ]
	done
	assert_host_unchanged
}

@test "destruction: writes into every path container root can see change nothing on the host but the bound home" {
	needs_root "a scratch user whose home is written"
	local ro=$VS_WORK/ro-$BATS_TEST_NUMBER before=$BATS_TEST_TMPDIR/before
	# a name of this run only: what an interrupted run left is not ours
	local mark=.vs-attack-$RANDOM$RANDOM
	make_ro_data "$ro"
	manifest > "$before"
	# a new file in every directory, a byte appended to every file, and
	# kernel settings written back with their own values
	run vs_scratch -q --volatile=yes --bind-user="$SCRATCH" --bind-ro="$ro:/srv/ro" --bind-ro=/var:/mnt/var -- sh -c "$UNLOCK"'
		find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -type d -print > /run/dirs 2>/dev/null
		find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -type f -print > /run/files 2>/dev/null
		while read -r d; do true > "$d/'"$mark"'"; done < /run/dirs 2>/dev/null
		while read -r f; do printf x >> "$f"; done < /run/files 2>/dev/null
		for f in /proc/sys/vm/swappiness /proc/sys/kernel/printk /proc/sys/net/core/somaxconn /sys/kernel/mm/transparent_hugepage/enabled; do
			v=$(cat "$f") && echo "$v" > "$f" 2>/dev/null && echo "WROTE $f"
		done
		wc -l < /run/files'
	assert_success
	refute_output --partial WROTE
	(( ${lines[-1]} > 10000 ))   # it saw /usr
	assert_manifest_unchanged "$before"
	# nor anywhere the manifest leaves out
	run find / -xdev -path "$SCRATCH_HOME" -prune -o -name "$mark" -print
	assert_output ""
	[ -e "$SCRATCH_HOME/$mark" ]
	assert_equal "$(cat "$ro/keep")" keep
	assert_host_unchanged
}

@test "destruction: as root, container root cannot make the idmapped /usr or a read-only root writable" {
	needs_root "root mode"
	# never rm -rf here: were this broken, it would wipe the host's /usr
	run "$VS" -q -- sh -c "$UNLOCK"'; stat -c %u /usr/bin/env; touch /usr/.vs-attack'
	assert_failure
	assert_line --index 0 0    # idmapped: container root owns /usr inside
	assert_output --partial "Read-only file system"
	[ ! -e /usr/.vs-attack ]
	run "$VS" -q --volatile=state -- sh -c "$UNLOCK"'; touch /etc/.vs-attack /usr/.vs-attack'
	assert_failure
	[ ! -e /etc/.vs-attack ] && [ ! -e /usr/.vs-attack ]
	assert_host_unchanged
}

@test "destruction: root of a booted system cannot make /usr or a --bind-ro writable either" {
	export RO=$VS_WORK/ro-$BATS_TEST_NUMBER
	mkdir -p "$RO" && echo keep > "$RO/keep" && chown -R "$VS_USER:" "$RO"
	# booted, /usr shows its true owners (container root's), and the bound
	# user's files are theirs: only the locked read-only flags stand
	console <<-'EOF'
	boot --set-credential=passwd.hashed-password.root:$env(VS_ROOT_HASH) --bind-user=$env(VS_USER) --bind-ro=$env(RO):/srv/ro
	login root mysecret
	sh {stat -c %u /usr/bin/env; for m in /usr /srv/ro; do mount -o remount,bind,rw $m; done 2>/dev/null; touch /usr/.vs-attack 2>/dev/null || echo refused; rm -f /srv/ro/keep 2>/dev/null || echo refused; ls /srv/ro}
	send "exec systemctl poweroff\r"
	finish
	EOF
	assert_exit 0
	run between_markers
	assert_output "0
refused
refused
keep"
	[ ! -e /usr/.vs-attack ]
	assert_equal "$(cat "$RO/keep")" keep
	assert_all_gone
}

# Reads each secret path given; prints LEAK for any read that succeeds,
# MISSING for one that is not there to attack (in a directory it may search).
SECRETS='for f; do
	if [ -d "$f" ]; then ls -A "$f" >/dev/null 2>&1 && echo "LEAK $f"
	elif [ -e "$f" ]; then head -c1 "$f" >/dev/null 2>&1 && echo "LEAK $f"
	elif [ -x "${f%/*}/" ]; then echo "MISSING $f"; fi
done; echo checked'

@test "secrets: /etc/shadow, /root and another user's 0700 home cannot be read, in any --volatile and --etc mode" {
	needs_root "another user's home"
	# bound in explicitly (their sources are opened O_PATH, which needs no
	# read permission), or, with --volatile=state, where the host has them
	local binds=(--bind-ro=/etc/shadow:/mnt/shadow --bind-ro=/root:/mnt/root --bind-ro="$OTHER_HOME:/mnt/other")
	local bound=(/mnt/shadow /mnt/root /mnt/other /mnt/other/secret)
	local hosts=(/etc/shadow /etc/gshadow /root "$OTHER_HOME" "$OTHER_HOME/secret")
	local mode
	for mode in "--volatile=yes --etc=empty" "--volatile=yes --etc=base" "--volatile=yes --etc=host"; do
		# shellcheck disable=SC2086
		run vs -q $mode "${binds[@]}" -- sh -c "$UNLOCK; $SECRETS" sh "${bound[@]}"
		assert_success
		assert_output checked
	done
	run vs -q --volatile=state -- sh -c "$UNLOCK; $SECRETS" sh "${hosts[@]}"
	assert_success
	assert_output checked
	# root mode: binds and the host's tree are not idmapped; only /usr is
	run "$VS" -q --etc=host "${binds[@]}" -- sh -c "$UNLOCK; $SECRETS" sh "${bound[@]}"
	assert_success
	assert_output checked
	run "$VS" -q --volatile=state -- sh -c "$UNLOCK; $SECRETS" sh "${hosts[@]}"
	assert_success
	assert_output checked
	assert_host_unchanged
}

@test "secrets: the copied /etc holds no identity or secret files, only what every user may read" {
	local mode
	for mode in base host; do
		run vs -q --etc=$mode -- find /etc -type f
		assert_success
		refute_output --regexp '^/etc/(passwd|group|shadow|gshadow|subuid|subgid)-?$'
		refute_output --regexp '^/etc/(machine-id|hostname|fstab|ssh/ssh_host_.*)$'
		local f
		for f in $output; do
			# a copy of a host file that others may read, or a file of volspawn's own
			[ ! -e "$f" ] || [ "$(stat -L -c %A "$f" | cut -c8)" = r ] || fail "$f is copied but not world-readable on the host"
		done
	done
}

@test "secrets: the user's session keyring is not the container's" {
	# perl's syscall: keyctl(JOIN_SESSION_KEYRING), add_key, then, inside,
	# keyctl(SEARCH) in the session keyring and keyctl(READ) by id
	run as_user perl -e '
		my ($t, $d, $p) = ("user", "vs-key", "'"$MARK"'");
		syscall(250, 1, 0) > 0 or die "keyctl: $!";
		my $id = syscall(248, $t, $d, $p, length $p, -3);
		$id > 0 or die "add_key: $!";
		exec @ARGV, $id' "$VS" -q -- perl -e '
		my ($t, $d, $buf) = ("user", "vs-key", "\0" x 64);
		my $found = syscall(250, 10, -3, $t, $d, 0);
		my $n = syscall(250, 11, $ARGV[0] + 0, $buf, 64);
		print "found=$found read=$n\n", $n > 0 ? substr($buf, 0, $n) : "", "\n"'
	assert_success
	assert_line --index 0 "found=-1 read=-1"
	refute_output --partial "$MARK"
}

@test "escape: no host process is visible, and none can be signalled or traced" {
	as_user sleep 3137 &
	local host_pid
	for _ in $(seq 50); do host_pid=$(pgrep -u "$VS_USER" -x -f 'sleep 3137') && break; sleep 0.1; done
	[ -n "$host_pid" ]
	local mode
	for mode in yes state; do
		# after the container's own /proc is unmounted too: what is below
		# it is never the host's
		run vs -q --volatile=$mode -- sh -c 'set -- /proc/[0-9]*; echo "$*"
			'"$UNLOCK; $UNMOUNT"'; mount -t proc proc /proc 2>/dev/null
			p='"$host_pid"'
			[ -e /proc/$p ] && echo "SEES HOST"
			kill -0 $p 2>/dev/null && echo "SIGNALS HOST"
			kill -9 $p 2>/dev/null && echo "KILLS HOST"
			perl -e "print syscall(101, 16, $p, 0, 0), qq( \$!\n)"   # ptrace(PTRACE_ATTACH)
			echo end'
		assert_success
		assert_line --index 0 "/proc/1 /proc/2"
		refute_output --partial HOST
		assert_line --index 1 "-1 No such process"
	done
	kill -0 "$host_pid"   # still alive
	kill "$host_pid"
	assert_host_unchanged
}

@test "escape: no host file descriptor reaches PID 1 or the command, piped or on a terminal" {
	local probe='for p in 1 $$; do echo "$p: $(ls /proc/$p/fd | tr "\n" " ")"; done
		for p in 1 $$; do [ "$(stat -L -c %d /proc/$p/fd/0)" = "$(stat -c %d /dev/pts)" ] && echo "$p on own pty"; done; true'
	run vs -q -- sh -c "$probe" 3</etc/hostname 5<>"$BATS_TEST_TMPDIR/fd5" 9</dev/null
	assert_success
	assert_line --index 0 "1: 0 1 2 "
	assert_line --index 1 --regexp '^2: 0 1 2 [0-9]* ?$'   # and the pipe of $(...)
	# on a terminal, both are on the container's own pty, not the host's
	run env SHELL=/bin/bash script -qec "$(printf '%q ' runuser -u "$VS_USER" -- "$VS" -q -- sh -c "$probe") 3</etc/hostname 7</etc/hostname" /dev/null
	assert_success
	local clean
	clean=$(echo "$output" | tr -d '\r' | sed 's/\^@//g')
	echo "$clean" | grep -qE '^1: 0 1 2 ?$' || fail "$clean"
	echo "$clean" | grep -qE '^2: 0 1 2( [0-9]+)? ?$' || fail "$clean"
	echo "$clean" | grep -q '^1 on own pty$' || fail "$clean"
	echo "$clean" | grep -q '^2 on own pty$' || fail "$clean"
	assert_host_unchanged
}

@test "escape: --private-network cuts off the host's abstract unix sockets, which the host network shares" {
	local name=vs-abstract-$BATS_TEST_NUMBER-$$
	perl -MSocket -e 'my $s; socket($s, AF_UNIX, SOCK_STREAM, 0) && bind($s, pack_sockaddr_un("\0$ARGV[0]")) && listen($s, 5) or die "$!";
		print "up\n"; close STDOUT; sleep 60' "$name" > "$BATS_TEST_TMPDIR/listener" &
	local listener=$!
	for _ in $(seq 50); do grep -q up "$BATS_TEST_TMPDIR/listener" && break; sleep 0.1; done
	local probe='use Socket; socket(my $s, AF_UNIX, SOCK_STREAM, 0);
		print connect($s, pack_sockaddr_un("\0$ARGV[0]")) ? "connected\n" : "refused: $!\n"'
	run vs -q --private-network -- perl -e "$probe" "$name"
	assert_success
	assert_output "refused: Connection refused"
	run vs -q -- perl -e "$probe" "$name"
	kill "$listener"
	assert_success
	assert_output connected
	assert_host_unchanged
}

@test "escape: the environment inside holds only what volspawn sets, PID 1's included" {
	run as_user env -i PATH=/usr/bin:/bin TERM=dumb SSH_AUTH_SOCK=/tmp/agent AWS_SECRET_ACCESS_KEY="$MARK" \
		DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1/bus LD_PRELOAD= \
		"$VS" -q -E FOO=bar -- sh -c 'env | cut -d= -f1 | sort | tr "\n" " "; echo; tr -d "\0" < /proc/1/environ | wc -c'
	assert_success
	assert_line --index 0 "FOO HOME LANG LOGNAME PATH PWD TERM USER container container_uuid "
	assert_line --index 1 0
	refute_output --partial "$MARK"
}

@test "escape: no controlling terminal of the host's: no /dev/tty, no TIOCSTI into the user's shell" {
	# stdin and stdout not terminals: the command runs piped, with the
	# terminal as stderr only
	run env SHELL=/bin/bash script -qec "$(printf '%q ' runuser -u "$VS_USER" -- "$VS" -q -- sh -c '
		echo x > /dev/tty && echo "TTY OPEN"
		perl -e "my \$c = q(x); print ioctl(STDERR, 0x5412, \$c) ? qq(STI OK\n) : qq(STI \$!\n)"') < /dev/null | cat" /dev/null
	assert_success
	refute_output --partial "TTY OPEN"
	refute_output --partial "STI OK"
	assert_output --partial "STI Operation not permitted"
	assert_host_unchanged
}

@test "escape: a setuid-root program in /usr makes no one host root, with /usr's true owners or without" {
	needs_root "a setuid-root program is installed into the host's /usr"
	install -m 4755 /usr/bin/touch /usr/local/bin/vst-sec-suid-touch
	local dir=$VS_WORK/suid-$BATS_TEST_NUMBER base own
	mkdir -p "$dir" && chmod 1777 "$dir"
	base=$(subid_start /etc/subuid "$VS_USER")
	for own in off map; do
		run vs -q --private-users-ownership=$own --bind="$dir:/w" -- \
			setpriv --reuid=1000 --regid=1000 --clear-groups /usr/local/bin/vst-sec-suid-touch /w/$own
		assert_success
	done
	# off: owned by no one inside, the bit is ignored; map: it makes
	# container root, which is the first id of the range on the host
	assert_equal "$(stat -c %u "$dir/off")" $((base + 1000))
	assert_equal "$(stat -c %u "$dir/map")" "$base"
	assert_host_unchanged
}

@test "caps: filling the root, /tmp and /dev/shm stops at their size caps with ENOSPC and gives the memory back" {
	local shmem_before mem
	shmem_before=$(awk '/^Shmem:/ { print $2 }' /proc/meminfo)
	mem=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	run vs -q -- sh -c 'for d in / /tmp /dev/shm; do
		dd if=/dev/zero of=$d/fill bs=1M 2>&1 | grep -c "No space left on device"
		df -k $d | tail -1
		rm $d/fill
	done'
	assert_success
	assert_line --index 0 1
	assert_line --index 2 1
	local size used
	read -r _ size used _ <<< "${lines[1]}"
	(( used == size && size * 4 <= mem + 16 )) || fail "/: $size KiB, $used used (memory: $mem KiB)"
	read -r _ size used _ <<< "${lines[3]}"
	(( used == size && size * 10 <= mem + 40 )) || fail "/tmp: $size KiB, $used used (memory: $mem KiB)"
	assert_line --index 4 1
	read -r _ size used _ <<< "${lines[5]}"
	(( used == size && size * 10 <= mem + 40 )) || fail "/dev/shm: $size KiB, $used used (memory: $mem KiB)"
	# gigabytes were written (up to a quarter of memory at a time): the tmpfs went with the container
	(( $(awk '/^Shmem:/ { print $2 }' /proc/meminfo) < shmem_before + 1048576 ))
	assert_host_unchanged
}

@test "caps: --rlimit=NPROC bounds a fork bomb inside, and volspawn exits cleanly" {
	local wrap=()
	is_root && wrap=(runuser -u "$VS_USER" --)
	# first a bounded probe: were there no cap, it would stop at 400
	# (dash exits on a failed fork: the loop runs in a subshell)
	run vs -q --rlimit=NPROC=100 -- sh -c '(i=0; while [ $i -lt 400 ]; do sleep 60 & i=$((i+1)); done) 2>/dev/null
		set -- /proc/[0-9]*; echo $#; kill -9 -1'
	assert_success
	(( ${lines[-1]} <= 100 )) || fail "$output"
	# then the bomb itself: bash goes on after a failed fork, so it keeps
	# the cap full until killed; the rest uses builtins only
	run timeout 120 "${wrap[@]}" "$VS" -q --rlimit=NPROC=200 -- bash -c 'sleep 5 & s=$!
		bomb() { while :; do bomb & done; }; (bomb) 2>/dev/null &
		wait $s; set -- /proc/[0-9]*; echo $#; kill -9 -1 2>/dev/null; kill -9 -1 2>/dev/null; echo done'
	assert_success
	(( ${lines[-2]} <= 200 && ${lines[-2]} >= 50 )) || fail "$output"
	assert_line --index "$(( ${#lines[@]} - 1 ))" done
	assert_host_unchanged
}

@test "caps: --rlimit is parsed as nspawn's, and cannot raise a hard limit" {
	run vs -q --rlimit=NOFILE=64:128 --rlimit=RLIMIT_CORE=0 -- sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	assert_success
	assert_output "64
128
0"
	run --separate-stderr vs -q --rlimit=NOFILE=infinity -- true
	assert_failure
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: --rlimit=NOFILE=infinity: cannot set it (a hard limit can only be lowered): Operation not permitted"
	run --separate-stderr vs -q --rlimit=BOGUS=1 -- true
	assert_failure
	assert_equal "${#stderr_lines[@]}" 1
	assert_host_unchanged
}
