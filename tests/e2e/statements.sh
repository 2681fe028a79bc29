#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# reject, log and limit with real traffic over veth: a TCP connect to a
# rejected port is refused at once (a RST came back), a UDP datagram to a
# rejected port gets the ICMP error (the sender's socket reports
# "Connection refused"), at ingress (XDP_TX) and at egress (the answer
# redirected into the local stack); `monitor -j` shows a log event with
# its prefix and ports; a ping flood meets limit rate; list ruleset
# loads again.
T_NAME=stmts
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules stmts.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		tcp dport 7001 counter reject with tcp reset
		udp dport 7002 reject
		tcp dport 7003 log prefix "bwtest " level info drop
		icmp type echo-request limit rate 1/minute burst 3 packets counter accept
		icmp type echo-request counter drop
	}
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		tcp dport 7004 reject with tcp reset
		ip6 daddr 2001:db8:1::1 udp dport 7005 reject
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "loaded"

# connect_err NS ADDR PORT [udp]: the error socat reports, within 3 s
connect_err()
{
	local proto=TCP4 dst=$2
	case $dst in *:*) dst="[$dst]"; proto=TCP6 ;; esac
	if [ "${4:-}" = udp ]; then
		[ "$proto" = TCP6 ] && proto=UDP6 || proto=UDP4
		echo ping | timeout 5 ip netns exec "$1" socat -t 3 -T 3 - \
			"$proto:$dst:$3" 2>&1 >/dev/null
		return
	fi
	timeout 5 ip netns exec "$1" socat -u "$proto:$dst:$3,connect-timeout=3" - \
		2>&1 >/dev/null
}

# refused DESC CMD...: CMD reports "Connection refused", in less than 2 s
refused()
{
	local desc=$1 t0 t1 err
	shift
	t0=$(date +%s%N)
	err=$("$@")
	t1=$(date +%s%N)
	case $err in
	*"Connection refused"*)
		if [ $(((t1 - t0) / 1000000)) -lt 2000 ]; then
			t_ok "$desc: refused in $(((t1 - t0) / 1000000)) ms"
		else
			t_bad "$desc: refused, but only after $(((t1 - t0) / 1000000)) ms"
		fi ;;
	*) t_bad "$desc: $err" ;;
	esac
}

refused "TCP to 7001 (ingress reject with tcp reset)" connect_err "$NS_A" "$IP_B" 7001
refused "UDP to 7002 (ingress reject: ICMP port unreachable)" connect_err "$NS_A" "$IP_B" 7002 udp
refused "UDP over IPv6 to 7002 (ICMPv6 port unreachable)" connect_err "$NS_A" "$IP6_B" 7002 udp
refused "TCP from B to 7004 (egress reject: RST into B's own stack)" connect_err "$NS_B" "$IP_A" 7004
refused "UDP over IPv6 from B to 7005 (egress reject)" connect_err "$NS_B" "$IP6_A" 7005 udp

# log: the event of a connect to 7003 (in the host tier the audit hook's
# events of the connects above may come first)
mon="$T_DIR/monitor.out"
bw_bg b 20 monitor -j >"$mon" 2>&1
sleep 0.5
connect_err "$NS_A" "$IP_B" 7003 >/dev/null
for _ in $(seq 1 50); do
	grep -q '"event":"log"' "$mon" && break
	sleep 0.1
done
kill "$BW_BG" 2>/dev/null
wait "$BW_BG" 2>/dev/null
ev=$(grep -m 1 '"event":"log"' "$mon")
echo "event: $ev"
for want in '"event":"log"' '"prefix":"bwtest "' '"level":"info"' '"hook":"ingress"' \
	"\"saddr\":\"$IP_A\"" "\"daddr\":\"$IP_B\"" '"proto":"tcp"' '"dport":7003' \
	'"line":6'; do
	case $ev in
	*"$want"*) t_ok "log event has $want" ;;
	*) t_bad "log event lacks $want" ;;
	esac
done

# limit: of 10 echo requests, the burst (3) gets through
n=$(timeout 10 ip netns exec "$NS_A" ping -n -q -c 10 -i 0.05 -W 1 "$IP_B" 2>/dev/null |
	sed -n 's/.* \([0-9]*\) received.*/\1/p')
if [ "${n:-0}" -eq 3 ]; then
	t_ok "limit rate 1/minute burst 3: 3 of 10 pings answered"
else
	t_bad "limit: ${n:-no} pings of 10 answered, want 3"
fi

list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list"
pb=$(list_counter "$list" "tcp dport 7001")
[ -n "$pb" ] && [ "${pb% *}" -ge 1 ] && t_ok "the reject rule counted ($pb)" ||
	t_bad "the reject rule's counter: ${pb:-none}"
pb=$(list_counter "$list" "icmp type echo-request counter")
[ "${pb% *}" = 7 ] && t_ok "7 pings over the limit dropped" ||
	t_bad "pings over the limit: ${pb:-none}, want 7"
printf '%s\n' "$list" >"$T_DIR/again.conf"
out=$(bw_b -f "$T_DIR/again.conf" 2>&1) && t_ok "list ruleset loads again" ||
	t_bad "list ruleset output does not load: $out"
t_done
