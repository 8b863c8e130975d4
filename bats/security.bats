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
	# stdin and stdout not terminals: the command runs piped, the terminal
	# stderr only, and that relayed: no terminal at all inside
	run env SHELL=/bin/bash script -qec "$(printf '%q ' runuser -u "$VS_USER" -- "$VS" -q -- sh -c '
		echo x > /dev/tty && echo "TTY OPEN"
		perl -e "my \$c = q(x); print ioctl(STDERR, 0x5412, \$c) ? qq(STI OK\n) : qq(STI \$!\n)"') < /dev/null | cat" /dev/null
	assert_success
	refute_output --partial "TTY OPEN"
	refute_output --partial "STI OK"
	assert_output --partial "STI Inappropriate ioctl for device"
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

# ---- untrusted trees: nothing outside the tree ------------------------------

# What volspawn says of a tree whose /usr is not a directory of its own.
usr_refusal() { # tree what
	echo "volspawn: $1/usr is $2, not a directory: volspawn takes nothing from outside the tree; give a tree whose /usr is a directory"
}

# The tree's own directory the user's, as one unpacked by the user is
# (make_tree, run as root, leaves it root's).
own_tree() { # dir
	! is_root || chown "$VS_USER:" "$1"
}

# A directory behind one only the user may enter (what no unrelated uid
# reaches, and a bind opened as the user would show), with a marker and a
# cat to show it, so that it would serve as a /usr; its path is printed:
# what a /usr pointing out of the tree would lead to.
make_private() { # dir mark
	as_user sh -c 'mkdir -p "$1/pub/bin" && chmod 700 "$1" && echo "$2" > "$1/pub/marker" &&
		cp /usr/bin/busybox "$1/pub/bin/" && ln -s busybox "$1/pub/bin/cat" && ln -s busybox "$1/pub/bin/sh"' sh "$1" "$2"
	echo "$1/pub"
}

@test "escape: a -D tree whose /usr is a link out of it, or a file, is refused in one line, in every mode" {
	local t=$VS_WORK/usrlink-$BATS_TEST_NUMBER private=$VS_WORK/private-$BATS_TEST_NUMBER mark=vs-outside-$RANDOM
	make_tree "$t"
	own_tree "$t"
	# an os-release outside /usr: the tree stays an OS tree whatever /usr is
	vs -q --bind="$t:/t" -- sh -c 'echo ID=volspawn-test > /t/etc/os-release'
	private=$(make_private "$private" "$mark")
	# a decoy where the link leads inside the tree: a relative link out,
	# "../private-N/pub", is "/private-N/pub" resolved in the tree
	as_user mkdir -p "$t/${private#"$VS_WORK/"}"
	as_user mv "$t/usr" "$t/usr.real"
	# what the container shows of the user's private directory, or of the
	# host's root (its processes), were either served or bound as /usr
	local probe='cat /usr/marker 2>/dev/null; [ -e /usr/proc/1/status ] && echo HOST-ROOT; echo ran'
	local target spec what got=""
	for target in "$private" "../${private#"$VS_WORK/"}" / file; do
		as_user rm -f "$t/usr"
		if [ "$target" = file ]; then as_user touch "$t/usr"; else as_user ln -s "$target" "$t/usr"; fi
		for spec in "yes off" "yes map" "state off" "state map" "overlay off" "overlay map" "no off"; do
			set -- $spec
			run --separate-stderr vs -q -D "$t" --volatile="$1" --private-users-ownership="$2" -- sh -c "$probe"
			got+="$target $spec: status $status: $output ${stderr_lines[*]}"$'\n'
		done
	done
	# nothing outside the tree was reached, in any mode...
	[[ "$got" != *"$mark"* && "$got" != *HOST-ROOT* ]] || fail "reached outside the tree: $got"
	# ...because each start was refused, in one line saying why
	while read -r target spec; do
		what="a symlink"
		[ "$target" = file ] && what="a file"
		[[ "$got" == *"$target $spec: status 1:  $(usr_refusal "$t" "$what")"$'\n'* ]] || fail "$target $spec not refused as expected: $got"
	done < <(for target in "$private" "../${private#"$VS_WORK/"}" / file; do for spec in "yes off" "yes map" "state off" "state map" "overlay off" "overlay map" "no off"; do echo "$target $spec"; done; done)
	assert_host_unchanged
}

