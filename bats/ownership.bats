#!/usr/bin/env bats
# --private-users-ownership: rootless, /usr served with its true owners by
# volspawn-usrfs over FUSE, so setuid-root programs and sudo work inside.
# (The suite's setup makes /dev/fuse 0666, as distributions ship it.)

load common

# Test programs in the host's /usr, put there as a distribution's package
# would: a setuid-root id and touch, and a cat with a file capability;
# named after the suite, which another may run at the same time.
SUID_ID=/usr/local/bin/$VS_PREFIX-suid-id
SUID_TOUCH=/usr/local/bin/$VS_PREFIX-suid-touch
CAP_CAT=/usr/local/bin/$VS_PREFIX-cap-cat
SHARE=/usr/local/share/$VS_PREFIX

setup_file() {
	console_env
	is_root || return 0
	install -m 4755 /usr/bin/id $SUID_ID
	install -m 4755 /usr/bin/touch $SUID_TOUCH
	install -m 0755 /usr/bin/cat $CAP_CAT
	setcap cap_net_raw+ep $CAP_CAT
	mkdir -p $SHARE
	head -c 8M /dev/zero | tr '\0' A > $SHARE/data
	# what the user may not read, and an owner the container has no id for
	install -m 0600 /dev/null $SHARE/root-only
	echo hi > $SHARE/high-owner
	chown 70000:70001 $SHARE/high-owner
}

teardown_file() {
	is_root || return 0
	rm -rf $SUID_ID $SUID_TOUCH $CAP_CAT $SHARE
}

setup() {
	needs_root "the test programs are installed into the host's /usr"
	X=$VS_WORK/x$BATS_TEST_NUMBER
	mkdir -p "$X" && chmod 1777 "$X"
	snapshot_host
}

teardown() {
	kill_leftovers
	[ ! -s "$VS_WORK/fuse-mode" ] || chmod 0666 /dev/fuse
}

# As container user 1000, as su would leave a user.
as_1000() {
	echo "setpriv --reuid=1000 --regid=1000 --clear-groups $*"
}

@test "map: /usr shows host root's files as root's, and a setuid-root program makes user 1000 root" {
	run vs -q --private-users-ownership=map --bind="$X:/x" -- sh -c "
		stat -c '%u %g %a' /usr/bin/su $SUID_ID
		$(as_1000 $SUID_ID)
		$(as_1000 $SUID_TOUCH /x/made-by-setuid)
		grep -c volspawn-usrfs /proc/self/mountinfo"
	assert_success
	assert_line --index 0 "0 0 4755"
	assert_line --index 1 "0 0 4755"
	assert_line --index 2 --regexp '^uid=1000 gid=1000 euid=0[( ]'
	assert_line --index 3 1
	# container root, still: the file belongs to the user's sub-range
	assert_equal "$(stat -c %u "$X/made-by-setuid")" "$(subid_start /etc/subuid "$VS_USER")"
	assert_host_unchanged
}

@test "off: /usr shows as nobody and setuid-root programs raise no one (the kernel's view)" {
	run vs -q --private-users-ownership=off -- sh -c "
		stat -c '%u %g' /usr/bin/su
		$(as_1000 $SUID_ID)"
	assert_success
	assert_line --index 0 "65534 65534"
	assert_line --index 1 --regexp '^uid=1000 gid=1000 groups='
	assert_host_unchanged
}

@test "auto serves /usr where /dev/fuse is usable; a command's default is off, --bind-user-sudo's auto" {
	run vs -q --private-users-ownership=auto -- stat -c %u /usr/bin/su
	assert_success
	assert_output 0
	run vs -q -- stat -c %u /usr/bin/su
	assert_success
	assert_output 65534
	run vs -q --etc=base --bind-user="$VS_USER" --bind-user-sudo -- stat -c %u /usr/bin/su
	assert_success
	assert_output 0
	assert_host_unchanged
}

