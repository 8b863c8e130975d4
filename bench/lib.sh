# bench/lib.sh — shared by the benchmarks: the temporary unprivileged user
# with its own subuid/subgid range, clean-up of only what we made, and
# percentiles. Expects die(), TMP_USER and IDS from the sourcing script.

# --- clean-up: only what this script created -------------------------------
tmpdir='' made_user='' subid_line=''
cleanup() {
	set +e
	if [[ -n $subid_line ]]; then
		local f
		for f in /etc/subuid /etc/subgid; do
			grep -vxF -- "$subid_line" "$f" >"$tmpdir/subid"
			(($? <= 1)) && cat "$tmpdir/subid" >"$f"
		done
	fi
	[[ -n $made_user ]] && userdel "$made_user"
	[[ -n $tmpdir ]] && rm -rf -- "$tmpdir"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the unprivileged user --------------------------------------------------
has_subids() { # user uid
	grep -Eq "^($1|$2):[0-9]+:[0-9]+$" /etc/subuid 2>/dev/null &&
		grep -Eq "^($1|$2):[0-9]+:[0-9]+$" /etc/subgid 2>/dev/null
}

# Sets USER_NAME and AS_USER (the command prefix that runs a tool as that user).
setup_user() {
	if ((EUID != 0)); then
		USER_NAME=$(id -un)
		has_subids "$USER_NAME" "$EUID" || die "$USER_NAME has no range in /etc/subuid and /etc/subgid"
		AS_USER=()
		return
	fi
	if [[ -n ${BENCH_USER:-} ]]; then
		USER_NAME=$BENCH_USER
		id -u "$USER_NAME" >/dev/null 2>&1 || die "BENCH_USER=$USER_NAME does not exist"
		has_subids "$USER_NAME" "$(id -u "$USER_NAME")" || die "$USER_NAME has no range in /etc/subuid and /etc/subgid"
	else
		USER_NAME=$TMP_USER
		! id -u "$USER_NAME" >/dev/null 2>&1 || die "user $USER_NAME already exists; remove it or set BENCH_USER"
		local f start
		for f in /etc/subuid /etc/subgid; do
			[[ -e $f ]] || die "$f does not exist"
			[[ ! -s $f || -z $(tail -c1 "$f") ]] || die "$f does not end in a newline"
		done
		# A free range: after the end of every range in either file.
		start=$(awk -F: 'NF == 3 && $1 !~ /^#/ && $2 + $3 > m { m = $2 + $3 } END { print m }' \
			m=100000 /etc/subuid /etc/subgid)
		# SUB_*_COUNT=0: no automatic range from useradd; this script adds its own.
		useradd -M -s /usr/sbin/nologin -c "volspawn benchmark (temporary)" \
			-K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$USER_NAME"
		made_user=$USER_NAME
		subid_line=$USER_NAME:$start:$IDS
		printf '%s\n' "$subid_line" | tee -a /etc/subuid >>/etc/subgid
	fi
	AS_USER=(setpriv --reuid="$(id -u "$USER_NAME")" --regid="$(id -g "$USER_NAME")" --init-groups --reset-env)
}

# percentile P US...: linear interpolation between closest ranks, printed in ms.
percentile() {
	local p=$1
	shift
	printf '%s\n' "$@" | sort -n | awk -v p="$p" '
		{ x[NR] = $1 }
		END { h = (NR - 1) * p / 100; i = int(h) + 1; j = i < NR ? i + 1 : i
		      printf "%.2f", (x[i] + (h - int(h)) * (x[j] - x[i])) / 1000 }'
}

