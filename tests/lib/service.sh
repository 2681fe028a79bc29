# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Run the command lines of a bpfwall.service unit file as systemd would,
# without systemd (which is not PID 1 on the build machines): used by
# tests/e2e/service.sh (the unit `make install` puts in a DESTDIR) and
# tests/e2e/package.sh (the unit the Debian package installs).  Source it
# after bwtest.sh, set SVC_NS (a network namespace the test made) and
# SVC_PIN (a private bpffs), then call svc_load_unit.
#
# Every command runs in $SVC_NS, never in the host's network namespace,
# in the private mount namespace `ip netns exec` makes, with
# BPFWALL_PIN_DIR=$SVC_PIN and BPFWALL_AUDIT=off (the audit hook would
# attach to the root cgroup), under the unit's CapabilityBoundingSet= and
# NoNewPrivileges= (setpriv), and under strace where it is installed, so
# that svc_check_sandbox can compare every system call and socket family
# the commands used with the unit's SystemCallFilter= and
# RestrictAddressFamilies=.

SVC_NS=${SVC_NS:-}
SVC_PIN=${SVC_PIN:-}
SVC_UNIT=
SVC_ROOT=
SVC_START=
SVC_RELOAD=()
SVC_STOP=()
SVC_BIN=
SVC_CONF=
SVC_PID=
SVC_N=0
SVC_TRACES=()
SVC_NOTIFY=
SVC_NOTIFY_PID=

