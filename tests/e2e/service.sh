#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall.service as `make install` puts it (in a DESTDIR), its command
# lines run as systemd would run them (tests/lib/service.sh) in namespace
# b, on the default bpfwall.conf, with traffic from namespace a:
#
#   start    ExecStart (bpfwall -f CONF watch) says READY=1 once loaded;
#            an SSH session open before the first load goes on, new SSH
#            connections pass, other ports do not; ping, ARP and IPv6
#            neighbour discovery pass; the blocklist drops, but not SSH;
#            a link that appears later is filtered as the others
#   reload   the ExecReload lines: the file with a port opened as its
#            comments say replaces the ruleset and the SSH session goes
#            on; a session on that port survives the reload that closes
#            it again; a bad file fails the reload with file:line on
#            stderr (the journal) and changes nothing
#   restart  the ruleset stays in force from stop to start
#   stop     SIGTERM (the unit has no ExecStop=): the ruleset stays;
#            `bpfwall flush ruleset` removes it
#   sandbox  every command ran under the unit's capability bounding set
#            and no_new_privs; the system calls and sockets they used
#            (strace), also a load with the audit hook on a cgroup, are
#            ones the unit's filters allow
#
T_NAME=service
T_TIMEOUT=${T_TIMEOUT:-150}
. "$(dirname "$0")/../lib/bwtest.sh"
. "$(dirname "$0")/../lib/service.sh"
t_require_root
command -v setpriv >/dev/null 2>&1 || t_skip "needs setpriv (util-linux)"
trap '' PIPE	# a session whose peer is gone: the write fails, no signal
t_setup_pair

ROOT=$T_DIR/root
make -s -C "$T_BUILDDIR" install DESTDIR="$ROOT" >"$T_DIR/install.log" 2>&1 ||
	t_fatal "make install DESTDIR=$ROOT: $(tail -n 5 "$T_DIR/install.log")"
unit=$(find "$ROOT" -path '*/systemd/system/bpfwall.service')
[ -n "$unit" ] || t_fatal "make install put no bpfwall.service in $ROOT"
SVC_NS=$NS_B
SVC_PIN=$PIN_B
svc_load_unit "$unit" "$ROOT"
cp "$SVC_CONF" "$T_DIR/default.conf"

# echo_server PORT [ADDR]: in b, on ADDR (default $IP_B); greets
# "bw-hello PORT", then echoes each line.
echo_server()
{
	local i addr=${2:-$IP_B}
	timeout 140 ip netns exec "$NS_B" socat "TCP4-LISTEN:$1,bind=$addr,fork,reuseaddr" \
		"SYSTEM:echo bw-hello $1; exec cat" >/dev/null 2>&1 &
	T_PIDS+=($!)
	for i in $(seq 1 50); do
		in_b ss -Hltn 2>/dev/null | grep -qF " $addr:$1 " && return 0
		sleep 0.1
	done
	t_fatal "echo server on $addr port $1 did not start"
}

# connects SRC PORT [DST]: a new connection from a to DST (default
# $IP_B) gets the greeting.
connects()
{
	local out
	out=$(echo bye | timeout 8 ip netns exec "$NS_A" socat -t 3 -T 5 - \
		"TCP4:${3:-$IP_B}:$2,bind=$1,connect-timeout=1" 2>/dev/null)
	[ "${out%%$'\n'*}" = "bw-hello $2" ]
}

# session_open NAME PORT: a connection from a that stays open (to the
# end of the test); true once its greeting came.
declare -A S_W S_R
session_open()
{
	local in="$T_DIR/$1.in" out="$T_DIR/$1.out" w r line
	mkfifo "$in" "$out"
	timeout 140 ip netns exec "$NS_A" socat -T 130 - \
		"TCP4:$IP_B:$2,bind=$IP_A,connect-timeout=2" <"$in" >"$out" 2>/dev/null &
	T_PIDS+=($!)
	exec {w}>"$in" {r}<"$out"
	S_W[$1]=$w
	S_R[$1]=$r
	read -r -t 5 line <&"$r" && [ "$line" = "bw-hello $2" ]
}

# session_echo NAME WORD: WORD goes over the session and comes back.
session_echo()
{
	local line
	echo "$2" 1>&"${S_W[$1]}" 2>/dev/null || return 1
	read -r -t 4 line <&"${S_R[$1]}" && [ "$line" = "$2" ]
}

echo_server 22
echo_server 8080
t_check "before the firewall: an SSH session opens" session_open ssh 22
t_check "before the firewall: port 8080 answers" connects "$IP_A" 8080

