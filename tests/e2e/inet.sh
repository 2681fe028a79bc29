#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# inet/ip input chains, inet sees IPv4 and IPv6, ip only IPv4, in both
# places they can run: the netfilter hooks (the default where the kernel
# has them: one attachment covers every interface, also one created
# after the load, which has no XDP program with the hoisted drops and is
# filtered all the same) and XDP on each interface (--ip-hooks xdp).
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
		ip saddr 198.51.100.1 icmp type echo-request counter drop
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

# the checks of either mode
common()
{
	t_check "$1: ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
	t_check_not "$1: ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
	t_check "$1: ping over IPv6 passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
	t_check "$1: TCP to 80 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
	t_check_not "$1: TCP to 8080 is dropped" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
	t_check_not "$1: TCP over IPv6 to 8080 is dropped (inet sees IPv6)" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 8080
	t_check_not "$1: TCP to 9090 is dropped (ip table)" tcp_from "$NS_A" "$IP_A" "$IP_B" 9090
	t_check "$1: TCP over IPv6 to 9090 passes (ip table sees only IPv4)" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 9090
	t_check "$1: loopback TCP to 80 inside the namespace passes" tcp_from "$NS_B" 127.0.0.1 127.0.0.1 80
}

# --- the netfilter hooks
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "bpfwall -f loaded the inet ruleset"
# the drops before any accept are hoisted to XDP (compiler/bpf/hoist.h)
if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
	t_ok "netfilter: the input drops hoisted to XDP on $VETH_B"
else
	t_bad "netfilter: no XDP program on $VETH_B (hoisted drops)"
fi
list=$(bw_b list ruleset 2>&1)
for want in "# attached: input netfilter ipv4 priority 0" \
	"# attached: input netfilter ipv6 priority 0" \
	"# attached: input netfilter ipv4 priority 10"; do
	printf '%s\n' "$list" | grep -qxF "$want" && t_ok "list: $want" ||
		t_bad "list lacks '$want': $list"
done
printf '%s\n' "$list" | grep -q "netfilter ipv6 priority 10" &&
	t_bad "an ip table's chain attached for IPv6" || t_ok "the ip table's chain is IPv4 only"
common netfilter

# an interface that comes after the load is filtered at once
ip -n "$NS_A" link add bwtc0 type veth peer name bwtd0 netns "$NS_B"
ip -n "$NS_A" addr add 198.51.100.1/24 dev bwtc0
ip -n "$NS_A" addr add 198.51.100.3/24 dev bwtc0
ip -n "$NS_B" addr add 198.51.100.2/24 dev bwtd0
ip -n "$NS_A" link set bwtc0 up
ip -n "$NS_B" link set bwtd0 up
in_b ip -d link show dev bwtd0 | grep -q xdp &&
	t_bad "netfilter: an XDP program on bwtd0, made after the load" ||
	t_ok "netfilter: no XDP program on bwtd0, made after the load (no watcher)"
t_check_not "netfilter: a ping over a veth made after the load, from a dropped source, is dropped" \
	ping_from "$NS_A" 198.51.100.1 198.51.100.2
t_check "netfilter: another source over that veth passes" \
	ping_from "$NS_A" 198.51.100.3 198.51.100.2
n=$(bw_b list ruleset | grep -F "ip saddr 198.51.100.1" |
	sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
[ "${n:-0}" -ge 1 ] && t_ok "netfilter: its rule counted $n" || t_bad "netfilter: the rule counted ${n:-nothing}"

# --- XDP on each interface
out=$(bw_b --ip-hooks xdp -f "$rules" 2>&1) || t_fatal "bpfwall --ip-hooks xdp -f: $out"
if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
	t_ok "xdp: XDP attached to $VETH_B without naming it"
else
	t_bad "xdp: no XDP program on $VETH_B"
fi
bw_b list ruleset | grep -q "netfilter" && t_bad "xdp: a netfilter attachment is left" ||
	t_ok "xdp: the netfilter attachments are gone"
common xdp
t_done
