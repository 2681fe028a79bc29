#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Value expressions in set statements, with traffic: in namespace b, a
# prerouting chain (priority mangle, handed to nf_tables) gives what a
# sends a mark computed from the packet: (meta mark | 0x1) << 4 for TCP
# port 5001 (0x10); a lookup of ip saddr in a map for 5002 (a's address:
# 0x20) and 5003 (not in the map: the catch-all, 0x30); jhash of ip saddr
# mod 1 offset 0x40 for 5004; numgen inc mod 1 offset 0x50 for 5005.  The
# input chain runs in BPF at the netfilter hook and drops by mark, but
# accepts 5004 by its mark 0x40: so only 5004 answers, and each rule's
# counter says it saw its mark.  Port 5006 takes its mark from the named
# map marks (a's address: 0x60), which the input chain accepts.  The same
# file through nft -f gives the same flows.
T_NAME=nftvalexpr
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules valexpr.conf <<EOF2
table inet mangle {
	map marks {
		type ipv4_addr : mark
		elements = { $IP_A : 0x60, 203.0.113.9 : 0x70 }
	}
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5001 meta mark set (meta mark | 0x1) << 4
		tcp dport 5002 meta mark set ip saddr map { $IP_A : 0x20, * : 0x30 }
		tcp dport 5003 meta mark set ip saddr map { 203.0.113.9 : 0x20, * : 0x30 }
		tcp dport 5004 meta mark set jhash ip saddr mod 1 offset 0x40
		tcp dport 5005 meta mark set numgen inc mod 1 offset 0x50
		tcp dport 5006 meta mark set ip saddr map @marks
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x10 counter drop
		meta mark 0x20 counter drop
		meta mark 0x30 counter drop
		meta mark 0x50 counter drop
		meta mark 0x40 tcp dport 5004 counter accept
		tcp dport 5004 counter drop
		meta mark 0x60 tcp dport 5006 counter accept
		tcp dport 5006 counter drop
	}
}
EOF2
)

for p in 5001 5002 5003 5004 5005 5006; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

battery()
{
	local p
	for p in 5001 5002 5003 5004 5005 5006; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
}
want="tcp-5001 0
tcp-5002 0
tcp-5003 0
tcp-5004 1
tcp-5005 0
tcp-5006 1"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f valexpr.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "marks computed in nf_tables decide at the BPF input chain: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
for m in 10 20 30 50; do
	c=$(list_counter "$list" "meta mark 0x000000$m counter" | cut -d' ' -f1)
	t_check "the meta mark 0x$m rule (BPF) dropped SYNs (${c:-none})" test "${c:-0}" -ge 1
done
c=$(list_counter "$list" "meta mark 0x00000040 tcp dport 5004 counter" | cut -d' ' -f1)
t_check "the meta mark 0x40 rule accepted 5004 (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "meta mark 0x00000060 tcp dport 5006 counter" | cut -d' ' -f1)
t_check "the meta mark 0x60 rule accepted 5006, marked from @marks (${c:-none})" test "${c:-0}" -ge 1
for line in "tcp dport 5001 meta mark set (meta mark | 0x00000001) << 4" \
	"tcp dport 5002 meta mark set ip saddr map { $IP_A : 0x00000020, * : 0x00000030 }" \
	"tcp dport 5004 meta mark set jhash ip saddr mod 1 offset 64" \
	"tcp dport 5005 meta mark set numgen inc mod 1 offset 80" \
	"tcp dport 5006 meta mark set ip saddr map @marks" \
	"elements = { $IP_A : 0x00000060, 203.0.113.9 : 0x00000070 }"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"meta mark set (meta mark | 0x00000001) << 4"*"map {"*"jhash ip saddr mod 1 offset 64"*"numgen inc mod 1 offset 80"*)
	t_ok "nft lists the value expressions in table inet bpfwall" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f valexpr.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same flows" test "$nft_got" = "$got"
t_done