# --- start ---
svc_has_watch || t_bad "bpfwall --help shows no command watch, which ExecStart runs"
t_check "ExecStart loads and says READY=1: $SVC_START" svc_start
svc_ruleset | grep -q '^table inet filter {' && t_ok "list ruleset shows table inet filter" ||
	t_bad "list ruleset: $(svc_ruleset 2>&1 | head -n 5)"
t_check "the SSH session open before the load goes on" session_echo ssh after-load
t_check "a new SSH connection passes" connects "$IP_A" 22
t_check_not "port 8080 does not answer" connects "$IP_A" 8080
t_check "ping passes" ping_from "$NS_A" "$IP_A" "$IP_B"
in_a ip neigh del "$IP_B" dev "$VETH_A"
in_b ip neigh del "$IP_A" dev "$VETH_B"
t_check "ping passes with ARP (no static neighbours)" ping_from "$NS_A" "$IP_A" "$IP_B"
in_a ip neigh del "$IP6_B" dev "$VETH_A"
in_b ip neigh del "$IP6_A" dev "$VETH_B"
t_check "ping6 passes with neighbour discovery (no static neighbours)" \
	ping_from "$NS_A" "$IP6_A" "$IP6_B"
out=$(timeout 30 ip netns exec "$NS_B" env BPFWALL_PIN_DIR="$PIN_B" "$SVC_BIN" \
	add element inet filter blocklist '{ 192.0.2.66 }' 2>&1) || t_bad "add element: $out"
t_check_not "blocklisted $IP_A2: ping dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "blocklisted $IP_A2: SSH still passes (it comes first)" connects "$IP_A2" 22
out=$(timeout 30 ip netns exec "$NS_B" env BPFWALL_PIN_DIR="$PIN_B" "$SVC_BIN" \
	delete element inet filter blocklist '{ 192.0.2.66 }' 2>&1) || t_bad "delete element: $out"
t_check "out of the blocklist: ping from $IP_A2 passes" ping_from "$NS_A" "$IP_A2" "$IP_B"

# A link that appears while the service runs is filtered as the others:
# the input chain (at the netfilter hooks, or at XDP where the watcher
# attaches it) covers it.
IP_A9=203.0.113.1 IP_B9=203.0.113.2
ip link add bwta9 netns "$NS_A" type veth peer name bwtb9 netns "$NS_B" ||
	t_fatal "ip link add bwta9/bwtb9"
in_a ip addr add "$IP_A9/24" dev bwta9
in_b ip addr add "$IP_B9/24" dev bwtb9
in_a ip link set bwta9 up
in_b ip link set bwtb9 up
echo_server 22 "$IP_B9"
echo_server 8080 "$IP_B9"
sleep 1	# the watcher's settle time
t_check "a link added later: SSH passes" connects "$IP_A9" 22 "$IP_B9"
t_check_not "a link added later: port 8080 does not answer" connects "$IP_A9" 8080 "$IP_B9"
t_check "a link added later: ping passes" ping_from "$NS_A" "$IP_A9" "$IP_B9"

# --- reload ---
line22=$(grep -n 'tcp dport 22 accept' "$T_DIR/default.conf" | head -n 1 | cut -d: -f1)
[ -n "$line22" ] || t_fatal "the default bpfwall.conf has no rule 'tcp dport 22 accept'"
sed "${line22}a\\		tcp dport 8080 accept" "$T_DIR/default.conf" >"$SVC_CONF"
t_check "reload with port 8080 opened next to SSH" svc_reload
t_check "after the reload: port 8080 answers" connects "$IP_A" 8080
t_check "after the reload: the SSH session goes on" session_echo ssh after-reload
t_check "a session on port 8080 opens" session_open web 8080
cp "$T_DIR/default.conf" "$SVC_CONF"
t_check "reload with port 8080 closed again" svc_reload
t_check_not "after that reload: a new connection to 8080 fails" connects "$IP_A" 8080
t_check "after that reload: the session on 8080 goes on (established)" session_echo web still-here
t_check "after that reload: the SSH session goes on" session_echo ssh after-reload2

before=$(svc_ruleset)
sed "${line22}a\\		tcp dport 8080 acept" "$T_DIR/default.conf" >"$SVC_CONF"
bad_line=$((line22 + 1))
err=$(svc_reload 2>&1)
rc=$?
[ "$rc" -ne 0 ] && t_ok "reload of a bad file fails (exit $rc)" || t_bad "reload of a bad file succeeded"
case $err in
*"bpfwall.conf:$bad_line:"*Error*) t_ok "the reload says where the error is (bpfwall.conf:$bad_line)" ;;
*) t_bad "the reload's message does not name bpfwall.conf:$bad_line: $err" ;;
esac
[ "$(svc_ruleset)" = "$before" ] && t_ok "after the failed reload: the same ruleset" ||
	t_bad "the failed reload changed the ruleset"
