#!/usr/bin/env bats
# volspawnctl: the user's running twins, listed, entered and stopped from a
# second terminal, as an ordinary user. Booted twins run in the background
# (their console in a file); the shells and logins on a terminal are driven
# through a pty (bats/console.tcl). A boot costs seconds: the first tests
# share one, booted by setup_file and powered off by the last of them.

load common

setup_file() {
	console_env
	snapshot_host
	export FILE_HOST_MOUNTS=$HOST_MOUNTS FILE_HOST_TMP=$HOST_TMP
	boot_twin ctlbox
}

setup() {
	snapshot_host
}

# One failed test must not leave a twin running into the next; the shared
# one runs on while its tests pass.
teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || kill_leftovers
}

teardown_file() {
	kill_leftovers
}

twin_listed() { # name
	vsctl list --no-legend | grep -q "^$1 "
}

leader_changed() { # name old-leader
	local now
	now=$(twin_leader "$1")
	[ -n "$now" ] && [ "$now" != "$2" ] && [ "$now" != - ]
}

boot_twin() { # name [volspawn args]
	local name=$1
	shift
	start_twin "$name" -b --bind-user="$VS_USER" --set-credential=passwd.hashed-password.root:"$VS_ROOT_HASH" "$@"
}

# No session on a pty, no sleep of a shell left: what the pty tests leave.
nothing_on_a_pty() { # name
	! vsctl shell "$1" -- sh -c 'loginctl list-sessions --no-legend | grep pts/; pgrep -x sleep' | grep -q .
}

# What systemd's SIGUSR2 makes it log: its state.
dumped() { # name
	vsctl shell "$1" -- journalctl -b _PID=1 -o cat --no-pager | grep -q '^Manager: systemd'
}

@test "ctl: a booted twin: listed; commands run as root and as the bound user, exit status and pipes passed on, a session of logind's" {
	# one still starting is waited for: listed (its name taken) is enough
	eventually twin_listed ctlbox
	run vsctl shell ctlbox -- id -u
	assert_success
	assert_output 0
	run vsctl list
	assert_success
	assert_line --index 0 --regexp '^MACHINE +LEADER +MODE +SINCE +TREE$'
	assert_line --index 1 --regexp '^ctlbox +[0-9]+ +boot +.+ /$'
	assert_line "1 twin listed."
	run vsctl list -o json
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[0] | [.machine, .class, .service, .mode, .tree, (.leader | type), (.since | type)] | join(" ")')" \
		"ctlbox container volspawn boot / number number"
	run vsctl shell ctlbox -- sh -c 'echo out; echo err >&2; exit 7'
	assert_equal "$status" 7
	assert_line out
	assert_line err
	run vsctl shell ctlbox -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	# pipes both ways, the output unchanged (no pty's \r)
	echo 'piped in' | as_user "$VSCTL" shell "$VS_USER@ctlbox" -- sh -c 'cat; id -un; pwd; echo "$XDG_RUNTIME_DIR"; systemctl --user is-system-running --wait; loginctl list-sessions --no-legend' \
		| tee "$BATS_TEST_TMPDIR/log" > /dev/null
	run cat "$BATS_TEST_TMPDIR/log"
	assert_line --index 0 'piped in'
	assert_line --index 1 "$VS_USER"
	assert_line --index 2 "$(getent passwd "$VS_USER" | cut -d: -f6)"
	assert_line --index 3 /run/user/60514
	assert_line --index 4 --regexp '^(running|degraded)$'
	assert_line --regexp "^ *[0-9]+ +60514 +$VS_USER"
	refute_output --partial $'\r'
	# arguments reach the command as given: systemd expands no $VAR
	run vsctl shell ctlbox -- echo '$HOME' '${PATH}' '$$'
	assert_output '$HOME ${PATH} $$'
	run -127 vsctl shell ctlbox -- no-such-command
	assert_output --partial "no-such-command: not found"
	run vsctl shell no-such-user@ctlbox -- true
	assert_failure 1
	assert_output "volspawnctl: ctlbox has no user no-such-user (systemd's status 217/USER)"
}

