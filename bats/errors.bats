#!/usr/bin/env bats
# Bad input and a broken host: one clear line on stderr, exit 1, nothing left.

load common

setup() {
	snapshot_host
}

teardown() {
	kill_leftovers
}

# Run volspawn as USER and check: exit 1, exactly one line on stderr that
# contains TEXT, and nothing left on the host.
fails_with() { # user text args...
	local user=$1 text=$2
	shift 2
	VS_USER=$user run --separate-stderr as_user "$VS" "$@"
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$output" ""
	[[ "${stderr_lines[0]}" == "volspawn: "*"$text"* ]] || fail "stderr: ${stderr_lines[0]}"
	assert_all_gone
}

@test "an unknown option is named" {
	fails_with "$VS_USER" "unknown option --frobnicate" --frobnicate -- true
	fails_with "$VS_USER" "unknown option -Z" -Z -- true
	fails_with "$VS_USER" "option --private-network takes no value" --private-network=yes -- true
	fails_with "$VS_USER" "option --bind needs a value" --bind
}

@test "malformed option values say what was expected" {
	fails_with "$VS_USER" "--volatile=sometimes: expected yes, no, state or overlay" --volatile=sometimes -- true
	fails_with "$VS_USER" "--private-users=bogus: expected pick, yes or no" --private-users=bogus -- true
	fails_with "$VS_USER" "--setenv=1X=2: expected NAME=VALUE" --setenv=1X=2 -- true
	fails_with "$VS_USER" "--machine=bad_name!: expected a valid host name" --machine='bad_name!' -- true
	fails_with "$VS_USER" "--chdir=relative: expected an absolute path" --chdir=relative -- true
	fails_with "$VS_USER" "--tmpfs=tmp: 'tmp' must be an absolute path" --tmpfs=tmp -- true
}

@test "malformed bind specs are refused before anything starts" {
	fails_with "$VS_USER" "--bind=relative/path: source 'relative/path' must be an absolute path" --bind=relative/path -- true
	fails_with "$VS_USER" "--bind=/a:/b:rbind:x: too many ':'" --bind=/a:/b:rbind:x -- true
	fails_with "$VS_USER" "--bind-ro=/a:/b:ro: unknown option 'ro'" --bind-ro=/a:/b:ro -- true
	fails_with "$VS_USER" "--bind=/a:../b: destination '../b' must be an absolute path" --bind=/a:../b -- true
	fails_with "$VS_USER" "--bind=/a/../etc/shadow: source '/a/../etc/shadow' must be an absolute path without . or .." --bind=/a/../etc/shadow -- true
}

@test "a bind source that does not exist is named" {
	fails_with "$VS_USER" "bind source /no/such/dir: No such file or directory" --bind=/no/such/dir:/mnt -- true
}

@test "the host's root is never writable: --volatile=no or overlay with -D / is refused" {
	fails_with "$VS_USER" "--directory=/ needs --volatile=yes or --volatile=state" -D / --volatile=no -- true
	fails_with "$VS_USER" "--directory=/ needs --volatile=yes or --volatile=state" -D // --volatile=overlay -- true
}

@test "a missing directory, or one that is not an OS tree, is refused" {
	fails_with "$VS_USER" "--directory=/no/such/tree does not exist" -D /no/such/tree -- true
	local empty=$VS_WORK/empty-$BATS_TEST_NUMBER
	mkdir -p "$empty"
	fails_with "$VS_USER" "$empty is not an OS tree: it has neither /usr/lib/os-release nor /etc/os-release" -D "$empty" -- true
}

@test "--volatile=yes refuses a tree whose /bin is not merged into /usr" {
	local tree=$VS_WORK/unmerged-$BATS_TEST_NUMBER
	mkdir -p "$tree/usr/lib" "$tree/bin"
	echo ID=x > "$tree/usr/lib/os-release"
	fails_with "$VS_USER" "$tree has a /bin directory, not a link into /usr: --volatile=yes needs a merged /usr" -D "$tree" --volatile=yes -- true
}

