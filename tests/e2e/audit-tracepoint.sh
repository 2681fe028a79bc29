#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --audit tracepoint: one program on syscalls/sys_enter_connect for every
# process on the host.  A process in this test's namespace connects to the
# denied address: `monitor -j` shows its comm, pid, destination and rule
# line (events of other processes on the host are told apart by pid); a
# rule that names tcp never matches there (the protocol is unknown at the
# syscall); list ruleset names the hook; a reload pins a new link over the
# old; flush ruleset leaves no link and no program behind (the trap
# flushes too, so a failure leaves no global hook).
T_NAME=audit-tp
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v bpftool >/dev/null 2>&1 || t_skip "needs bpftool"
grep -qw tracefs /proc/filesystems || t_skip "no tracefs in this kernel"

t_init
NS="bwt-tp-$$"
ip netns add "$NS" || t_skip "cannot create a network namespace here"
T_NS+=("$NS")
ip -n "$NS" link set lo up
t_mount_pin "$NS"
PIN="$T_DIR/bpf-$NS"
bw() { timeout 30 ip netns exec "$NS" "$BPFWALL" --pin-dir "$PIN" "$@"; }

DADDR=198.51.100.213
DADDR6=2001:db8:ffff::213
PORT=47913
rules=$(t_rules tp.conf <<EOF2
table inet audit {
	chain output {
		type filter hook output priority 0; policy accept;
		tcp dport $PORT drop
		ip daddr $DADDR drop
		ip6 daddr $DADDR6 drop
	}
}
EOF2
)

out=$(bw --audit tracepoint -f "$rules" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && [[ $out == *"syscall tracepoints"* || $out == *"perf_event_open"* ]]; then
	t_skip "no usable sys_enter_connect tracepoint: $out"
fi
[ "$rc" -eq 0 ] || t_fatal "bpfwall --audit tracepoint -f: $out"
t_ok "loaded with --audit tracepoint"

list=$(bw list ruleset 2>&1)
if printf '%s\n' "$list" | grep -qxF "# audit: tracepoint sys_enter_connect"; then
	t_ok "list ruleset names the tracepoint hook"
else
	t_bad "list ruleset does not name the tracepoint hook: $list"
fi

# link_id PIN_FILE / prog_id PIN_FILE: ids of the pinned link and its program
link_id() { bpftool link show pinned "$1" 2>/dev/null | sed -n '1s/^\([0-9]*\):.*/\1/p'; }
prog_id() { bpftool link show pinned "$1" 2>/dev/null | sed -n '1s/.*prog \([0-9]*\).*/\1/p'; }
lid=$(link_id "$PIN/link_tracepoint")
pid_=$(prog_id "$PIN/link_tracepoint")
if [ -n "$lid" ] && [ -n "$pid_" ]; then
	t_ok "link_tracepoint pinned (link $lid, prog $pid_)"
else
	t_bad "no link_tracepoint pin: $(ls "$PIN")"
fi

# connect_from FILE ADDR: a bash in the namespace connects to ADDR:PORT
# (no route: the connect fails at once) after writing its pid to FILE.
connect_from()
{
	ip netns exec "$NS" bash -c "echo \$\$ >$1; exec 3<>/dev/tcp/$2/$PORT" >/dev/null 2>&1
}

mon="$T_DIR/monitor.out"
timeout 15 ip netns exec "$NS" "$BPFWALL" --pin-dir "$PIN" monitor -j -c 200 >"$mon" 2>&1 &
mpid=$!
T_PIDS+=("$mpid")
sleep 0.5
connect_from "$T_DIR/pid-allowed" 198.51.100.214	# only the tcp rule would match
# in this order: once the last one's event is read, so are the others'
connect_from "$T_DIR/pid6" "$DADDR6"
connect_from "$T_DIR/pid" "$DADDR"
pid=$(cat "$T_DIR/pid")
pid6=$(cat "$T_DIR/pid6")
allowed=$(cat "$T_DIR/pid-allowed")
ev=
for _ in $(seq 1 50); do
	ev=$(grep -F "\"pid\":$pid," "$mon" | head -n 1)
	[ -n "$ev" ] && break
	sleep 0.1
done
echo "event: $ev"
for want in '"event":"connect-denied"' "\"pid\":$pid," '"comm":"bash"' \
	'"family":"ipv4"' "\"daddr\":\"$DADDR\"" "\"dport\":$PORT" \
	'"proto":"unknown"' "\"file\":\"$rules\",\"line\":5"; do
	case $ev in
	*"$want"*) t_ok "event has $want" ;;
	*) t_bad "event lacks $want" ;;
	esac
done
ev6=$(grep -F "\"pid\":$pid6," "$mon" | head -n 1)
case $ev6 in
*'"family":"ipv6"'*"\"daddr\":\"$DADDR6\",\"dport\":$PORT,"*'"line":6'*)
	t_ok "IPv6 event: $ev6" ;;
*) t_bad "no IPv6 event for pid $pid6: $ev6" ;;
esac
if grep -qF "\"pid\":$allowed," "$mon"; then
	t_bad "the connect that only a tcp rule matches made an event"
else
	t_ok "a rule naming tcp does not match at the tracepoint"
fi
kill "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null

# A reload pins a new link over the old one, which goes away.
out=$(bw --audit tracepoint -f "$rules" 2>&1) || t_bad "reload: $out"
lid2=$(link_id "$PIN/link_tracepoint")
if [ -n "$lid2" ] && [ "$lid2" != "$lid" ] && ! bpftool link show id "$lid" >/dev/null 2>&1; then
	t_ok "reload replaced link $lid by $lid2"
else
	t_bad "reload: link ${lid:-?} -> ${lid2:-none}"
fi
lid=$lid2
pid_=$(prog_id "$PIN/link_tracepoint")

# gone LINK PROG: wait (bounded) until bpftool knows none of the link/prog ids
gone()
{
	local i
	for i in $(seq 1 30); do
		if ! bpftool link show id "$1" >/dev/null 2>&1 &&
			! bpftool prog show id "$2" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
out=$(bw flush ruleset 2>&1) || t_bad "flush ruleset: $out"
if [ -n "$lid" ] && [ -n "$pid_" ] && gone "$lid" "$pid_"; then
	t_ok "flush ruleset removed link $lid and program $pid_"
else
	t_bad "after flush, link ${lid:-?} or program ${pid_:-?} remains"
fi
[ ! -e "$PIN/link_tracepoint" ] && t_ok "no link_tracepoint pin" ||
	t_bad "link_tracepoint still pinned"

t_done
