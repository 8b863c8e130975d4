#!/usr/bin/env bats
# The dev loop: a developer's own code built and tested in a twin as
# themselves (--user, --here), with the host's userland in a command
# twin's /etc. Rootless, as an ordinary user.

load common

setup() {
	snapshot_host
	U_HOME=$(getent passwd "$VS_USER" | cut -d: -f6)
	P=$VS_WORK/dev-$BATS_TEST_NUMBER
	as_user mkdir -p "$P"
}

# Run volspawn as the test user from directory $1.
vs_in() { # dir args...
	local dir=$1
	shift
	if [ "$(id -un)" = "$VS_USER" ]; then
		(cd "$dir" && "$VS" "$@")
	else
		(cd "$dir" && runuser -u "$VS_USER" -- "$VS" "$@")
	fi
}

# Every file below dir belongs to the test user.
assert_all_users() { # dir
	local others
	others=$(find "$1" ! -user "$VS_USER" -printf '%u %p\n' | head -5)
	assert_equal "$others" ""
}

@test "--here: volspawn's own checkout builds and passes its unit tests in a twin, as the user; nothing else of the host changes" {
	git clone -q "$VOLSPAWN_REPO" "$P/volspawn" 2>/dev/null || cp -a "$VOLSPAWN_REPO/." "$P/volspawn"
	rm -rf "$P/volspawn/build" "$P/volspawn/build-asan" "$P/volspawn/build-fuzz"
	chown -R "$VS_USER" "$P/volspawn"
	local home_before
	home_before=$(ls -A "$U_HOME")
	run vs_in "$P/volspawn" -q --here -- sh -c 'id -un; pwd; touch "$HOME/.volspawn-devloop-$$"; make -j2 volspawn unit >build.log 2>&1; echo "make: $?"; tail -1 build.log'
	assert_success
	assert_line --index 0 "$VS_USER"
	assert_line --index 1 "$P/volspawn"
	assert_line --index 2 "make: 0"
	assert_line --index 3 --partial "PASSED"
	# what it made is the user's, on the host
	[ -x "$P/volspawn/volspawn" ]
	assert_all_users "$P/volspawn"
	# the home inside was a fresh one: the user's own is as it was
	assert_equal "$(ls -A "$U_HOME")" "$home_before"
	assert_host_unchanged
}

@test "--here: a Python project runs its standard-library tests as the user" {
	mkdir -p "$P/py/calc" "$P/py/tests"
	printf 'def add(a, b):\n    return a + b\n' > "$P/py/calc/__init__.py"
	cat > "$P/py/tests/test_calc.py" <<-'EOF'
	import os, unittest, calc
	class T(unittest.TestCase):
	    def test_add(self):
	        self.assertEqual(calc.add(2, 3), 5)
	    def test_runs_as_the_user(self):
	        self.assertNotEqual(os.getuid(), 0)
	EOF
	touch "$P/py/tests/__init__.py"
	chown -R "$VS_USER" "$P/py"
	run vs_in "$P/py" -q --here -- python3 -m unittest discover -v
	assert_success
	assert_output --partial "Ran 2 tests"
	assert_output --partial "OK"
	# the byte code it wrote is the user's
	[ -n "$(find "$P/py" -name '*.pyc')" ]
	assert_all_users "$P/py"
	assert_host_unchanged
}

@test "a command twin has the host's userland: cc, awk, editor, id -un, CA certificates, the loader's cache" {
	run vs -q -- sh -c '
		for t in cc awk editor pager; do echo "$t $(readlink -f "$(command -v $t)")"; done
		echo "id $(id -un):$(id -gn)"
		ldconfig -p | grep -q "libc.so.6 " && echo "cache has libc"
		openssl verify -CApath /etc/ssl/certs /usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt
		python3 -c "import ssl; print(\"cas\", len(ssl.create_default_context().get_ca_certs()) > 0)"
		grep -c "^ID=" /etc/os-release'
	assert_success
	local t
	for t in cc awk editor pager; do
		assert_line "$t $(readlink -f "$(command -v $t)")"
	done
	assert_line "id root:root"
	assert_line "cache has libc"
	assert_line "/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt: OK"
	assert_line "cas True"
	assert_line --index 8 1
	assert_host_unchanged
}

@test "a command twin's /etc is writable and thrown away: alternatives, certificates and files alike" {
	local alt_before certs_before
	alt_before=$(ls -l /etc/alternatives | md5sum)
	certs_before=$(ls -l /etc/ssl/certs | md5sum)
	run vs -q -- sh -c 'set -e
		ln -sf /usr/bin/true /etc/alternatives/awk
		rm /etc/alternatives/pager
		ln -s /usr/bin/true /etc/ssl/certs/volspawn-test.pem
		echo hello > /etc/volspawn-test
		readlink /etc/alternatives/awk; cat /etc/volspawn-test
		[ ! -e /etc/alternatives/pager ] && echo gone'
	assert_success
	assert_output "/usr/bin/true
hello
gone"
	assert_equal "$(ls -l /etc/alternatives | md5sum)" "$alt_before"
	assert_equal "$(ls -l /etc/ssl/certs | md5sum)" "$certs_before"
	[ ! -e /etc/volspawn-test ]
	assert_host_unchanged
}