@test "no /etc/subuid range: the exact usermod command, and it works" {
	needs_root "creates a user without ranges"
	fails_with "$VS_USER_NOSUB" "/etc/subuid has no range for $VS_USER_NOSUB; volspawn needs 65536 ids there. As root run: usermod --add-subuids" -- true
	local fix=${stderr_lines[0]#*As root run: }
	[[ "$fix" == "usermod --add-subuids "*" --add-subgids "*" $VS_USER_NOSUB" ]] || fail "fix: $fix"
	$fix
	VS_USER=$VS_USER_NOSUB run as_user "$VS" -- id -u
	assert_success
	assert_output 0
}

@test "a range smaller than 65536 is named with its size" {
	needs_root "creates a user with a small range"
	fails_with "$VS_USER_SMALL" "/etc/subuid gives $VS_USER_SMALL only 1000 ids from" -- true
	[[ "${stderr_lines[0]}" == *"volspawn needs 65536. As root run: usermod --add-subuids "*" --add-subgids "*" $VS_USER_SMALL" ]] || fail "${stderr_lines[0]}"
}

@test "newuidmap missing: the package to install is named" {
	needs_root "hides newuidmap in a private mount namespace"
	VS_USER=$VS_USER run --separate-stderr unshare -m --propagation private sh -c '
		for p in newuidmap newgidmap; do mount --bind /dev/null "$(command -v $p)"; done
		cd / && exec runuser -u "$0" -- "$1" -- true' "$VS_USER" "$VS"
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: newuidmap not found: install the 'uidmap' package (Debian, Ubuntu) or 'shadow-utils' (Fedora); it writes the UID map without root"
	assert_all_gone
}

@test "user namespaces disabled: what stops them and what to do is named" {
	# the sysctl-specific texts are unit-tested. bubblewrap forbids new user
	# namespaces inside its sandbox as the kernel's limit does (ENOSPC), but
	# it sets no_new_privs first, which already keeps newuidmap from working
	VS_USER=$VS_USER run --separate-stderr as_user bwrap --unshare-user --disable-userns --dev-bind / / -- "$VS" -- true
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: no_new_privs is set, so newuidmap's setuid bit does nothing here; run volspawn outside what set it (systemd's NoNewPrivileges=, setpriv --no-new-privs, bwrap, flatpak)"
	# as deep a nesting as the kernel allows leaves volspawn none (ENOSPC);
	# user_namespaces(7) says 32, the kernel takes 33 below the initial one
	local cmd=("$VS" -- true) i
	for i in $(seq 33); do
		cmd=(unshare --user --map-user="$(id -u "$VS_USER")" --map-group="$(id -g "$VS_USER")" "${cmd[@]}")
	done
	VS_USER=$VS_USER run --separate-stderr as_user "${cmd[@]}"
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: cannot create a user namespace (No space left on device): the limit is reached here or in an enclosing sandbox (bwrap --disable-userns, a container), or they are nested 32 deep; run volspawn outside it, or as root raise user.max_user_namespaces"
	assert_all_gone
}

@test "a container runtime's seccomp profile: volspawn runs without clone3; refused user namespaces are one line" {
	needs_root "installs the filter without no_new_privs, as a runtime does, then becomes the test user"
	local tool=$VOLSPAWN_REPO/build/tests/seccomp-run
	[ -x "$tool" ] || fail "$tool is missing: make bats builds it"
	# clone3 answers ENOSYS, as under Docker's and podman's default profiles
	run --separate-stderr sh -c 'cd / && exec "$@"' sh "$tool" runuser -u "$VS_USER" -- "$VS" -q -- id -u
	assert_success
	assert_output 0
	run --separate-stderr sh -c 'cd / && exec "$@"' sh "$tool" --deny-userns runuser -u "$VS_USER" -- "$VS" -q -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: cannot create a user namespace (Operation not permitted): a security policy (a seccomp filter, a container) forbids it; run volspawn outside it"
	assert_all_gone
}

@test "no_new_privs, under which newuidmap cannot work, is named with where it comes from" {
	VS_USER=$VS_USER run --separate-stderr as_user setpriv --no-new-privs "$VS" -- true
	assert_equal "$status" 1
	assert_equal "${stderr_lines[*]}" "volspawn: no_new_privs is set, so newuidmap's setuid bit does nothing here; run volspawn outside what set it (systemd's NoNewPrivileges=, setpriv --no-new-privs, bwrap, flatpak)"
	assert_all_gone
}