# svc_key KEY: every value of KEY in the [Service] section, one a line.
svc_key()
{
	awk -v k="$1" '
		/^\[/ { sec = $0; next }
		sec == "[Service]" && index($0, k "=") == 1 { print substr($0, length(k) + 2) }
	' "$SVC_UNIT"
}

# svc_map LINE: the command line with systemd's prefixes (-@:+!) removed
# and every absolute path looked up under $SVC_ROOT.
svc_map()
{
	local line=$1 w out=""
	line=${line#[-@:+!]}
	line=${line#[-@:+!]}
	for w in $line; do
		case $w in
		/*) w=$SVC_ROOT$w ;;
		esac
		out="$out${out:+ }$w"
	done
	printf '%s\n' "$out"
}

# svc_load_unit UNIT [ROOT]: read UNIT; ROOT is the DESTDIR it was
# installed in (paths in its command lines are under it), "" for /.
svc_load_unit()
{
	local l
	SVC_UNIT=$1
	SVC_ROOT=${2:-}
	[ -f "$SVC_UNIT" ] || t_fatal "no unit file $SVC_UNIT"
	[ "$(svc_key ExecStart | wc -l)" -eq 1 ] || t_fatal "$SVC_UNIT: not one ExecStart="
	SVC_START=$(svc_map "$(svc_key ExecStart)")
	SVC_RELOAD=()
	while read -r l; do
		SVC_RELOAD+=("$(svc_map "$l")")
	done < <(svc_key ExecReload)
	SVC_STOP=()
	while read -r l; do
		SVC_STOP+=("$(svc_map "$l")")
	done < <(svc_key ExecStop)
	set -- $SVC_START
	SVC_BIN=$1
	SVC_CONF=""
	while [ $# -gt 1 ]; do
		[ "$1" = -f ] && SVC_CONF=$2
		shift
	done
	[ -x "$SVC_BIN" ] || t_fatal "ExecStart names $SVC_BIN, which is not installed"
	[ -n "$SVC_CONF" ] || t_fatal "ExecStart has no -f FILE: $SVC_START"
}

# svc_has_watch: the installed bpfwall has the command `watch` that
# ExecStart runs.
svc_has_watch()
{
	"$SVC_BIN" --help 2>/dev/null | grep -qE '^  bpfwall \[OPTIONS\] .*(^| )watch( |$)'
}

# svc_bounding: CapabilityBoundingSet= as setpriv's --bounding-set.
svc_bounding()
{
	local caps c out="-all"
	caps=$(svc_key CapabilityBoundingSet | tr '\n' ' ')
	if [ -z "$caps" ]; then
		echo "+all"
		return
	fi
	for c in $caps; do
		c=${c#CAP_}
		out="$out,+$(printf '%s' "$c" | tr 'A-Z' 'a-z')"
	done
	echo "$out"
}

# svc_prefix: sets SVC_WORDS, the words that run a command as the unit
# would, up to the command itself (strace last, with a new trace file).
svc_prefix()
{
	local nnp=()
	case $(svc_key NoNewPrivileges | tail -n 1) in
	yes | true | 1 | on) nnp=(--no-new-privs) ;;
	esac
	SVC_WORDS=(ip netns exec "$SVC_NS" env BPFWALL_PIN_DIR="$SVC_PIN" BPFWALL_AUDIT=off
		${SVC_NOTIFY:+NOTIFY_SOCKET="$SVC_NOTIFY"}
		setpriv "${nnp[@]}" --bounding-set="$(svc_bounding)")
	if command -v strace >/dev/null 2>&1; then
		# named by the shell too: svc_exec may run in a $(...) subshell
		SVC_N=$((SVC_N + 1))
		SVC_WORDS+=(strace -f -qq -o "$T_DIR/svc-trace.$BASHPID.$SVC_N")
	fi
}

# svc_exec LINE: run one command line (bounded), as ExecReload= would.
svc_exec()
{
	svc_prefix
	# shellcheck disable=SC2086 # LINE: systemd splits it on blanks too
	timeout 60 "${SVC_WORDS[@]}" $1
}

# svc_reload: the ExecReload= lines in order, each only if the one before
# succeeded (as systemd runs them); their output goes to stdout/stderr
# (the journal); returns the status of the first that failed.
svc_reload()
{
	local l rc
	[ "${#SVC_RELOAD[@]}" -gt 0 ] || t_fatal "$SVC_UNIT has no ExecReload="
	for l in "${SVC_RELOAD[@]}"; do
		svc_exec "$l"
		rc=$?
		[ "$rc" -eq 0 ] || return "$rc"
	done
	return 0
}

# svc_start: ExecStart= in the background with a NOTIFY_SOCKET, as
# Type=notify: returns 0 once READY=1 came (within 30 s), 1 if the
# command exited or never said so.
svc_start()
{
	local i
	SVC_NOTIFY="$T_DIR/notify.sock"
	rm -f "$SVC_NOTIFY" "$T_DIR/notify.log"
	: >"$T_DIR/notify.log"
	timeout 200 socat -u "UNIX-RECV:$SVC_NOTIFY" "OPEN:$T_DIR/notify.log,append" 2>/dev/null &
	SVC_NOTIFY_PID=$!
	T_PIDS+=("$SVC_NOTIFY_PID")
	for i in $(seq 1 50); do
		[ -S "$SVC_NOTIFY" ] && break
		sleep 0.1
	done
	svc_prefix
	SVC_NOTIFY=""
	# shellcheck disable=SC2086
	timeout 200 "${SVC_WORDS[@]}" $SVC_START >"$T_DIR/start.out" 2>&1 &
	SVC_PID=$!
	T_PIDS+=("$SVC_PID")
	for i in $(seq 1 300); do
		grep -q '^READY=1$' "$T_DIR/notify.log" 2>/dev/null && return 0
		kill -0 "$SVC_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "ExecStart said: $(cat "$T_DIR/start.out")"
	return 1
}

# svc_leaf PID: the last process of the chain PID -> child -> ... (the
# command itself under timeout and strace).
svc_leaf()
{
	local p=$1 c
	while c=$(pgrep -P "$p" | head -n 1) && [ -n "$c" ]; do
		p=$c
	done
	echo "$p"
}

# svc_stop: what systemctl stop does to a unit without ExecStop=: SIGTERM
# to the main process; returns its exit status (124: it did not end
# within 20 s and was killed).
svc_stop()
{
	local leaf i rc
	[ -n "$SVC_PID" ] || return 1
	leaf=$(svc_leaf "$SVC_PID")
	kill -TERM "$leaf"
	for i in $(seq 1 200); do
		kill -0 "$SVC_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SVC_PID" 2>/dev/null; then
		kill -KILL "$leaf" "$SVC_PID" 2>/dev/null
		wait "$SVC_PID" 2>/dev/null
		SVC_PID=
		return 124
	fi
	wait "$SVC_PID"
	rc=$?
	SVC_PID=
	return "$rc"
}

# svc_syscall_set NAMES...: the system calls SystemCallFilter= NAMES
# allow, groups (@name) expanded through systemd-analyze.
svc_syscall_set()
{
	systemd-analyze syscall-filter 2>/dev/null | awk -v want="$*" '
		/^@/ { g = $1; next }
		/^[^ ]/ || /^$/ { g = ""; next }
		g != "" && $1 !~ /^#/ { m[g] = m[g] " " $1 }
		function expand(x,   k, a, j) {
			if (x in seen)
				return
			seen[x] = 1
			if (x ~ /^@/) {
				k = split(m[x], a, " ")
				for (j = 1; j <= k; j++)
					expand(a[j])
			} else {
				out[x] = 1
			}
		}
		END {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++)
				expand(w[i])
			for (s in out)
				print s
		}'
}

# svc_check_sandbox: every system call, socket family and memory mapping
# of the traced commands is one the unit's sandbox allows.
svc_check_sandbox()
{
	local calls allowed fams c bad="" f
	SVC_TRACES=("$T_DIR"/svc-trace.*)
	if [ ! -f "${SVC_TRACES[0]}" ]; then
		echo "skip: no strace here: the system calls were not compared with SystemCallFilter="
		return 0
	fi
	calls=$(cat "${SVC_TRACES[@]}" | sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' | sort -u)
	if [ -z "$calls" ]; then
		t_bad "the traces hold no system call: $(wc -c "${SVC_TRACES[@]}" | tr '\n' ' ')"
		head -n 3 "${SVC_TRACES[@]}"
		return
	fi
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		echo "skip: no systemd-analyze: the system calls were not compared with SystemCallFilter="
	else
		# shellcheck disable=SC2046
		allowed=$(svc_syscall_set $(svc_key SystemCallFilter | tr '\n' ' '))
		[ -n "$allowed" ] || { t_bad "SystemCallFilter= allows nothing"; return; }
		for c in $calls; do
			printf '%s\n' "$allowed" | grep -qx "$c" || bad="$bad $c"
		done
		[ -z "$bad" ] && t_ok "SystemCallFilter= allows the $(echo $calls | wc -w) system calls the commands made" ||
			t_bad "SystemCallFilter= refuses system calls the commands made:$bad"
	fi
	fams=$(cat "${SVC_TRACES[@]}" | grep -o 'socket(AF_[A-Z0-9]*' | sed 's/socket(//' | sort -u)
	bad=""
	for f in $fams; do
		svc_key RestrictAddressFamilies | tr ' ' '\n' | grep -qx "$f" || bad="$bad $f"
	done
	[ -z "$bad" ] && t_ok "RestrictAddressFamilies= allows the sockets opened ($(echo $fams))" ||
		t_bad "RestrictAddressFamilies= refuses sockets the commands opened:$bad"
	if svc_key RestrictNamespaces | grep -qx yes &&
		grep -Eq '^[0-9]+ +(setns|unshare)\(' "${SVC_TRACES[@]}"; then
		t_bad "RestrictNamespaces=yes, but the commands call setns or unshare"
	else
		t_ok "RestrictNamespaces=: the commands enter no namespace"
	fi
	if svc_key MemoryDenyWriteExecute | grep -qx yes &&
		grep -Eq '^[0-9]+ +(mmap|mprotect)\(.*PROT_WRITE\|PROT_EXEC' "${SVC_TRACES[@]}"; then
		t_bad "MemoryDenyWriteExecute=yes, but the commands map memory writable and executable"
	else
		t_ok "MemoryDenyWriteExecute=: no memory both writable and executable"
	fi
}

# svc_ruleset: `list ruleset` of the service's pin dir, counters blanked
# (they move with traffic), for comparisons.
svc_ruleset()
{
	local out rc
	out=$(timeout 30 ip netns exec "$SVC_NS" env BPFWALL_PIN_DIR="$SVC_PIN" "$SVC_BIN" list ruleset)
	rc=$?
	printf '%s\n' "$out" | sed 's/counter packets [0-9]* bytes [0-9]*/counter/'
	return "$rc"
}
