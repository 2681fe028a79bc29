#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# inet/ip input chains: XDP on every interface of the namespace; inet sees
# IPv4 and IPv6, ip only IPv4.
T_NAME=inet
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules inet.conf <<'EOF2'
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr 192.0.2.66 counter drop
		tcp dport 8080 counter drop
	}
}
table ip filter4 {
	chain input {
		type filter hook input priority 10; policy accept;
		tcp dport 9090 counter drop
	}
}
EOF2
)
for port in 80 8080 9090; do
	t_tcp_server "$NS_B" 0.0.0.0 "$port"
	t_tcp_server "$NS_B" "$IP6_B" "$port"
done

t_check "baseline: ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "baseline: TCP to 8080" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "bpfwall -f loaded the inet ruleset"
if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
	t_ok "XDP attached to $VETH_B without naming it"
else
	t_bad "no XDP program on $VETH_B"
fi

t_check "ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check_not "ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "ping over IPv6 passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
t_check "TCP to 80 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
t_check_not "TCP to 8080 is dropped" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check_not "TCP over IPv6 to 8080 is dropped (inet sees IPv6)" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 8080
t_check_not "TCP to 9090 is dropped (ip table)" tcp_from "$NS_A" "$IP_A" "$IP_B" 9090
t_check "TCP over IPv6 to 9090 passes (ip table sees only IPv4)" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 9090

# A second veth created after the load is not required here; the existing
# one must carry the program, and the lo device of the namespace keeps
# working with the input chain (policy accept).
t_check "loopback TCP to 80 inside the namespace passes" tcp_from "$NS_B" 127.0.0.1 127.0.0.1 80
t_done