# ---- the catalogue of doc/errors.md: every entry below is one there ----

# fails_with, for a boot: volspawn runs in the delegated cgroup, so that
# what is checked after the cgroup is reached.
boot_fails_with() { # text args...
	[ -n "$VS_CGROUP" ] || skip "needs root: a delegated cgroup to boot in"
	local text=$1
	shift
	run --separate-stderr sh -c 'echo $$ > "$VS_CGROUP/cgroup.procs" && cd / && exec runuser -u "$VS_USER" -- "$@" < /dev/null' sh "$VS" -b "$@"
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	[[ "${stderr_lines[0]}" == "volspawn: "*"$text"* ]] || fail "stderr: ${stderr_lines[0]}"
	assert_all_gone
}

@test "catalogue: option values" {
	fails_with "$VS_USER" "--directory: expected a path" -D '' -- true
	fails_with "$VS_USER" "option -D needs a value; see volspawn --help" -D
	fails_with "$VS_USER" "--hostname=a b: expected a valid host name (letters, digits, '-', '.')" --hostname='a b' -- true
	fails_with "$VS_USER" "--machine=: expected a valid host name" -M '' -- true
	fails_with "$VS_USER" "--console=bogus: expected interactive, read-only, passive or pipe" --console=bogus -- true
	fails_with "$VS_USER" "--etc=bogus: expected empty, base or host" --etc=bogus -- true
	fails_with "$VS_USER" "--root-password=x: expected ask (a password on the command line is seen by every user's ps; hash one with: volspawn hash-password)" --root-password=x -b
	fails_with "$VS_USER" "--bind-user-password=hunter2: expected ask" --bind-user-password=hunter2 -b
	fails_with "$VS_USER" "--autologin=x y: expected a user name" --autologin='x y' -b
	fails_with "$VS_USER" "--bind-user=a b: expected a user name" --bind-user='a b' -b
	fails_with "$VS_USER" "--tmpfs=/a/../b: '/a/../b' must be an absolute path without . or .." --tmpfs=/a/../b -- true
	fails_with "$VS_USER" "--setenv=A: expected NAME=VALUE" --setenv=A -- true
	fails_with "$VS_USER" "--chdir=: expected an absolute path" --chdir= -- true
}

@test "catalogue: options that contradict each other" {
	fails_with "$VS_USER" "--bind-user-password=ask needs --bind-user=USER" --bind-user-password=ask -b
	fails_with "$VS_USER" "--autologin needs --boot: it logs in on the booted system's console" --autologin=root -- true
	fails_with "$VS_USER" "--root-password=ask and a passwd.hashed-password.root credential both set root's password; give one" \
		--root-password=ask --set-credential=passwd.hashed-password.root:x -b
}

@test "catalogue: a machine name that cannot be derived from the directory" {
	local tree=$VS_WORK/___
	mkdir -p "$tree/usr/lib"
	echo ID=x > "$tree/usr/lib/os-release"
	fails_with "$VS_USER" "cannot derive a machine name from $tree; give one with --machine=NAME" -D "$tree" -- true
}

@test "catalogue: credential IDs, escapes and sources" {
	fails_with "$VS_USER" "--set-credential: expected ID:VALUE (write a ':' or '\\' in the ID as '\\:' or '\\\\')" --set-credential=x -b
	fails_with "$VS_USER" "--set-credential: invalid credential ID 'bad/id': it contains a '/' (an ID is a file name of printable ASCII without ':')" --set-credential=bad/id:x -b
	fails_with "$VS_USER" "--set-credential=a:<value>: escape '\\777' is above \\377, the largest byte" '--set-credential=a:\777' -b
	fails_with "$VS_USER" "--set-credential=a:<value>: the value ends in a lone '\\'; write a backslash as '\\\\'" '--set-credential=a:x\' -b
	fails_with "$VS_USER" "--set-credential=a:<value>: escape '\\udc00' is not a Unicode character" '--set-credential=a:\udc00' -b
	fails_with "$VS_USER" "--set-credential=a:<value>: invalid escape '\\q' in the value; allowed: \\a" '--set-credential=a:x\qy' -b
	fails_with "$VS_USER" "duplicate credential 'a'; give each ID once across --set-credential and --load-credential" --set-credential=a:1 --load-credential=a:/etc/hostname -b
	fails_with "$VS_USER" "--load-credential=a: expected ID:PATH" --load-credential=a -b
	VS_USER=$VS_USER run --separate-stderr as_user env -u CREDENTIALS_DIRECTORY "$VS" --load-credential=a:name -b
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" 'volspawn: --load-credential=a:name: no credentials passed to volspawn ($CREDENTIALS_DIRECTORY is not set); give a path'
	fails_with "$VS_USER" "--load-credential=a:/no/such/file: cannot read /no/such/file: No such file or directory" --load-credential=a:/no/such/file -b
	# the value is a secret: never echoed
	run --separate-stderr as_user "$VS" '--set-credential=a:s3cret\q' -b
	refute [ "${stderr#*s3cret}" != "$stderr" ]
}

