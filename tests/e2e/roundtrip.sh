#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `list ruleset` output loads again with -f and lists the same (chain
# comments included); nft accepts it too (checked in a throwaway
# namespace).
T_NAME=rtrip
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

rules=$(t_rules rt.conf <<'EOF2'
define web = { 80, 443, 8000-8080 }
table netdev edge {
	chain in {
		type filter hook ingress device "@VETH_B@" priority -5; policy accept;
		ip saddr 192.0.2.66 ip protocol icmp counter drop
		ip saddr { 198.51.100.0/24, 203.0.113.1-203.0.113.9 } drop
		tcp dport $web counter accept
		udp dport != 53 ip daddr 192.0.2.99 counter packets 5 bytes 300 drop
	}
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		ip daddr 203.0.113.7 tcp dport 25 counter drop
	}
}
table inet host {
	chain input {
		type filter hook input priority 0; policy accept;
		comment "host input"
		meta l4proto tcp tcp dport 23 counter drop
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_check_not "ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"

list1=$(bw_b list ruleset 2>&1) || t_fatal "list ruleset failed: $list1"
printf '%s\n' "$list1" >"$T_DIR/list1.conf"
printf '%s\n' "$list1"
if printf '%s\n' "$list1" | grep -q 'counter packets [1-9][0-9]* bytes [1-9]'; then
	t_ok "list shows a counter that moved"
else
	t_bad "no counter moved in list output"
fi
if printf '%s\n' "$list1" | grep -A1 -x '	chain input {' | grep -qx '		comment "host input"'; then
	t_ok "list shows the chain's comment"
else
	t_bad "no chain comment in list output"
fi
if printf '%s\n' "$list1" | grep -q 'packets 5 bytes 300'; then
	t_ok "initial counter values are kept"
else
	t_bad "counter packets 5 bytes 300 not in list output"
fi

out=$(bw_b -f "$T_DIR/list1.conf" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then t_ok "list output loads with -f"; else t_bad "list output does not load: $out"; fi
list2=$(bw_b list ruleset 2>&1) || t_bad "second list ruleset failed"
printf '%s\n' "$list2" >"$T_DIR/list2.conf"
if cmp -s "$T_DIR/list1.conf" "$T_DIR/list2.conf"; then
	t_ok "list after reloading the list output is identical"
else
	t_bad "list output changed after the round trip:"
	diff -u "$T_DIR/list1.conf" "$T_DIR/list2.conf"
fi
t_check_not "the reloaded ruleset still drops ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
out=$(bw_b -c -f "$T_DIR/list1.conf" 2>&1)
[ $? -eq 0 ] && t_ok "list output passes -c" || t_bad "list output fails -c: $out"

if command -v nft >/dev/null 2>&1; then
	out=$(timeout 20 unshare -n sh -c "ip link add $VETH_B type veth peer name bwtpeer0 && nft -c -f '$T_DIR/list1.conf'" 2>&1)
	[ $? -eq 0 ] && t_ok "nft -c accepts the list output" || t_bad "nft -c rejects the list output: $out"
fi
t_done
