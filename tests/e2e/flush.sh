#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# flush ruleset removes every XDP and TC attachment and the pinned state.
T_NAME=flush
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules flush.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.66 counter drop
	}
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		tcp sport 8080 counter drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 9090 drop
	}
}
EOF2
)
t_tcp_server "$NS_B" "$IP_B" 8080
t_tcp_server "$NS_B" "$IP_B" 9090
# A fresh bpffs may already hold the kernel's preloaded iterators
# (maps.debug, progs.debug): compare with what was there before.
pins()
{
	find "$PIN_B" -mindepth 1 2>/dev/null | sort
}
pins0=$(pins)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_check_not "loaded: ping from $IP_A2 dropped (XDP)" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check_not "loaded: TCP to 8080 dropped (TC egress)" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check_not "loaded: TCP to 9090 dropped (inet input)" tcp_from "$NS_A" "$IP_A" "$IP_B" 9090
if in_b ip -d link show | grep -q xdp; then
	t_ok "loaded: ip -d link shows xdp"
else
	t_bad "loaded: ip -d link shows no xdp"
fi
[ "$(pins)" != "$pins0" ] && t_ok "loaded: state pinned under the pin dir" ||
	t_bad "loaded: nothing pinned under the pin dir"

out=$(bw_b flush ruleset 2>&1)
rc=$?
[ "$rc" -eq 0 ] && t_ok "flush ruleset: exit 0" || t_bad "flush ruleset: exit $rc: $out"
links=$(in_b ip -d link show)
if printf '%s\n' "$links" | grep -q xdp; then
	t_bad "after flush: ip -d link still shows xdp:"
	printf '%s\n' "$links"
else
	t_ok "after flush: ip -d link shows no xdp"
fi
if command -v tc >/dev/null 2>&1; then
	if in_b tc filter show dev "$VETH_B" egress 2>/dev/null | grep -q bpf; then
		t_bad "after flush: a tc egress bpf filter remains"
	else
		t_ok "after flush: no tc egress bpf filter"
	fi
fi
t_check "after flush: ping from $IP_A2 passes" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "after flush: TCP to 8080 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check "after flush: TCP to 9090 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 9090
left=$(comm -13 <(printf '%s\n' "$pins0") <(pins))
[ -z "$left" ] && t_ok "after flush: nothing of bpfwall's left in the pin dir" ||
	t_bad "after flush: left in the pin dir: $left"
out=$(bw_b flush ruleset 2>&1)
rc=$?
[ "$rc" -eq 0 ] && t_ok "a second flush: exit 0" || t_bad "a second flush: exit $rc: $out"
out=$(bw_b -f "$rules" 2>&1)
[ $? -eq 0 ] && t_ok "loads again after flush" || t_bad "cannot load again after flush: $out"
t_check_not "reloaded: ping from $IP_A2 dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_done
