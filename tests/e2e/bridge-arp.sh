#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The bridge and arp families with real traffic, bpfwall against nft.
# Namespace r is a bridge (br0) with two ports, a veth to client a and a
# veth to client b, all three on 192.0.2.0/24 (br0 has 192.0.2.254 and
# 192.0.2.253).  A bridge forward chain drops TCP from a to b's port 5001
# and passes port 5003 (and counts what it drops); an arp input chain
# drops ARP requests for 192.0.2.254, so a can resolve 192.0.2.253 but
# not 192.0.2.254 (checked by ping and by a's neighbour state).  Both
# chains go, whole, to the kernel's nf_tables in table bpfwall; the same
# file loaded by nft instead gives the same answers.
T_NAME=brarp
T_TIMEOUT=150
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

# r becomes a bridge: its two ports lose their addresses, br0 gets them;
# b moves onto a's subnet
IP_B=192.0.2.2
IP_BR=192.0.2.254
IP_BR2=192.0.2.253
in_r ip link add br0 type bridge || t_skip "cannot create a bridge here"
for dev in "$VETH_RA" "$VETH_RB"; do
	in_r ip addr flush dev "$dev"
	in_r ip link set "$dev" master br0 || t_fatal "cannot enslave $dev"
done
in_r ip addr add "$IP_BR/24" dev br0
in_r ip addr add "$IP_BR2/24" dev br0
in_r ip link set br0 up
in_r sysctl -qw net.ipv4.ip_forward=0
in_b ip addr flush dev "$VETH_B"
in_b ip addr add "$IP_B/24" dev "$VETH_B"
in_a ip route del default 2>/dev/null
in_a ip -6 route del default 2>/dev/null
in_b ip route del default 2>/dev/null
in_b ip -6 route del default 2>/dev/null
MAC_A=$(in_a cat "/sys/class/net/$VETH_A/address")
MAC_B=$(in_b cat "/sys/class/net/$VETH_B/address")
in_a ip neigh replace "$IP_B" lladdr "$MAC_B" dev "$VETH_A" nud permanent
in_b ip neigh replace "$IP_A" lladdr "$MAC_A" dev "$VETH_B" nud permanent
in_a ip neigh del "$IP_RA" dev "$VETH_A" 2>/dev/null

rules=$(t_rules bridge-arp.conf <<'EOF2'
table bridge brfilter {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ip saddr 192.0.2.1 ip daddr 192.0.2.2 tcp dport 5001 counter drop
		ip daddr 192.0.2.2 tcp dport 5003 counter accept
	}
}
table arp arpfilter {
	chain input {
		type filter hook input priority filter; policy accept;
		arp operation request arp daddr ip 192.0.2.254 counter drop
	}
}
EOF2
)

t_tcp_server "$NS_B" "$IP_B" 5001
t_tcp_server "$NS_B" "$IP_B" 5003
t_check "through the bridge without rules, port 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

# resolve the bridge's two addresses afresh (no entry: ARP asks again)
resolve()
{
	in_a ip neigh flush dev "$VETH_A" to "$1" 2>/dev/null
	ping_from "$NS_A" "$IP_A" "$1"
}
neigh_state()
{
	in_a ip neigh show dev "$VETH_A" to "$1" | awk '{ print $NF }'
}

# what the ruleset does, loaded by bpfwall or nft
check_all()
{
	local who=$1
	t_check_not "$who: TCP a -> b port 5001 is dropped by the bridge" \
		tcp_from "$NS_A" "$IP_A" "$IP_B" 5001 1
	t_check "$who: TCP a -> b port 5003 passes the bridge" \
		tcp_from "$NS_A" "$IP_A" "$IP_B" 5003
	t_check "$who: TCP a (second address) -> b port 5001 passes" \
		tcp_from "$NS_A" "$IP_A2" "$IP_B" 5001
	t_check "$who: a resolves 192.0.2.253 and pings it" resolve "$IP_BR2"
	t_check_not "$who: a cannot resolve 192.0.2.254 (its ARP requests dropped)" \
		resolve "$IP_BR"
	local st
	st=$(neigh_state "$IP_BR")
	case $st in
	REACHABLE|STALE|DELAY|PROBE|PERMANENT) t_bad "$who: a's entry for 192.0.2.254 is $st" ;;
	*) t_ok "$who: a's entry for 192.0.2.254 is ${st:-gone} (not resolved)" ;;
	esac
}