@test "catalogue: --tmpfs options the kernel refuses" {
	fails_with "$VS_USER" "--tmpfs=/a:bogus=1: the kernel refused these tmpfs options (Invalid argument); give options of tmpfs(5)" --tmpfs=/a:bogus=1 -- true
}

@test "catalogue: --tmpfs options that are no mount options" {
	fails_with "$VS_USER" "--tmpfs=/a:mode=\"0700: these are not mount options (an open quote, or a flag such as bind that is no filesystem's); give options of tmpfs(5), such as mode=0755,size=10%" '--tmpfs=/a:mode="0700' -- true
	fails_with "$VS_USER" "--tmpfs=/a:bind,size=1m: these are not mount options" --tmpfs=/a:bind,size=1m -- true
}

@test "catalogue: a libmount that cannot be loaded, for --tmpfs options and for booting" {
	local lib=$VS_WORK/fake-libmount
	install -d -m 0755 "$lib"
	echo 'not a library' > "$lib/libmount.so.1"
	chmod 0644 "$lib/libmount.so.1"
	VS_USER=$VS_USER run --separate-stderr as_user env LD_LIBRARY_PATH="$lib" "$VS" --tmpfs=/a -- true
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --tmpfs=/a:mode=0755: cannot load libmount to read its options; install libmount (util-linux)"
	VS_USER=$VS_USER run --separate-stderr as_user env LD_LIBRARY_PATH="$lib" "$VS" -q -b
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: cannot load libmount to find the cgroup2 hierarchy in /proc/self/mountinfo; install libmount (util-linux)"
	# a command without --tmpfs never loads it
	VS_USER=$VS_USER run --separate-stderr as_user env LD_LIBRARY_PATH="$lib" "$VS" -q -- echo ok
	assert_success
	assert_output ok
	rm -rf "$lib"
	assert_all_gone
}

@test "catalogue: --chdir to a directory the container lacks" {
	fails_with "$VS_USER" "--chdir=/no/such/dir: No such file or directory inside the container; give a directory of the tree or a --bind destination" --chdir=/no/such/dir -- true
}

@test "catalogue: a command that cannot be found exits 127, one that cannot be run 126" {
	VS_USER=$VS_USER run -127 --separate-stderr as_user "$VS" -- /no/such/command
	assert_equal "${stderr_lines[0]}" "volspawn: cannot run /no/such/command: No such file or directory"
	VS_USER=$VS_USER run -126 --separate-stderr as_user "$VS" -- /usr/share/common-licenses/GPL-3
	assert_equal "${stderr_lines[0]}" "volspawn: cannot run /usr/share/common-licenses/GPL-3: Permission denied"
	assert_all_gone
}

@test "catalogue: --bind-user of someone unknown, root, nobody, or another user without root" {
	fails_with "$VS_USER" "no user no-such-user-here on this host; --bind-user takes the name of a host user" --bind-user=no-such-user-here -b
	fails_with "$VS_USER" "--bind-user cannot bind root: the container has its own; name an ordinary user" --bind-user=root -b
	fails_with "$VS_USER" "--bind-user cannot bind nobody: the container has its own; name an ordinary user" --bind-user=nobody -b
	fails_with "$VS_USER" "--bind-user=daemon: without root, volspawn can bind only you (newuidmap maps no one else's uid); run it as root to bind others" --bind-user=daemon -b
}

