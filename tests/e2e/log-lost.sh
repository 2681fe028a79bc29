#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Log events lost under load are counted and reported, never silent: a
# monitor that is stopped (SIGSTOP: a reader that fell behind) while a
# flood of logged pings fills the 512 KiB ringbuf prints, once it runs
# again, the events the ringbuf kept and {"event":"lost","count":N} for
# the others, so that printed + lost = the packets the rule saw (its
# counter); `list ruleset` shows the same number lost.
T_NAME=loglost
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules lost.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		icmp type echo-request counter log prefix "flood " accept
	}
}
EOF2
)
# monitor only reads: started on a ruleset without log statements, it
# makes no ringbuf, and reads the one a later load makes
nolog=$(t_rules nolog.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		icmp type echo-request counter accept
	}
}
EOF2
)
out=$(bw_b -f "$nolog" 2>&1) || t_fatal "load: $out"
mon0="$T_DIR/monitor0.json"
timeout 20 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" monitor -j -c 3 >"$mon0" 2>&1 &
m0=$!
T_PIDS+=("$m0")
sleep 1
[ -e "$PIN_B/log_events" ] && t_bad "monitor made the log ringbuf" ||
	t_ok "monitor made no ringbuf"
out=$(bw_b -f "$rules" 2>&1) || t_fatal "load: $out"
timeout 10 ip netns exec "$NS_A" ping -q -c 3 -i 0.2 -W 1 "$IP_B" >/dev/null 2>&1
wait "$m0"
n=$(grep -c '"prefix":"flood "' "$mon0")
[ "$n" -eq 3 ] && t_ok "monitor read the ringbuf the later load made (3 events)" ||
	t_bad "monitor started before the log ruleset: $(cat "$mon0")"

# the flood on a fresh load: its counter counts the flood alone
out=$(bw_b -f "$nolog" 2>&1) && out=$(bw_b -f "$rules" 2>&1) || t_fatal "reload: $out"
mon="$T_DIR/monitor.json"
# no timeout(1) in between: the pid is bpfwall's (ip netns exec execs it)
ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" monitor -j >"$mon" 2>&1 &
mpid=$!
T_PIDS+=("$mpid")
sleep 1
kill -0 "$mpid" 2>/dev/null || t_fatal "monitor did not start: $(cat "$mon")"

# the reader stops; 8000 echo requests (each event takes 152 bytes of the
# ringbuf: about 3400 fit)
kill -STOP "$mpid"
timeout 60 ip netns exec "$NS_A" ping -q -f -c 8000 -W 1 "$IP_B" >/dev/null 2>&1
kill -CONT "$mpid"
# until the output stops growing (bounded: 30 s)
prev=-1
for _ in $(seq 1 60); do
	cur=$(wc -c <"$mon")
	[ "$cur" -eq "$prev" ] && break
	prev=$cur
	sleep 0.5
done
kill -INT "$mpid"
wait "$mpid"
rc=$?
[ "$rc" -eq 0 ] && t_ok "monitor ends on SIGINT with exit 0" || t_bad "monitor exit $rc: $(tail -n 3 "$mon")"

sent=$(list_counter "$(bw_b list ruleset 2>&1)" "icmp type echo-request")
sent=${sent% *}
printed=$(grep -c '"event":"log"' "$mon")
lost=$(grep '"event":"lost"' "$mon" | sed -n 's/.*"count":\([0-9]*\).*/\1/p' |
	awk '{ n += $1 } END { print n + 0 }')
grep '"event":"lost"' "$mon"
echo "sent $sent, printed $printed, lost $lost"
[ "${sent:-0}" -ge 8000 ] && t_ok "the rule saw the flood ($sent)" || t_bad "the rule saw $sent packets"
[ "$lost" -gt 0 ] && t_ok "lost events reported ($lost)" || t_bad "no lost events reported"
[ $((printed + lost)) -eq "${sent:-0}" ] && t_ok "printed + lost = sent ($printed + $lost = $sent)" ||
	t_bad "printed + lost = $((printed + lost)), sent $sent"
grep '"event":"lost"' "$mon" | grep -q '"kind":"log"' && t_ok "the lost events are log events" ||
	t_bad "lost event without kind log"
line=$(bw_b list ruleset 2>&1 | grep '^# events lost')
case $line in
*"log $lost audit 0"*) t_ok "list ruleset: $line" ;;
*) t_bad "list ruleset says '$line', monitor said $lost" ;;
esac
jl=$(bw_b -j list ruleset 2>&1)
case $jl in
*"\"lost\": {\"log\": $lost, \"audit\": 0}"*) t_ok "list ruleset -j has the lost count" ;;
*) t_bad "list ruleset -j: $(printf '%s' "$jl" | grep -o '"lost": {[^}]*}')" ;;
esac

# text mode: a line says so
mon2="$T_DIR/monitor.txt"
ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" monitor >"$mon2" 2>&1 &
mpid=$!
T_PIDS+=("$mpid")
sleep 1
kill -STOP "$mpid"
timeout 60 ip netns exec "$NS_A" ping -q -f -c 5000 -W 1 "$IP_B" >/dev/null 2>&1
kill -CONT "$mpid"
sleep 2
kill -INT "$mpid"
wait "$mpid"
grep -E '^lost [0-9]+ log events: the ringbuf was full' "$mon2" &&
	t_ok "monitor (text) says how many were lost" || t_bad "no lost line: $(tail -n 2 "$mon2")"
t_done
