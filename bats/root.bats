#!/usr/bin/env bats
# volspawn run by real root: the maps are written directly from a free
# range, and /usr is an idmapped mount so host-root files show as root.

load common

setup() {
	needs_root "these tests are about root mode"
}

@test "as root, /usr files are owned by root inside (idmapped /usr)" {
	run "$VS" -q -- stat -c %u:%g:%a /usr/bin/su
	assert_success
	assert_output 0:0:4755
}

@test "as root, the range is picked, locked while running, and released" {
	local dir=$BATS_TEST_TMPDIR/w
	mkdir -p "$dir" && chmod 1777 "$dir"
	run "$VS" -q --bind="$dir:/w" -- sh -c 'touch /w/by-root; cat /proc/self/uid_map'
	assert_success
	# container root's files are owned on the host by the range's first uid
	local base
	base=$(stat -c %u "$dir/by-root")
	assert_line --regexp '^ +0 +0 +65536$'
	(( base % 65536 == 0 && base >= 524288 ))
	[ ! -e "/run/systemd/nspawn-uid/$base" ]
}

@test "as root, two containers at once get different ranges" {
	local a=$BATS_TEST_TMPDIR/a b=$BATS_TEST_TMPDIR/b
	mkdir -p "$a" "$b" && chmod 1777 "$a" "$b"
	"$VS" -q --bind="$a:/w" -- sh -c 'touch /w/by-root; sleep 1' &
	"$VS" -q --bind="$b:/w" -- sh -c 'touch /w/by-root; sleep 1' &
	wait
	[ -e "$a/by-root" ] && [ -e "$b/by-root" ]
	assert_not_equal "$(stat -c %u "$a/by-root")" "$(stat -c %u "$b/by-root")"
}

@test "as root, a bound user's home is an idmapped mount, not a hole in the map" {
	local home
	home=$(getent passwd "$VS_USER" | cut -d: -f6)
	run "$VS" -q --bind-user="$VS_USER" -- sh -c "cat /proc/self/uid_map | wc -l; stat -c '%u %g' '$home'; setpriv --reuid=60514 --regid=60514 --clear-groups sh -c 'echo hi > $home/idmapped-probe'"
	assert_success
	assert_line --index 0 1
	assert_line --index 1 "60514 60514"
	assert_equal "$(stat -c %U "$home/idmapped-probe")" "$VS_USER"
	rm -f "$home/idmapped-probe"
}