@test "what the user may not read stays unreadable, even to container root; ids above 65535 show as nobody" {
	run vs -q --private-users-ownership=map -- sh -c "
		stat -c '%u %g %a' $SHARE/root-only
		cat $SHARE/root-only && echo READ
		stat -c '%u %g' $SHARE/high-owner; cat $SHARE/high-owner"
	# the owner's read bit no more than other's (security.bats, "map lends...")
	assert_line --index 0 "0 0 200"
	assert_line --partial "Permission denied"
	refute_line READ
	assert_line "65534 65534"
	assert_line hi
	assert_host_unchanged
}

@test "file capabilities work through the view" {
	run vs -q --private-users-ownership=map -- sh -c "
		getcap $CAP_CAT
		$(as_1000 $CAP_CAT /proc/self/status) | grep ^CapEff"
	assert_success
	assert_line --index 0 --regexp 'cap_net_raw[=+]ep'
	assert_line --index 1 --regexp "CapEff:[[:space:]]+0000000000002000"
	assert_host_unchanged
}

@test "the view lists, reads and links exactly what the host's /usr holds" {
	local want
	# not /usr/local, where other test runs may come and go
	want=$(find /usr/lib/x86_64-linux-gnu /usr/share/doc /usr/bin -printf '%p %s %m %U %G %y %l\n' 2>&1 | sort | md5sum)
	run vs -q --private-users-ownership=map -- sh -c "
		find /usr/lib/x86_64-linux-gnu /usr/share/doc /usr/bin -printf '%p %s %m %U %G %y %l\n' 2>&1 | sort | md5sum
		md5sum < /usr/bin/bash"
	assert_success
	assert_line --index 0 "$want"
	assert_line --index 1 "$(md5sum < /usr/bin/bash)"
	assert_host_unchanged
}

@test "a host file replaced while open is read whole (old bytes only); opened again, it is the new one" {
	local data=$SHARE/data
	vs -q --private-users-ownership=map --bind="$X:/x" -- sh -c "
		exec 3< $data
		head -c 1048576 <&3 > /dev/null
		touch /x/opened
		while [ ! -e /x/replaced ]; do sleep 0.05; done
		cat <&3 > /x/rest
		head -c 4 $data > /x/reopened" &
	for _ in $(seq 600); do [ -e "$X/opened" ] && break; sleep 0.05; done
	head -c 8M /dev/zero | tr '\0' B > "$data.new"
	mv "$data.new" "$data"
	touch "$X/replaced"
	wait $!
	assert_equal "$(wc -c < "$X/rest")" 7340032
	assert_equal "$(tr -d A < "$X/rest" | wc -c)" 0
	assert_equal "$(cat "$X/reopened")" BBBB
	assert_host_unchanged
}

@test "a file added on the host appears in a running container, even after it was looked up missing" {
	vs -q --private-users-ownership=map --bind="$X:/x" -- sh -c "
		sleep 2   # past the start, when host changes are watched
		ls $SHARE/new 2> /dev/null
		touch /x/missed
		for i in \$(seq 100); do [ -e $SHARE/new ] && break; sleep 0.1; done
		cat $SHARE/new > /x/seen" &
	for _ in $(seq 600); do [ -e "$X/missed" ] && break; sleep 0.05; done
	echo fresh > $SHARE/new
	wait $!
	rm -f $SHARE/new
	assert_equal "$(cat "$X/seen")" fresh
	assert_host_unchanged
}