@test "a --bind in or over /etc is the user's: nothing of the host's /etc is written into it" {
	local d=$VS_WORK/etc-bind-$BATS_TEST_NUMBER
	as_user mkdir "$d"
	as_user sh -c "echo mine > '$d/mine'"
	# bound, the user's own files are container root's to write
	run vs -q --bind-user="$VS_USER" --bind="$d:/etc/pam.d" -- sh -c 'ls -A /etc/pam.d; command -v awk'
	assert_success
	assert_output "mine
/usr/bin/awk"
	run vs -q --bind-user="$VS_USER" --bind="$d:/etc/" -- ls -A /etc
	assert_success
	assert_output mine
	run ls -A "$d"
	assert_output mine
	assert_host_unchanged
}

@test "a command twin's /etc holds no identity of the host's and no other user" {
	run vs -q -- sh -c 'cat /etc/passwd; for f in machine-id hostname subuid subgid shadow gshadow passwd- fstab; do [ ! -e /etc/$f ] || echo "present: $f"; done'
	assert_success
	assert_output --regexp '^root:x:0:0:root:/root:/bin/(ba)?sh$'
	assert_host_unchanged
}

@test "--user: the command runs as the bound user, in their home; what it writes into a bound path is theirs on the host" {
	chmod 1777 "$P"
	run vs -q --bind-user="$VS_USER" --user="$VS_USER" --bind="$P" -- sh -c 'id -un; echo "$HOME $USER $LOGNAME"; pwd; touch '"$P/by-user"
	assert_success
	assert_line --index 0 "$VS_USER"
	assert_line --index 1 "$U_HOME $VS_USER $VS_USER"
	assert_line --index 2 "$U_HOME"
	assert_equal "$(stat -c %U "$P/by-user")" "$VS_USER"
	# by number, as nspawn takes it, and root
	run vs -q --bind-user="$VS_USER" --user=60514 -- id -un
	assert_output "$VS_USER"
	run vs -q --user=root -- id -u
	assert_output 0
	assert_host_unchanged
}

@test "--user without a command runs the user's login shell" {
	run vs -q --bind-user="$VS_USER" --user="$VS_USER" -- sh -c 'echo $SHELL'
	assert_output "$(getent passwd "$VS_USER" | cut -d: -f7)"
	VS_USER=$VS_USER run as_user "$VS" -q --bind-user="$VS_USER" --user="$VS_USER" <<< 'echo "$0 $(id -un)"'
	assert_success
	assert_output "-$(basename "$(getent passwd "$VS_USER" | cut -d: -f7)") $VS_USER"
}

@test "--user naming a user the container does not know, or a directory they cannot enter: one line, nothing left" {
	run --separate-stderr vs --user=nosuchuser -- true
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --user=nosuchuser: the container knows no such user (it has the bound users and the tree's /etc/passwd); to run as yourself give --bind-user=\$USER --user=\$USER, or --here"
	run --separate-stderr vs --bind-user="$VS_USER" --user="$VS_USER" --chdir=/root -- true
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --chdir=/root: Permission denied for user $VS_USER inside the container; give a directory they may enter"
	run --separate-stderr vs --user='bad:name' -- true
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --user=bad:name: expected a user name or a number"
	run --separate-stderr vs -b --user=root
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --user=root runs a command as that user; a booted system logs users in itself: give --autologin=root"
	assert_host_unchanged
}

@test "--here is refused in /, with --boot, and as root" {
	run --separate-stderr vs_in / --here -- true
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --here binds the directory you are in, and / is the whole host: cd into your checkout first"
	run --separate-stderr vs_in "$P" --here -b
	assert_equal "$status" 1
	assert_equal "$stderr" "volspawn: --here runs a command in your directory; to boot with it, give --bind-user=\$USER --bind=\$PWD"
	if is_root; then
		run --separate-stderr bash -c "cd '$P' && '$VS' --here -- true"
		assert_equal "$status" 1
		assert_equal "$stderr" "volspawn: --here runs the command as you, and root cannot be bound into a container; as root give --bind=\$PWD --chdir=\$PWD"
	fi
	assert_host_unchanged
}

@test "the README's dev-loop lines run verbatim" {
	printf 'test:\n\techo tested > result\n' > "$P/Makefile"
	chown "$VS_USER" "$P/Makefile"
	local lines n=0 line
	lines=$(sed -n '/^<!-- dev-loop -->$/,/^<!-- end -->$/p' "$VOLSPAWN_REPO/README.md" | grep '^    volspawn ')
	[ -n "$lines" ]
	while IFS= read -r line; do
		line=${line#    }
		line=${line%%#*}
		run vs_in "$P" ${line#volspawn } < /dev/null
		assert_success
		n=$((n + 1))
	done <<< "$lines"
	[ "$n" -ge 2 ]
	assert_equal "$(cat "$P/result")" tested
	assert_equal "$(stat -c %U "$P/result")" "$VS_USER"
	assert_host_unchanged
}