# How many starts the race below makes in each ownership mode. On the code
# before the fix (the front checked usr, the builder opened it again by
# path), 31 of 150 starts with off served the link's target, about one in
# five (with the twin swapping thousands of times a millisecond, each start
# lands on either side): were the hole still open at that rate, 150 starts
# without a leak would have a chance of 0.8^150, about 3e-15. Both sides
# of the race must also be met (some starts on the directory, some on the
# link, refused), or the test proves nothing.
RACE_STARTS=150

@test "escape: a twin swapping the tree's /usr with a link out while volspawn starts never gets it followed ($RACE_STARTS starts, off and map)" {
	local t=$VS_WORK/race-$BATS_TEST_NUMBER private=$VS_WORK/private-$BATS_TEST_NUMBER ctl=$VS_WORK/ctl-$BATS_TEST_NUMBER
	local mark=vs-outside-$RANDOM refusal
	make_tree "$t"
	own_tree "$t"
	private=$(make_private "$private" "$mark")
	mkdir -p "$ctl" && chmod 1777 "$ctl"
	vs -q --bind="$t:/t" -- sh -c 'echo tree > /t/usr/marker; echo ID=volspawn-test > /t/etc/os-release'
	as_user ln -s "$private" "$t/usr.link"
	refusal=$(usr_refusal "$t" "a symlink")
	# the second twin: the same user's container, the tree bound writable
	# (its owner is the bound user's inside), exchanging usr and the link
	# with renameat2(RENAME_EXCHANGE) until told to stop, leaving usr a
	# directory at the end
	vs -q --bind-user="$VS_USER" --bind="$t:/t" --bind="$ctl:/c" -- perl -e '
		my ($a, $b, $n) = ("/t/usr", "/t/usr.link", 0);
		open(my $r, ">", "/c/ready") or die; close $r;
		until (-e "/c/stop") { syscall(316, -100, $a, -100, $b, 2) == 0 or die "renameat2: $!"; $n++ }
		syscall(316, -100, $a, -100, $b, 2) if -l $a;
		open(my $f, ">", "/c/swaps") or die; print $f "$n\n"' &
	local twin=$!
	for _ in $(seq 300); do [ -e "$ctl/ready" ] && break; sleep 0.1; done
	[ -e "$ctl/ready" ] || fail "the twin did not start"
	local own i out rc ok refused leaked other
	for own in off map; do
		ok=0 refused=0 leaked=0 other=""
		for i in $(seq "$RACE_STARTS"); do
			out=$(vs -q -D "$t" --volatile=yes --private-users-ownership=$own -- cat /usr/marker 2>&1) && rc=0 || rc=$?
			case "$rc:$out" in
			"0:tree") ok=$((ok + 1)) ;;
			"1:$refusal") refused=$((refused + 1)) ;;
			*"$mark"*) leaked=$((leaked + 1)) ;;
			*) other+="start $i: status $rc: $out"$'\n' ;;
			esac
		done
		echo "# $own: $ok started on the tree's /usr, $refused refused, $leaked served the link's target" >&3
		(( leaked == 0 )) || { touch "$ctl/stop"; wait "$twin"; fail "$own: $leaked of $RACE_STARTS starts served what the link points to"; }
		[ -z "$other" ] || { touch "$ctl/stop"; wait "$twin"; fail "$own: $other"; }
		# the race ran: both sides of it were met
		(( ok > 0 && refused > 0 )) || { touch "$ctl/stop"; wait "$twin"; fail "$own: $ok started, $refused refused"; }
	done
	touch "$ctl/stop"
	wait "$twin"
	(( $(cat "$ctl/swaps") > 1000 ))
	assert_host_unchanged
}

# ---- map: no more than an unrelated uid ------------------------------------