@test "ctl: a booted twin from a second terminal: the user's shell on a pty, in a session loginctl lists, with its exit status; output piped, the terminal as input; a root shell, ^] three times leaves; a root login on a new pty" {
	eventually twin_running ctlbox
	console <<-'EOF'
	ctl shell $env(VS_USER)@ctlbox
	want {connected to ctlbox; press \^\] three times within 1s to leave} "the banner"
	want {[$] $} "the user's shell"
	sh {id -un; tty; t=$(tty | cut -d/ -f3-); loginctl --no-pager list-sessions --no-legend | awk -v t="$t" '$NF == t' | wc -l; echo $XDG_RUNTIME_DIR}
	send "exit 3\r"
	puts "\nSHELL EXIT: [ended]"
	user_spawn sh -c {{ "$0" shell "$1" -- sh -c 'read x; echo "got $x"; exit 6'; echo "piped exit $?" >&2; } | tr a-z A-Z} $env(VSCTL) $env(VS_USER)@ctlbox
	sleep 1
	send "hello\r"
	want {GOT HELLO} "the command's output, through the pipe"
	want {piped exit 6} "its exit status"
	ended
	ctl shell ctlbox
	want {# $} "root's shell"
	send "sleep 600\r"
	sleep 0.5
	send "\x1d\x1d\x1d"
	puts "\nLEFT SHELL EXIT: [ended]"
	ctl login ctlbox
	login root mysecret
	sh {id -un; tty}
	send "\x1d\x1d\x1d"
	puts "\nLOGIN EXIT: [ended]"
	exit 0
	EOF
	assert_line --partial "SHELL EXIT: 3"
	assert_line --partial "LEFT SHELL EXIT: 129"
	assert_line --partial "LOGIN EXIT: 0"
	run between_markers
	assert_line --index 0 "$VS_USER"
	assert_line --index 1 --regexp '^/dev/pts/[0-9]+$'
	assert_line --index 2 1
	assert_line --index 3 /run/user/60514
	assert_line --index 4 root
	assert_line --index 5 --regexp '^/dev/pts/[0-9]+$'
	# nothing of the shells and logins is left in it
	eventually nothing_on_a_pty ctlbox
}

@test "ctl: a booted twin: kill signals its init; reboot from outside boots it afresh" {
	eventually twin_running ctlbox
	run dumped ctlbox
	assert_failure
	run vsctl kill ctlbox --kill-whom=leader --signal=SIGUSR2
	assert_success
	eventually dumped ctlbox
	run vsctl shell ctlbox -- touch /etc/was-here
	assert_success
	local before
	before=$(twin_leader ctlbox)
	run vsctl reboot ctlbox
	assert_success
	eventually leader_changed ctlbox "$before"
	run vsctl shell ctlbox -- ls /etc/was-here
	assert_equal "$status" 2
}

@test "ctl: a booted twin: poweroff from outside waits until it is gone; volspawn exits 0, nothing is left" {
	eventually twin_running ctlbox
	run vsctl poweroff ctlbox
	assert_success
	assert_output ""
	run vsctl list --no-legend
	assert_output ""
	wait_twin ctlbox
	assert_equal "$TWIN_STATUS" 0
	HOST_MOUNTS=$FILE_HOST_MOUNTS HOST_TMP=$FILE_HOST_TMP assert_all_gone
}

@test "ctl: the bound user powers the twin off and reboots it from its console, without a password" {
	console <<-'EOF'
	boot -M ctlown --bind-user=$env(VS_USER) --autologin=$env(VS_USER)
	want {[$] $} "the user's shell"
	send "systemctl reboot\r"
	want {Rebooting} "the reboot"
	want {[$] $} "the user's shell, again"
	send "systemctl poweroff\r"
	finish
	EOF
	assert_exit 0
	refute_output --partial "AUTHENTICATING"
	refute_output --partial "Access denied"
	assert_all_gone
}

@test "ctl: a booted twin still starting is waited for; terminate kills it now" {
	boot_twin ctlterm
	eventually twin_listed ctlterm
	run vsctl shell ctlterm -- systemctl is-system-running --wait
	assert_line --regexp '^(running|degraded)$'
	run vsctl terminate ctlterm
	assert_success
	run vsctl list --no-legend
	assert_output ""
	wait_twin ctlterm
	assert_equal "$TWIN_STATUS" 1
	assert_all_gone
}