# Even without the check first, the load itself changes nothing.
last=$((${#SVC_RELOAD[@]} - 1))
svc_exec "${SVC_RELOAD[$last]}" >/dev/null 2>&1 &&
	t_bad "the last ExecReload line loaded a bad file" ||
	t_ok "the last ExecReload line alone fails on the bad file too"
[ "$(svc_ruleset)" = "$before" ] && t_ok "... and changes nothing" ||
	t_bad "a failed load changed the ruleset"
t_check "after the failed reloads: SSH passes" connects "$IP_A" 22
t_check_not "after the failed reloads: 8080 still closed" connects "$IP_A" 8080
cp "$T_DIR/default.conf" "$SVC_CONF"

# --- restart, stop ---
[ "${#SVC_STOP[@]}" -eq 0 ] && t_ok "the unit has no ExecStop=: stopping leaves the ruleset" ||
	t_bad "the unit has ExecStop=: ${SVC_STOP[*]}"
svc_stop
rc=$?
[ "$rc" -eq 0 ] && t_ok "SIGTERM ends ExecStart with status 0" ||
	t_bad "ExecStart ended with status $rc on SIGTERM"
[ "$(svc_ruleset)" = "$before" ] && t_ok "stopped: the ruleset is still loaded" ||
	t_bad "stopping changed the ruleset"
t_check "stopped: the SSH session goes on" session_echo ssh stopped
t_check_not "stopped: 8080 still closed" connects "$IP_A" 8080
t_check "restart: ExecStart again says READY=1" svc_start
[ "$(svc_ruleset)" = "$before" ] && t_ok "restarted: the same ruleset" ||
	t_bad "restarting changed the ruleset"
t_check "restarted: the SSH session goes on" session_echo ssh restarted
t_check "restarted: the session on 8080 goes on" session_echo web restarted
svc_stop || t_bad "the second stop: status $?"
out=$(timeout 30 ip netns exec "$NS_B" env BPFWALL_PIN_DIR="$PIN_B" "$SVC_BIN" flush ruleset 2>&1) ||
	t_bad "bpfwall flush ruleset: $out"
out=$(svc_ruleset 2>&1) && [ -z "$out" ] && t_ok "after flush ruleset: list ruleset prints nothing" ||
	t_bad "after flush ruleset, list ruleset: $out"
t_check "after flush ruleset: port 8080 answers" connects "$IP_A" 8080

# --- the audit hook under the sandbox, on a cgroup of this test ---
CG_ROOT=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
	/proc/self/mountinfo | head -n 1)
CG=""
service_cleanup()
{
	local rc=$?
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	(exit "$rc")
	t_cleanup
}
trap service_cleanup EXIT
# `ip netns exec` mounts a new /sys: the cgroup is reached through a
# second mount of the hierarchy (as tests/e2e/audit.sh does).
mkdir "$T_DIR/cgroup"
if [ -n "$CG_ROOT" ] && mkdir "$CG_ROOT/bwt-service-$$" 2>/dev/null &&
	{ mount -t cgroup2 none "$T_DIR/cgroup" || { rmdir "$CG_ROOT/bwt-service-$$"; false; }; }; then
	CG="$CG_ROOT/bwt-service-$$"
	T_MOUNTS+=("$T_DIR/cgroup")
	audit=$(t_rules audit.conf <<'EOF2'
table inet t {
	chain output {
		type filter hook output priority 0; policy accept;
		ip daddr 203.0.113.9 tcp dport 25 drop
	}
}
EOF2
)
	out=$(svc_exec "$SVC_BIN --audit cgroup --audit-cgroup $T_DIR/cgroup/bwt-service-$$ -f $audit" 2>&1) &&
		t_ok "a load with the audit hook on a cgroup, in the sandbox" ||
		t_bad "a load with the audit hook on a cgroup, in the sandbox: $out"
	out=$(timeout 30 ip netns exec "$NS_B" env BPFWALL_PIN_DIR="$PIN_B" "$SVC_BIN" flush ruleset 2>&1) ||
		t_bad "flush ruleset after the audit load: $out"
	rmdir "$CG" || t_bad "cannot remove the test's cgroup $CG"
	CG=""
else
	echo "skip: the audit hook in the sandbox: cannot make a cgroup v2 here"
fi

svc_check_sandbox
t_done
