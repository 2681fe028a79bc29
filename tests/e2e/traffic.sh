#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Load a netdev ingress ruleset on a veth, send ping and TCP through it:
# what the rules drop is dropped, the rest passes, the counters move.
T_NAME=traffic
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules traffic.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.66 ip protocol icmp counter drop
		ip protocol icmp counter accept
		tcp dport 8080 counter drop
		tcp dport 80 counter accept
		meta l4proto tcp ip6 saddr 2001:db8:1::1 tcp dport 8081 counter drop
		udp dport 5353 counter drop
	}
}
EOF2
)
t_tcp_server "$NS_B" "$IP_B" 80
t_tcp_server "$NS_B" "$IP_B" 8080
t_tcp_server "$NS_B" "$IP6_B" 8081
t_udp_server "$NS_B" "$IP_B" 5353
t_udp_server "$NS_B" "$IP_B" 8080

# Before loading everything passes: the drops below come from bpfwall.
t_check "baseline: ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "baseline: TCP to port 8080" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check "baseline: TCP over IPv6 to port 8081" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 8081
t_check "baseline: UDP to port 5353" udp_from "$NS_A" "$IP_A" "$IP_B" 5353

out=$(bw_b -f "$rules" 2>&1)
rc=$?
[ "$rc" -eq 0 ] || t_fatal "bpfwall -f: exit $rc: $out"
t_ok "bpfwall -f loaded the ruleset"
if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
	t_ok "an XDP program is attached to $VETH_B"
else
	t_bad "no XDP program on $VETH_B after -f"
fi

t_check "ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check_not "ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "TCP to port 80 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
t_check_not "TCP to port 8080 is dropped" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check_not "TCP over IPv6 to port 8081 is dropped" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 8081
t_check "ping over IPv6 passes (no rule)" ping_from "$NS_A" "$IP6_A" "$IP6_B"
t_check "TCP from $IP_A2 to port 80 passes" tcp_from "$NS_A" "$IP_A2" "$IP_B" 80
t_check_not "UDP to port 5353 is dropped" udp_from "$NS_A" "$IP_A" "$IP_B" 5353
t_check "UDP to port 8080 passes (tcp dport 8080 only matches TCP)" udp_from "$NS_A" "$IP_A" "$IP_B" 8080

list=$(bw_b list ruleset 2>&1)
rc=$?
[ "$rc" -eq 0 ] || t_bad "list ruleset: exit $rc"
printf '%s\n' "$list"
# counter_at PATTERN MIN: the rule's packet count is at least MIN
counter_at()
{
	local pb
	pb=$(list_counter "$list" "$1")
	[ -n "$pb" ] && [ "${pb% *}" -ge "$2" ] && [ "${pb#* }" -gt 0 ]
}
t_check "counter of the icmp drop rule moved" counter_at "ip saddr 192.0.2.66" 1
t_check "counter of the icmp accept rule moved" counter_at "ip protocol icmp counter" 1
t_check "counter of the 8080 drop rule moved" counter_at "tcp dport 8080" 1
t_check "counter of the port-80 accept rule counts the handshake" counter_at "tcp dport 80 " 3
t_check "counter of the IPv6 8081 drop rule moved" counter_at "dport 8081" 1
t_check "counter of the UDP 5353 drop rule moved" counter_at "udp dport 5353" 1
t_done