@test "ctl: a command twin: listed; shell runs in it with its exit status and pipes; kill passes a signal; poweroff stops the command; terminate kills it" {
	start_twin ctlcmd -q -- sh -c 'trap "echo got USR1; exit 5" USR1; while :; do sleep 0.1; done'
	eventually twin_running ctlcmd
	run vsctl list --no-legend
	assert_output --regexp '^ctlcmd +[0-9]+ +command +.+ /$'
	run vsctl shell ctlcmd -- sh -c 'id -u; cat /proc/1/cmdline | tr "\0" " "; echo; exit 9'
	assert_equal "$status" 9
	assert_line --index 0 0
	assert_line --index 1 --partial "-M ctlcmd"
	echo through | as_user "$VSCTL" shell ctlcmd -- tr a-z A-Z > "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" THROUGH
	run vsctl kill ctlcmd --kill-whom=leader --signal=USR1
	assert_success
	wait_twin ctlcmd
	assert_equal "$TWIN_STATUS" 5
	assert_equal "$(twin_output ctlcmd)" "got USR1"
	start_twin ctlcmd -- sleep 600
	eventually twin_running ctlcmd
	run vsctl poweroff ctlcmd
	assert_success
	wait_twin ctlcmd
	assert_equal "$TWIN_STATUS" 143
	start_twin ctlcmd -- sleep 600
	eventually twin_running ctlcmd
	run vsctl reboot ctlcmd
	assert_failure 1
	assert_output "volspawnctl: ctlcmd runs a command, not a booted system: it cannot reboot; stop it with volspawnctl poweroff ctlcmd"
	run vsctl terminate ctlcmd
	assert_success
	wait_twin ctlcmd
	assert_equal "$TWIN_STATUS" 137
	assert_all_gone
}

