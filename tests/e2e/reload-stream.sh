#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Reload under a running TCP stream: a ~4 MB transfer paced over ~3 s while
# `bpfwall -f` swaps between two rulesets that both allow it (policy drop
# otherwise).  The stream must arrive intact, and the XDP program must
# drop nothing meanwhile (the veth's rx_queue_*_xdp_drops): a swap through
# a half-loaded or wrong program would drop segments, which TCP would then
# hide by retransmitting.  Retransmissions are reported but not judged: on
# a busy machine the veth ring or a tail loss probe causes them too.
T_NAME=reload
T_TIMEOUT=90
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

r1=$(t_rules r1.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy drop;
		tcp dport 5001 counter accept
		ip protocol icmp accept
		meta l4proto icmpv6 accept
	}
}
EOF2
)
r2=$(t_rules r2.conf <<'EOF2'
define ports = { 5001, 5002 }
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy drop;
		ip saddr 198.51.100.0/24 drop
		ip saddr 192.0.2.1 tcp dport $ports counter accept
		ip protocol icmp accept
		meta l4proto icmpv6 accept
	}
}
table netdev u {
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		tcp sport 5001 counter accept
	}
}
EOF2
)
out=$(bw_b -f "$r1" 2>&1) || t_fatal "bpfwall -f r1: $out"

chunks=40
head -c $((chunks * 100 * 1024)) /dev/urandom >"$T_DIR/send" || t_fatal "no test data"
timeout 60 ip netns exec "$NS_B" socat -u \
	"TCP-LISTEN:5001,bind=$IP_B,reuseaddr" "OPEN:$T_DIR/recv,creat,trunc" 2>/dev/null &
recv_pid=$!
T_PIDS+=("$recv_pid")
for i in $(seq 1 50); do
	in_b ss -Hltn 2>/dev/null | grep -qF " $IP_B:5001 " && break
	sleep 0.1
done

retrans()
{
	in_a awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RetransSegs"] }' /proc/net/snmp
}
before=$(retrans)
# xdp_drops: the sum of the veth's per-queue XDP drop counters ("" if the
# driver has none).
xdp_drops()
{
	in_b ethtool -S "$VETH_B" 2>/dev/null |
		awk '/rx_queue_[0-9]+_xdp_drops:/ { s += $2; n++ } END { if (n) print s }'
}
drops_before=$(xdp_drops)

(
	for i in $(seq 0 $((chunks - 1))); do
		dd if="$T_DIR/send" bs=100k skip="$i" count=1 2>/dev/null
		sleep 0.075
	done
) | timeout 60 ip netns exec "$NS_A" socat -u - \
	"TCP:$IP_B:5001,bind=$IP_A,connect-timeout=3" 2>"$T_DIR/sender.err" &
send_pid=$!
T_PIDS+=("$send_pid")

reloads=0
failed_reloads=0
start=$(date +%s)
while kill -0 "$send_pid" 2>/dev/null && [ "$reloads" -lt 60 ] &&
	[ $(($(date +%s) - start)) -lt 30 ]; do
	if [ $((reloads % 2)) -eq 0 ]; then f=$r2; else f=$r1; fi
	if ! bw_b -f "$f" >"$T_DIR/reload.out" 2>&1; then
		failed_reloads=$((failed_reloads + 1))
		cat "$T_DIR/reload.out"
	fi
	reloads=$((reloads + 1))
	sleep 0.1
done
wait "$send_pid"
send_rc=$?
wait "$recv_pid"
recv_rc=$?
after=$(retrans)
drops_after=$(xdp_drops)

echo "reloads during the transfer: $reloads; retransmitted segments: $((after - before));" \
	"XDP drops: ${drops_before:-?} -> ${drops_after:-?}"
[ "$send_rc" -eq 0 ] && t_ok "sender finished" || t_bad "sender exit $send_rc: $(cat "$T_DIR/sender.err")"
[ "$recv_rc" -eq 0 ] && t_ok "receiver finished" || t_bad "receiver exit $recv_rc"
[ "$failed_reloads" -eq 0 ] && t_ok "every reload succeeded" || t_bad "$failed_reloads reloads failed"
[ "$reloads" -ge 6 ] && t_ok "$reloads reloads happened during the stream" ||
	t_bad "only $reloads reloads during the stream (want >= 6)"
if cmp -s "$T_DIR/send" "$T_DIR/recv"; then
	t_ok "the stream arrived intact ($(stat -c %s "$T_DIR/recv") bytes)"
else
	t_bad "the stream is damaged: sent $(stat -c %s "$T_DIR/send"), received $(stat -c %s "$T_DIR/recv" 2>/dev/null || echo 0) bytes"
fi
if [ -n "$drops_before" ] && [ -n "$drops_after" ]; then
	if [ "$drops_after" -eq "$drops_before" ]; then
		t_ok "XDP dropped nothing during the reloads"
	else
		t_bad "XDP dropped $((drops_after - drops_before)) packets during the reloads"
	fi
elif [ "$((after - before))" -eq 0 ]; then
	t_ok "no XDP drop counters on $VETH_B; no TCP retransmission either"
else
	t_bad "no XDP drop counters on $VETH_B, and $((after - before)) segments were retransmitted"
fi
# The last ruleset loaded is the one running.
list=$(bw_b list ruleset 2>&1)
if [ $((reloads % 2)) -eq 1 ]; then want="198.51.100.0/24"; else want="tcp dport 5001 counter"; fi
printf '%s\n' "$list" | grep -qF "$want" && t_ok "list shows the last ruleset loaded" ||
	t_bad "list does not show the last ruleset ($want): $list"
t_check_not "policy drop still in force (TCP to an unlisted port)" tcp_from "$NS_A" "$IP_A" "$IP_B" 5003
t_done