# trace: the reference interpreter runs the chains nf_tables runs
out=$(bw_r -f "$rules" trace forward device "$VETH_RA" device "$VETH_RB" \
	ip saddr 192.0.2.1 ip daddr 192.0.2.2 tcp dport 5001 2>&1)
case $out in
*"chain bridge brfilter forward: drop by rule"*"verdict drop"*) t_ok "trace: the bridge forward chain drops port 5001" ;;
*) t_bad "trace of port 5001: $out" ;;
esac
out=$(bw_r -f "$rules" trace ingress device "$VETH_RA" arp operation request \
	arp daddr ip 192.0.2.253 2>&1)
case $out in
*"chain arp arpfilter input: accept by its policy"*"verdict accept"*) t_ok "trace: an ARP request for 192.0.2.253 passes" ;;
*) t_bad "trace of an ARP request: $out" ;;
esac

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
listed=$(in_r nft list ruleset)
case $listed in
*"table bridge bpfwall"*"table arp bpfwall"*) t_ok "both chains are in nf_tables' table bpfwall" ;;
*) t_bad "nf_tables holds no bridge and arp table bpfwall: $listed" ;;
esac
check_all bpfwall
text=$(bw_r list ruleset)
c1=$(list_counter "$text" "tcp dport 5001 counter" | cut -d' ' -f1)
c3=$(list_counter "$text" "arp daddr ip 192.0.2.254 counter" | cut -d' ' -f1)
t_check "list ruleset: the bridge drop counted the SYNs (${c1:-none})" test "${c1:-0}" -ge 1
t_check "list ruleset: the arp drop counted the requests (${c3:-none})" test "${c3:-0}" -ge 1
case $text in
*"table bridge brfilter"*"type filter hook forward priority filter; policy accept;"*"table arp arpfilter"*)
	t_ok "list ruleset prints both tables" ;;
*) t_bad "list ruleset: $text" ;;
esac
# meta ibrname needs the kernel's nft_meta_bridge: where nf_tables
# refuses the rule, the error is at the rule and the running ruleset stays
ibr=$(t_rules bridge-ibr.conf <<'EOF2'
table bridge brfilter {
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta ibrname "br0" tcp dport 5003 drop
	}
}
EOF2
)
if out=$(bw_r -f "$ibr" 2>&1); then
	t_check_not "meta ibrname loads: port 5003 across br0 is dropped" \
		tcp_from "$NS_A" "$IP_A" "$IP_B" 5003 1
	out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f again: $out"
else
	case $out in
	*"bridge-ibr.conf:4:"*"nf_tables refused this rule"*) t_ok "meta ibrname refused by this kernel, at the rule: $(printf '%s' "$out" | grep -m1 refused)" ;;
	*) t_bad "meta ibrname: unclear error: $out" ;;
	esac
	t_check_not "after the refused load the old ruleset still drops port 5001" \
		tcp_from "$NS_A" "$IP_A" "$IP_B" 5001 1
	t_check "after the refused load port 5003 still passes" \
		tcp_from "$NS_A" "$IP_A" "$IP_B" 5003
fi

out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"
t_check "after flush no table bpfwall is left" \
	test -z "$(in_r nft list ruleset | grep 'table .* bpfwall')"
t_check "after flush port 5001 answers again" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001
t_check "after flush a resolves 192.0.2.254" resolve "$IP_BR"

# the oracle: the same file in nft
out=$(in_r nft -f "$rules" 2>&1) || t_fatal "nft -f: $out"
check_all nft
in_r nft flush ruleset
t_done