@test "volspawn-usrfs under valgrind, through every kind of request: no invalid access, no leak" {
	command -v valgrind > /dev/null || fail "valgrind is missing: helpers/install-deps installs it"
	# volspawn finds the server next to itself: here, valgrind running it.
	# Always the plain build's server: an ASan one cannot run under valgrind
	local d=$VS_WORK/vg-$BATS_TEST_NUMBER
	install -d -m 0755 "$d"
	install -d -m 0777 "$d/logs"
	install -m 0755 "$VS" "$d/volspawn"
	install -m 0755 "$VOLSPAWN_REPO/volspawn-usrfs" "$d/volspawn-usrfs.real"
	cat > "$d/volspawn-usrfs" <<-EOF
	#!/bin/sh
	exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--log-file=$d/logs/%p $d/volspawn-usrfs.real "\$@"
	EOF
	chmod 0755 "$d/volspawn-usrfs"
	ln -sf data "$SHARE/link"
	VS=$d/volspawn vs -q --private-users-ownership=map --bind="$X:/x" -- sh -c "
		ls -lnR /usr/share/doc > /x/listing          # lookups, listings, attributes
		cat /usr/share/doc/*/copyright | wc -c       # opens, reads, releases
		readlink $SHARE/link
		getcap $CAP_CAT                               # extended attributes
		stat -f -c %b /usr > /dev/null               # statfs
		cat $SHARE/root-only 2> /dev/null || echo refused
		ls $SHARE/missing 2> /dev/null || echo missing
		touch /x/go
		while [ ! -e /x/changed ]; do sleep 0.1; done
		cat $SHARE/missing                            # invalidated by inotify
		" > "$X/out" 2> "$X/err" &
	local job=$!
	for _ in $(seq 1200); do [ -e "$X/go" ] || ! kill -0 "$job" 2> /dev/null && break; sleep 0.1; done
	echo added > "$SHARE/missing"
	touch "$X/changed"
	local status=0
	wait "$job" || status=$?
	rm -f "$SHARE/missing" "$SHARE/link"
	[ "$status" -eq 0 ] || fail "status $status: $(cat "$X/err")"
	run cat "$X/out"
	assert_line --index 0 "$(cat /usr/share/doc/*/copyright | wc -c)"
	assert_line --index 1 data
	assert_line --index 2 --regexp 'cap_net_raw[=+]ep'
	assert_line --index 3 refused
	assert_line --index 4 missing
	assert_line --index 5 added
	assert_equal "$(wc -l < "$X/listing")" "$(ls -lnR /usr/share/doc | wc -l)"
	# one server, which ended by itself (the summary is written at exit)
	run cat "$d"/logs/*
	assert_equal "$(ls "$d/logs" | wc -l)" 1
	assert_line --partial "ERROR SUMMARY: 0 errors from 0 contexts"
	rm -rf "$d"
	assert_host_unchanged
}

@test "killing the server of /usr stops the container with one line, and nothing is left" {
	vs -q --private-users-ownership=map --bind="$X:/x" -- sh -c 'touch /x/running; exec sleep 120' 2> "$X/stderr" &
	local job=$! front= server=
	eventually test -e "$X/running"
	# the front: the oldest volspawn of the user
	front=$(pgrep -u "$VS_USER" -o -x volspawn)
	server=$(pgrep -P "$front" -x volspawn-usrfs)
	[ -n "$server" ]
	kill -KILL "$server"
	for _ in $(seq 600); do kill -0 "$job" 2> /dev/null || break; sleep 0.1; done
	local status=0
	wait "$job" || status=$?
	[ "$status" -ne 0 ]
	assert_equal "$(cat "$X/stderr")" "volspawn: volspawn-usrfs, the server of /usr, was killed by signal 9; the container is stopped"
	assert_host_unchanged
}

@test "without a usable /dev/fuse: map fails in one line saying how to fix it, auto falls back with a notice" {
	chmod 0600 /dev/fuse
	run --separate-stderr vs --private-users-ownership=map -- true
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: --private-users-ownership=map: /dev/fuse: Permission denied (distributions make it 0666; as root: chmod 0666 /dev/fuse)"
	run --separate-stderr vs --private-users-ownership=auto -- stat -c %u /usr/bin/su
	assert_success
	assert_output 65534
	assert_equal "${#stderr_lines[@]}" 1
	[[ "${stderr_lines[0]}" == "volspawn: /usr shows as owned by nobody, and setuid programs in it do not work: /dev/fuse: "* ]] || fail "${stderr_lines[0]}"
	run --separate-stderr vs -q --bind-user="$VS_USER" --bind-user-sudo -- true
	assert_equal "$status" 1
	[[ "${stderr_lines[0]}" == "volspawn: --bind-user-sudo needs /usr's true owners"* ]] || fail "${stderr_lines[0]}"
	assert_host_unchanged
}

@test "chown is refused, with the reason" {
	run --separate-stderr vs --private-users-ownership=chown -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" "volspawn: --private-users-ownership=chown: volspawn never changes the owners of the tree's files; use map (the true owners, shown through a mapping) or off"
	run --separate-stderr vs --private-users-ownership=maybe -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" "volspawn: --private-users-ownership=maybe: expected off, map or auto"
	assert_host_unchanged
}

@test "map, sudo: what cannot go together is refused in one line, nothing left" {
	local tree=$VS_WORK/tree-$BATS_TEST_NUMBER
	make_tree "$tree"
	run --separate-stderr vs --private-users-ownership=map -D "$tree" --volatile=no -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: --private-users-ownership=map: --volatile=no mounts the tree itself, writable, and the view is read-only"
	run --separate-stderr vs --bind-user-sudo -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: --bind-user-sudo needs --bind-user=USER: it lets the bound users use sudo"
	run --separate-stderr vs --bind-user="$VS_USER" --bind-user-sudo --private-users-ownership=off -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: --bind-user-sudo needs /usr's true owners (sudo refuses to run from a /usr not owned by root); drop --private-users-ownership=off"
	assert_all_gone
}

@test "--bind-user-sudo: the bound user runs sudo -n as root in a command container" {
	run vs -q --etc=base --bind-user="$VS_USER" --bind-user-sudo -- \
		setpriv --reuid=60514 --regid=60514 --clear-groups sudo -n id -u
	assert_success
	assert_output 0   # and no "unable to resolve host"
	run vs -q --etc=base --bind-user="$VS_USER" -- \
		setpriv --reuid=60514 --regid=60514 --clear-groups sudo -n id -u
	assert_failure
	assert_host_unchanged
}

@test "as root, off binds /usr as it is (nobody inside); map is the idmapped mount" {
	run "$VOLSPAWN" -q --private-users-ownership=off -- stat -c %u /usr/bin/su
	assert_success
	assert_output 65534
	run "$VOLSPAWN" -q --private-users-ownership=map -- stat -c %u /usr/bin/su
	assert_success
	assert_output 0
}

@test "booted (map by default): the bound user logs in and sudo -n id prints uid=0; su to root asks root's password" {
	needs_root "a booted container needs the suite's delegated cgroup"
	console <<-'EOF'
	boot --bind-user=$env(VS_USER) --autologin=$env(VS_USER) --bind-user-sudo --root-password=ask
	answer_password root rootpw
	want {[$] $} "the user's shell"
	sh {stat -c '%u %a' /usr/bin/sudo /usr/bin/su; sudo -n id}
	send "su -c 'id -u' root\r"
	want {Password: $} "su's password prompt"
	send "rootpw\r"
	want {\r\n0\r\n} "id -u run by su"
	exec kill -TERM [exp_pid]
	finish
	EOF
	assert_exit 0
	run between_markers
	assert_line --index 0 "0 4755"
	assert_line --index 1 "0 4755"
	assert_line --regexp '^uid=0\(root\) gid=0\(root\)'
	assert_all_gone
}

@test "booted: killing the server of /usr stops the container with one line, and nothing is left" {
	needs_root "a booted container needs the suite's delegated cgroup"
	console <<-'EOF'
	boot -q --root-password=ask
	answer_password root x
	want {login: $} "login:"
	exec kill -KILL [exec pgrep -P [front_pid] -x volspawn-usrfs]
	finish
	EOF
	assert_line --partial "volspawn: volspawn-usrfs, the server of /usr, was killed by signal 9; the container is stopped"
	refute_line --partial "VOLSPAWN EXIT: 0"
	assert_all_gone
}
