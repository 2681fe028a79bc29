#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nft's tunnel expression (the kernel's nft_tunnel, netdev only: newer
# than this machine's nft 1.0.6, so no oracle): a netdev chain on b's
# veth that reads tunnel path and tunnel id goes whole to nf_tables'
# netdev family.  The kernel takes the rules (it holds the tunnel loads),
# and a's pings, which carry no tunnel metadata (a veth is no collect_md
# device), count as tunnel path missing, never as exists, and are not
# dropped by tunnel id 10.
T_NAME=nfttunnel
T_TIMEOUT=${T_TIMEOUT:-120}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules tunnel.conf <<'EOF2'
table netdev bwtun {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		tunnel path exists counter
		tunnel path missing icmp type echo-request counter
		tunnel id 10 counter drop
	}
}
EOF2
)

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f tunnel.conf: $out"
held=$(in_b nft --debug=netlink list ruleset 2>&1)
t_check "the kernel holds the tunnel path loads" \
	test "$(printf '%s\n' "$held" | grep -c 'tunnel load path')" = 2
t_check "the kernel holds the tunnel id load" \
	test "$(printf '%s\n' "$held" | grep -c 'tunnel load id')" = 1
ok=0
for _ in 1 2 3; do
	ping_from "$NS_A" "$IP_A" "$IP_B" && ok=$((ok + 1))
done
t_check "pings without tunnel metadata pass ($ok of 3)" test "$ok" = 3
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "tunnel path missing" | cut -d' ' -f1)
t_check "tunnel path missing counted the echo requests (${c:-none})" test "${c:-0}" -ge 3
c=$(list_counter "$list" "tunnel path exists" | cut -d' ' -f1)
t_check "tunnel path exists counted nothing (${c:-none})" test "${c:-x}" = 0
c=$(list_counter "$list" "tunnel id 10" | cut -d' ' -f1)
t_check "tunnel id 10 counted nothing (${c:-none})" test "${c:-x}" = 0
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_done