@test "ctl: a command twin on a terminal: a shell on a pty of its own, its exit status; login is refused" {
	start_twin ctlcpty -- sleep 600
	eventually twin_running ctlcpty
	console <<-'EOF'
	ctl shell ctlcpty
	want {# $} "root's shell"
	sh {id -u; tty; readlink /proc/1/exe}
	send "exit 4\r"
	puts "\nSHELL EXIT: [ended]"
	ctl login ctlcpty
	want {has no login prompt} "the refusal"
	puts "\nLOGIN EXIT: [ended]"
	exit 0
	EOF
	assert_line --partial "SHELL EXIT: 4"
	assert_line --partial "volspawnctl: ctlcpty runs a command, not a booted system: it has no login prompt; use volspawnctl shell ctlcpty"
	assert_line --partial "LOGIN EXIT: 1"
	run between_markers
	assert_line --index 0 0
	assert_line --index 1 --regexp '^/dev/pts/[0-9]+$'
	run vsctl terminate ctlcpty
	assert_success
	wait_twin ctlcpty
	assert_equal "$TWIN_STATUS" 137
	assert_all_gone
}

@test "ctl: a name clash is refused in one line, nothing started; a default name gets a suffix" {
	start_twin clash -- sleep 600
	eventually twin_running clash
	run vs -M clash -- true
	assert_failure 1
	assert_output --regexp "^volspawn: a twin named clash is running already \(volspawn's PID [0-9]+\); name this one with --machine=NAME, or stop that one with: volspawnctl poweroff clash$"
	local host
	host=$(vs -q -- cat /proc/sys/kernel/hostname)   # the default name
	start_twin "$host" -- sleep 600
	eventually twin_running "$host"
	run vs -- cat /proc/sys/kernel/hostname
	assert_success
	assert_output "$host-2"
	vsctl terminate clash
	vsctl terminate "$host"
	wait_twin clash
	wait_twin "$host"
	assert_all_gone
}

@test "ctl: SIGKILL of volspawn leaves no entry; an entry whose keeper died too is dropped as stale" {
	start_twin ctlkill -- sleep 600
	eventually twin_running ctlkill
	local dir
	dir=$(registry_dir)
	[ -f "$dir/ctlkill" ]
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn
	eventually sh -c '! [ -e "$1" ]' sh "$dir"
	assert_all_gone
	start_twin ctlkill -- sleep 600
	eventually twin_running ctlkill
	# the keeper first, then the front: nothing is left to remove the entry
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn-clean
	pkill -KILL -u "$(id -u "$VS_USER")" -x volspawn
	eventually no_subrange_process
	[ -f "$dir/ctlkill" ]
	run vsctl list
	assert_success
	assert_output "No twins."
	! [ -e "$dir" ]
	run vsctl shell ctlkill -- true
	assert_failure 1
	assert_output "volspawnctl: no twin named ctlkill is running, nor any other of yours; start one with: volspawn -b -M ctlkill"
	assert_all_gone
}

@test "ctl: another user can neither list, enter, signal nor stop someone's twin" {
	needs_root "a second user"
	local other=$VS_USER_NOSUB
	start_twin ctlmine -- sleep 600
	eventually twin_running ctlmine
	local leader
	leader=$(twin_leader ctlmine)
	run runuser -u "$other" -- "$VSCTL" list
	assert_output "No twins."
	for verb in "shell ctlmine -- true" "login ctlmine" "poweroff ctlmine" "terminate ctlmine" "kill ctlmine"; do
		run runuser -u "$other" -- "$VSCTL" $verb
		assert_failure 1
	done
	run runuser -u "$other" -- "$VSCTL" poweroff ctlmine
	assert_output "volspawnctl: no twin named ctlmine is running, nor any other of yours; start one with: volspawn -b -M ctlmine"
	# nor through the owner's registry, nor around volspawnctl: the kernel refuses
	run runuser -u "$other" -- env XDG_RUNTIME_DIR="$(dirname "$(registry_dir)")" "$VSCTL" list
	assert_output "No twins."
	run runuser -u "$other" -- ls "$(registry_dir)"
	assert_failure
	run runuser -u "$other" -- nsenter -t "$leader" -U -m -- true
	assert_failure
	run runuser -u "$other" -- kill -TERM "$leader"
	assert_failure
	twin_running ctlmine
	vsctl terminate ctlmine
	wait_twin ctlmine
	assert_equal "$TWIN_STATUS" 137
	assert_all_gone
}

@test "ctl: catalogue: volspawnctl's bad input is one line, exit 1, nothing left" {
	run vsctl shell nosuch -- true
	assert_failure 1
	assert_output "volspawnctl: no twin named nosuch is running, nor any other of yours; start one with: volspawn -b -M nosuch"
	start_twin ctlone -- sleep 600
	eventually twin_running ctlone
	run vsctl poweroff nosuch
	assert_failure 1
	assert_output "volspawnctl: no twin named nosuch is running; yours are: ctlone"
	run vsctl frobnicate ctlone
	assert_failure 1
	assert_output "volspawnctl: unknown command frobnicate; see volspawnctl --help"
	run vsctl shell
	assert_failure 1
	assert_output "volspawnctl: shell needs the name of a twin; volspawnctl list shows yours"
	run vsctl shell 'bad/name' -- true
	assert_failure 1
	assert_output "volspawnctl: bad/name: expected the name of a twin (letters, digits, '-', '.'); volspawnctl list shows yours"
	run vsctl kill ctlone --signal=NOPE
	assert_failure 1
	assert_output "volspawnctl: --signal=NOPE: expected a signal's name or number, such as TERM, SIGKILL, 9 or RTMIN+4"
	run vsctl kill ctlone --kill-whom=some
	assert_failure 1
	assert_output "volspawnctl: --kill-whom=some: expected all or leader"
	run vsctl list -o yaml
	assert_failure 1
	assert_output "volspawnctl: --output=yaml: expected table, json or json-pretty"
	run vsctl list --frob
	assert_failure 1
	assert_output "volspawnctl: unknown option --frob; see volspawnctl --help"
	run vsctl poweroff ctlone extra
	assert_failure 1
	assert_output "volspawnctl: unexpected argument 'extra'; see volspawnctl --help"
	run vsctl login ctlone
	assert_failure 1
	assert_output "volspawnctl: login needs a terminal as stdin and stdout; for a command without one use: volspawnctl shell ctlone COMMAND"
	twin_running ctlone
	vsctl terminate ctlone
	wait_twin ctlone
	assert_all_gone
}

@test "ctl: catalogue: a registry directory that is not the user's alone is refused, nothing started" {
	local dir
	dir=$(registry_dir)
	as_user mkdir -m 0755 "$dir"
	run vs -- true
	rmdir "$dir"
	assert_failure 1
	assert_output "volspawn: $dir is not a private directory of yours, so volspawn cannot keep track of its twins there; remove it, or set XDG_RUNTIME_DIR to a directory of yours"
	assert_all_gone
}