@test "secrets: map lends no more than an unrelated uid: the user's 0600 file, a file of the user's group, a 0700 directory stay unread" {
	needs_root "files of the user's and of a group of the user's are put in the host's /usr"
	local d=/usr/local/share/$VS_PREFIX-lend grp=${VS_PREFIX}g mark=vs-lent-$RANDOM
	groupadd "$grp"
	usermod -a -G "$grp" "$VS_USER"
	mkdir -p "$d/private"
	echo "$mark" > "$d/own" && chown "$VS_USER:" "$d/own" && chmod 600 "$d/own"
	echo "$mark" > "$d/group" && chown "root:$grp" "$d/group" && chmod 640 "$d/group"
	echo "$mark" > "$d/private/inner" && chmod 644 "$d/private/inner"
	chown "$VS_USER:" "$d/private" && chmod 700 "$d/private"
	echo lent > "$d/public" && chmod 644 "$d/public"
	local own
	for own in map off; do
		# container root, past every mode bit inside, and with its locks tried
		run vs -q --private-users-ownership=$own -- sh -c "$UNLOCK"'
			for f in own group private/inner; do cat '"$d"'/$f; done 2>/dev/null
			ls '"$d"'/private 2>/dev/null; cat '"$d"'/public; stat -c "%a %n" '"$d"'/own '"$d"'/group '"$d"'/private'
		refute_output --partial "$mark"
		refute_output --partial inner
		assert_line --index 0 lent
		if [ "$own" = map ]; then
			# and the modes say so: read and search bits no more than other's
			assert_line --index 1 "200 $d/own"
			assert_line --index 2 "200 $d/group"
			assert_line --index 3 "200 $d/private"
		fi
	done
	rm -rf "$d"
	gpasswd -d "$VS_USER" "$grp" > /dev/null
	groupdel "$grp"
	assert_host_unchanged
}

# ---- propagation: the host's later mounts ------------------------------------

