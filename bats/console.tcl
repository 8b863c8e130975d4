# Driving a booted container's console through a real pty, for boot.bats
# (and volspawnctl's shells and logins, for ctl.bats).
# The container runs as $VS_USER in the delegated cgroup $VS_CGROUP (when
# the suite runs as root); volspawn is $VS.

set timeout 60
log_user 1

proc fail {what} {
	puts "\nCONSOLE TEST FAILED: $what"
	exit 99
}

# Start volspawn -b with these extra arguments.
proc boot {args} {
	global env spawn_id
	set vs [list $env(VS) -b {*}$args]
	if {$env(VS_CGROUP) ne ""} {
		spawn sh -c {echo $$ > "$VS_CGROUP/cgroup.procs" && cd / && exec runuser -u "$VS_USER" -- "$@"} sh {*}$vs
	} else {
		spawn {*}$vs
	}
}

# Start a command as the test user; volspawnctl with these arguments.
proc user_spawn {args} {
	global env spawn_id
	if {[exec id -un] eq $env(VS_USER)} {
		spawn {*}$args
	} else {
		spawn runuser -u $env(VS_USER) -- {*}$args
	}
}

proc ctl {args} {
	global env
	uplevel 1 [list user_spawn $env(VSCTL) {*}$args]
}

# Wait for the spawned process to end; returns its exit status.
proc ended {} {
	expect {
		eof {}
		timeout { fail "it did not end" }
	}
	lassign [wait] pid spawnid os_error status
	return $status
}

proc want {pattern what} {
	expect {
		-re $pattern { return $expect_out(0,string) }
		timeout { fail "timeout waiting for $what" }
		eof { fail "volspawn ended waiting for $what" }
	}
}

proc login {user password} {
	want {login: $} "login:"
	send "$user\r"
	if {$password ne ""} {
		want {Password: $} "Password:"
		send "$password\r"
	}
	want {[#$] $} "a shell prompt"
}

# volspawn's front process: the spawned one, or runuser's child.
proc front_pid {} {
	set pid [exp_pid]
	if {[string trim [exec cat /proc/$pid/comm]] eq "volspawn"} { return $pid }
	return [lindex [exec pgrep -P $pid -x volspawn] 0]
}

# Answer volspawn's own --root-password=ask / --bind-user-password=ask.
proc answer_password {who password} {
	want "Password for $who in the container: " "$who's password prompt"
	send "$password\r"
	want {Retype to confirm: } "the confirmation"
	send "$password\r"
}

# Run a shell command; its output is printed between markers for the test
# to check.
proc sh {cmd} {
	send "echo ==BEGIN==; $cmd; echo ==END==\r"
	want {==END==\r?\n.*[#$] $} "the end of: $cmd"
}

# Wait for volspawn to end and exit with its status.
proc finish {} {
	expect {
		eof {}
		timeout { fail "volspawn did not end" }
	}
	lassign [wait] pid spawnid os_error status
	puts "\nVOLSPAWN EXIT: $status"
	exit 0
}
