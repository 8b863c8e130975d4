#!/usr/bin/env bats
# Bad input and a broken host: one clear line on stderr, exit 1, nothing left.

load common

setup() {
	snapshot_host
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
	assert_host_unchanged
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
	assert_host_unchanged
}

@test "user namespaces disabled: what stops them and what to do is named" {
	# bubblewrap forbids new user namespaces inside its sandbox the way the
	# kernel's limit does (ENOSPC); the sysctl-specific texts are unit-tested
	VS_USER=$VS_USER run --separate-stderr as_user bwrap --unshare-user --disable-userns --dev-bind / / -- "$VS" -- true
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "volspawn: cannot create a user namespace (No space left on device): the limit is reached here or in an enclosing sandbox (bwrap --disable-userns, a container); run volspawn outside it, or as root raise user.max_user_namespaces"
	assert_host_unchanged
}