@test "destruction: a mount the host makes after start never appears inside, below a --bind-ro or with --volatile=state" {
	needs_root "the host mounts, as systemd makes every mount shared"
	local ctl=$VS_WORK/ctl-$BATS_TEST_NUMBER src=/srv/$VS_PREFIX-shared mode inside
	mkdir -p "$ctl" "$src"
	chmod 1777 "$ctl"
	mount -t tmpfs -o mode=0755 tmpfs "$src"
	mount --make-shared "$src"
	mkdir "$src/sub"
	for mode in bind state; do
		rm -f "$ctl"/*
		inside=$src
		local args=(--volatile=state)
		[ "$mode" = bind ] && inside=/srv/ro args=(--bind-ro="$src:/srv/ro")
		vs -q "${args[@]}" --bind="$ctl:/tmp/c" -- sh -c 'echo up > /tmp/c/up
			while [ ! -e /tmp/c/go ]; do sleep 0.1; done
			'"$UNLOCK"'
			ls -A '"$inside"'/sub; touch '"$inside"'/sub/x 2>/dev/null && echo WROTE; echo end' > "$ctl/out" 2>&1 &
		local job=$!
		for _ in $(seq 300); do [ -e "$ctl/up" ] && break; sleep 0.1; done
		# a writable filesystem the container root could write, were it there
		mount -t tmpfs -o mode=1777 tmpfs "$src/sub"
		echo host > "$src/sub/from-host"
		touch "$ctl/go"
		wait "$job" || true
		umount "$src/sub"
		run cat "$ctl/out"
		refute_output --partial WROTE
		refute_output --partial from-host
		assert_line end
	done
	umount "$src"
	rmdir "$src"
	assert_host_unchanged
}

# ---- the host's procfs and sysfs, wherever they are mounted -----------------

@test "escape: a procfs or sysfs the host mounted elsewhere (a chroot's) shows nothing inside, in a tree, a bind or a served /usr" {
	needs_root "the host mounts a chroot's /proc and /sys, as sbuild does"
	as_user sleep 3137 &
	local host_pid chroot=/srv/$VS_PREFIX-chroot t=$VS_WORK/kfs-$BATS_TEST_NUMBER
	for _ in $(seq 50); do host_pid=$(pgrep -u "$VS_USER" -x -f 'sleep 3137') && break; sleep 0.1; done
	[ -n "$host_pid" ]
	make_tree "$t"
	mkdir -p "$chroot/proc" "$chroot/sys" "$t/usr/kproc"
	mount -t proc proc "$chroot/proc"
	mount -t sysfs sysfs "$chroot/sys"
	mount -t proc proc "$t/usr/kproc"
	# what each shows, after the locks and covers are tried (the busybox
	# tree has ls and the shell's builtins only)
	local look='for d; do [ -n "$(ls -A "$d" 2>/dev/null)" ] && echo "LISTS $d"; [ -e "$d/'"$host_pid"'" ] && echo "SEES HOST $d"; done; echo end'
	local probe="$UNLOCK; $UNMOUNT; $look"
	run vs -q --volatile=state -- sh -c "$probe" sh "$chroot/proc" "$chroot/sys"
	assert_success
	assert_output end
	run vs -q --bind-ro="$chroot:/mnt/c" -- sh -c "$probe" sh /mnt/c/proc /mnt/c/sys
	assert_success
	assert_output end
	local own
	for own in off map; do
		run vs -q -D "$t" --volatile=yes --private-users-ownership=$own -- sh -c "$look" sh /usr/kproc
		assert_success
		assert_output end
	done
	umount "$t/usr/kproc" "$chroot/proc" "$chroot/sys"
	rmdir "$t/usr/kproc"
	rm -rf "$chroot"
	kill "$host_pid"
	assert_host_unchanged
}

# ---- keyrings under a container runtime's seccomp filter ---------------------

@test "secrets: under a seccomp filter that refuses keyctl, volspawn starts and the container still reaches no keyring of the host's" {
	needs_root "the filter is installed without no_new_privs, as a runtime does; the keyring is root's, inherited through runuser"
	local tool=$VOLSPAWN_REPO/build/tests/seccomp-run
	[ -x "$tool" ] || fail "$tool is missing: make bats builds it"
	# a session keyring with a key, inherited by whatever runs below: the
	# filter refuses keyctl only, so add_key could replace the key's
	# payload, and request_key find it, were the container left in it
	run perl -e '
		my ($t, $d, $p, $name) = ("user", "vs-key", "'"$MARK"'", "vs-ring");
		syscall(250, 1, $name) > 0 or die "keyctl: $!";
		my $id = syscall(248, $t, $d, $p, length $p, -3);
		$id > 0 or die "add_key: $!";
		my $pid = fork // die;
		if (!$pid) { exec @ARGV or die }
		waitpid($pid, 0); print "status ", $? >> 8, "\n";
		my $buf = "\0" x 64; my $n = syscall(250, 11, $id, $buf, 64);
		print "payload ", substr($buf, 0, $n), "\n"' "$tool" --deny-keyctl runuser -u "$VS_USER" -- "$VS" -q -- perl -e '
		my ($t, $d, $p) = ("user", "vs-key", "replaced");
		my $added = syscall(248, $t, $d, $p, length $p, -3); print "add_key $added $!\n";
		my $found = syscall(249, $t, $d, 0, 0); print "request_key $found $!\n"'
	assert_success
	assert_line --index 0 "add_key -1 Operation not permitted"
	assert_line --index 1 "request_key -1 Operation not permitted"
	assert_line "status 0"
	assert_line "payload $MARK"
	# a filter that also refuses further filters: one line, nothing started
	run --separate-stderr sh -c 'cd / && exec "$@"' sh "$tool" --deny-keyctl --deny-seccomp runuser -u "$VS_USER" -- "$VS" -q -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: cannot keep the container from your keyrings: keyctl is refused here (Operation not permitted) and a seccomp filter cannot be set (Operation not permitted); run volspawn where one of them works"
	assert_all_gone
}

# ---- the user's terminal ---------------------------------------------------

@test "escape: a terminal on stdin with stdout piped, or on stdout with stdin a file, is never the container's: no mode changed, nothing read or written behind the relay" {
	local in=$BATS_TEST_TMPDIR/in attack
	printf 'hello\n' > "$in"
	# container root tries each of 0, 1, 2: turn echo off, write an escape
	# sequence that sets the window title, read what the user types
	attack='for fd in 0 1 2; do [ -t $fd ] && echo "TERMINAL ON $fd"; stty -echo <&$fd 2>/dev/null && echo "STTY ON $fd"; done
		printf "\033]0;vs-pwned\007" >&0 2>/dev/null; read -r x; echo "got:$x"'
	# stdin the terminal, stdout a pipe
	run env SHELL=/bin/bash script -qec "$(printf '%q ' runuser -u "$VS_USER" -- "$VS" -q -- sh -c "$attack") | cat; stty -a | grep -o -- ' -*echo '" /dev/null < "$in"
	assert_success
	refute_output --partial TERMINAL
	refute_output --partial STTY
	refute_output --partial vs-pwned
	assert_output --partial "got:hello"
	assert_line --index "$(( ${#lines[@]} - 1 ))" --regexp '^ echo '
	# stdout (and stderr) the terminal, stdin a file
	run env SHELL=/bin/bash script -qec "$(printf '%q ' runuser -u "$VS_USER" -- "$VS" -q -- sh -c "$attack") < $(printf '%q' "$in"); stty -a | grep -o -- ' -*echo '" /dev/null < /dev/null
	assert_success
	refute_output --partial TERMINAL
	refute_output --partial STTY
	assert_output --partial "got:hello"
	assert_line --index "$(( ${#lines[@]} - 1 ))" --regexp '^ echo '
	assert_host_unchanged
}
