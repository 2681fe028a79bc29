#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Egress: a netdev egress chain (TC on the device) and an inet output chain
# (TC on every interface) drop outgoing traffic.
T_NAME=egress
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules egress.conf <<'EOF2'
table netdev t {
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		ip daddr 192.0.2.66 ip protocol icmp counter drop
		tcp sport 8080 counter drop
	}
}
table inet o {
	chain output {
		type filter hook output priority 0; policy accept;
		ip daddr 192.0.2.66 tcp dport 7777 counter drop
		ip6 daddr 2001:db8:1::1 tcp dport 7778 counter drop
	}
}
EOF2
)
t_tcp_server "$NS_B" "$IP_B" 80
t_tcp_server "$NS_B" "$IP_B" 8080
t_tcp_server "$NS_A" 0.0.0.0 7777
t_tcp_server "$NS_A" "$IP6_A" 7778

t_check "baseline: ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "baseline: TCP to B port 8080" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check "baseline: TCP from B to $IP_A2:7777" tcp_from "$NS_B" "$IP_B" "$IP_A2" 7777

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "bpfwall -f loaded the egress ruleset"

# The echo request gets in; the reply leaves through the egress chain.
t_check "ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check_not "ping reply to $IP_A2 is dropped on egress" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "TCP to port 80 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
t_check_not "TCP to port 8080 fails (SYN-ACK dropped on egress)" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check "TCP from B to $IP_A:7777 passes" tcp_from "$NS_B" "$IP_B" "$IP_A" 7777
t_check_not "TCP from B to $IP_A2:7777 is dropped (output chain)" tcp_from "$NS_B" "$IP_B" "$IP_A2" 7777
t_check_not "TCP over IPv6 from B to port 7778 is dropped" tcp_from "$NS_B" "$IP6_B" "$IP6_A" 7778
t_check "ping over IPv6 from B passes" ping_from "$NS_B" "$IP6_B" "$IP6_A"

list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list"
for pat in "ip daddr 192.0.2.66 ip protocol icmp" "tcp sport 8080" "tcp dport 7777" "tcp dport 7778"; do
	pb=$(list_counter "$list" "$pat")
	if [ -n "$pb" ] && [ "${pb% *}" -ge 1 ]; then
		t_ok "counter moved: $pat ($pb)"
	else
		t_bad "counter did not move: $pat (${pb:-no counter})"
	fi
done
t_done