@test "catalogue: --bind-user of a user whose home does not exist" {
	needs_root "a user whose home is missing"
	fails_with "$VS_USER_NOSUB" "${VS_USER_NOSUB}'s home /nonexistent does not exist; --bind-user binds it into the container: create it or name another user" --bind-user="$VS_USER_NOSUB" -b
}

@test "catalogue: a tree without /usr for --volatile=yes, or for map to serve" {
	local tree=$VS_WORK/nousr-$BATS_TEST_NUMBER
	mkdir -p "$tree/etc"
	echo ID=x > "$tree/etc/os-release"
	fails_with "$VS_USER" "$tree has no /usr directory; --volatile=yes uses only the tree's /usr" -D "$tree" --volatile=yes -- true
	fails_with "$VS_USER" "--private-users-ownership=map: $tree has no /usr directory to serve; use --private-users-ownership=off" -D "$tree" --volatile=state --private-users-ownership=map -- true
}

@test "catalogue: /etc/subuid and /etc/subgid contents: a malformed line is no range; a range in one file only names the other" {
	needs_root "edits /etc/subuid and /etc/subgid"
	local u=$VS_USER_NOSUB f start
	start=$(cat /etc/subuid /etc/subgid | awk -F: 'BEGIN { m = 200000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }')
	for f in /etc/subuid /etc/subgid; do   # an earlier test gave it ranges
		grep -v "^$u:" "$f" > "$f.vstmp" || true
		cat "$f.vstmp" > "$f"
		rm -f "$f.vstmp"
	done
	echo "$u:abc:65536" >> /etc/subuid
	fails_with "$u" "/etc/subuid has no range for $u; volspawn needs 65536 ids there. As root run: usermod --add-subuids" -- true
	echo "$u:$start:65536" >> /etc/subuid
	fails_with "$u" "/etc/subgid has no range for $u; volspawn needs 65536 ids there. As root run: usermod --add-subgids" -- true
	[[ "${stderr_lines[0]}" != *--add-subuids* ]] || fail "${stderr_lines[0]}"
}

@test "catalogue: newuidmap refusing the map is quoted in one line with what it needs" {
	local fake=$VS_WORK/fake-newuidmap-$BATS_TEST_NUMBER
	mkdir -p "$fake"
	printf '#!/bin/sh\necho "newuidmap: write to uid_map failed: Operation not permitted" >&2\nexit 1\n' > "$fake/newuidmap"
	chmod 755 "$fake" "$fake/newuidmap"
	VS_USER=$VS_USER run --separate-stderr as_user env PATH="$fake:$PATH" "$VS" -- true
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: newuidmap failed: newuidmap: write to uid_map failed: Operation not permitted; it must be setuid root (or hold cap_setuid) and find your range in /etc/subuid"
	assert_all_gone
}

@test "catalogue: no cgroup2 hierarchy to boot in" {
	needs_root "unmounts cgroup2 in a private mount namespace"
	VS_USER=$VS_USER run --separate-stderr unshare -m --propagation private sh -c '
		findmnt -n -o TARGET -t cgroup2 | while read -r m; do umount -l "$m"; done
		cd / && exec runuser -u "$0" -- "$1" -b' "$VS_USER" "$VS"
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: no cgroup2 hierarchy is mounted; booting systemd needs one (unified or hybrid cgroups)"
	assert_all_gone
}

@test "catalogue: a boot asking for a password without a terminal" {
	boot_fails_with "cannot ask for root's password: no terminal (No such device or address); run volspawn on a terminal, or leave out --root-password=ask" --root-password=ask
	boot_fails_with "cannot ask for $VS_USER's password: no terminal (No such device or address); run volspawn on a terminal, or leave out --bind-user-password=ask" --bind-user="$VS_USER" --bind-user-password=ask
}

@test "catalogue: the terminal closing at the password prompt is one line, and nothing is left" {
	needs_root "a boot needs the suite's delegated cgroup"
	console_env
	export VS_ERR=$BATS_TEST_TMPDIR/stderr
	console <<-'EOF'
	spawn sh -c {echo $$ > "$VS_CGROUP/cgroup.procs" && cd / && exec runuser -u "$VS_USER" -- "$VS" -b --root-password=ask 2> "$VS_ERR"}
	want "Password for root in the container: " "root's password prompt"
	send "half a passw"
	close
	lassign [wait] pid spawnid os_error status
	puts "\nVOLSPAWN EXIT: $status"
	EOF
	assert_exit 1
	assert_equal "$(cat "$VS_ERR")" "volspawn: the terminal closed before the password was typed"
	assert_all_gone
}

@test "catalogue: booting a tree that has no init" {
	local tree=$VS_WORK/noinit-$BATS_TEST_NUMBER
	make_tree "$tree"
	boot_fails_with "cannot boot: no init in /usr/lib/systemd/systemd, /lib/systemd/systemd or /sbin/init (No such file or directory); install systemd in the tree, or run a command without -b" -D "$tree" --console=passive -q
}

@test "catalogue: a --directory the user cannot reach" {
	needs_root "a directory only root may enter"
	local dir=$VS_WORK/locked-$BATS_TEST_NUMBER
	mkdir -p "$dir/tree"
	chown root:root "$dir"
	chmod 700 "$dir"
	fails_with "$VS_USER" "--directory=$dir/tree: Permission denied; give a directory you can reach" -D "$dir/tree" -- true
	rm -rf "$dir"
}

@test "catalogue: a uid without a passwd entry" {
	needs_root "runs volspawn as a uid no account has"
	local uid=54321
	! getent passwd "$uid" > /dev/null || skip "uid $uid has an account here"
	run --separate-stderr sh -c 'cd / && exec setpriv --reuid "$1" --regid "$1" --clear-groups "$2" -- true' sh "$uid" "$VS"
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: uid $uid has no passwd entry; /etc/subuid entries are matched by user name"
	assert_all_gone
}

@test "catalogue: a volspawn installed without volspawn-usrfs says where it looked" {
	local d=$VS_WORK/lone-$BATS_TEST_NUMBER
	install -d -m 0755 "$d"
	install -m 0755 "$VS" "$d/volspawn"
	VS=$d/volspawn fails_with "$VS_USER" "--private-users-ownership=map: volspawn-usrfs is not next to volspawn nor at /" --private-users-ownership=map -- true
	[[ "${stderr_lines[0]}" == *"; reinstall volspawn" ]] || fail "${stderr_lines[0]}"
	VS=$d/volspawn fails_with "$VS_USER" "--bind-user-sudo needs /usr's true owners, which can't be shown here: volspawn-usrfs is not next to volspawn" --bind-user="$VS_USER" --bind-user-sudo -- true
	rm -rf "$d"
}

@test "catalogue: --bind-user-sudo and --autologin on the tree's read-only /etc" {
	fails_with "$VS_USER" "--bind-user-sudo needs a writable /etc (--volatile=yes or overlay): Read-only file system" --volatile=state --bind-user="$VS_USER" --bind-user-sudo -- true
	boot_fails_with "--autologin needs a writable /etc (--volatile=yes or overlay): Read-only file system" --volatile=state --autologin=root --console=passive -q
}

@test "catalogue: a --load-credential source that is neither a path nor a credential name" {
	fails_with "$VS_USER" "--load-credential=a:: expected a path or the name of a credential passed to volspawn" --load-credential=a: -b
}

@test "catalogue: hash-password without a usable password" {
	VS_USER=$VS_USER run --separate-stderr as_user sh -c 'printf "" | "$1" hash-password' sh "$VS"
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" "volspawn: hash-password: no password on stdin; pipe one line in, or run it on a terminal"
	VS_USER=$VS_USER run --separate-stderr as_user sh -c 'printf "a\0b\n" | "$1" hash-password' sh "$VS"
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" "volspawn: hash-password: the password on stdin holds a NUL byte, which crypt(3) cannot hash"
	VS_USER=$VS_USER run --separate-stderr as_user sh -c 'echo x | "$1" hash-password extra' sh "$VS"
	assert_equal "$status" 1
	assert_equal "${stderr_lines[0]}" "volspawn: hash-password: unexpected argument 'extra'; it reads the password, see volspawn hash-password --help"
	assert_all_gone
}
