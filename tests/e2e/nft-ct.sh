#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Conntrack keys that nf_tables reads (ct mark, zone, l3proto, protocol,
# the original and reply tuples' addresses and ports, bytes, packets,
# avgpkt, helper, label, direction, status), with real connections: in
# namespace b an input chain with policy drop lets connections in or not
# by their conntrack entry, a prerouting chain gives those to port 5005
# ct mark 0x20 and those to 5010 ct label 9, a raw one those to 5009
# ct zone 7 (each dropped at input by that key).  The same file goes through bpfwall (which hands the
# chains to nf_tables in its own table) and through nft -f: the same
# flows, the same counters on the UDP rule, and nft lists bpfwall's rules
# exactly as it lists its own (but ct original daddr after meta nfproto
# ipv4, nft's generic key, which bpfwall hands over as ct original ip
# daddr: checked on its own).
T_NAME=nftct
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

rules=$(t_rules ct.conf <<'EOF2'
table inet filter {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5005 ct mark set 0x00000020
		tcp dport 5010 ct label set 9
	}
	chain raw {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 5009 ct zone set 7
	}
	chain input {
		type filter hook input priority filter; policy drop;
		meta l4proto tcp ct original ip saddr 192.0.2.1 ct original proto-dst 5001 counter drop
		meta l4proto udp ct protocol 17 ct original proto-dst 5003 counter drop
		ct mark 0x00000020 counter drop
		ct zone 7 counter drop
		ct label 9 counter drop
		meta l4proto tcp ct reply ip daddr 192.0.2.1 ct reply proto-src 5002 counter accept
		meta l4proto tcp ct l3proto ipv4 ct original ip daddr 192.0.2.2 ct zone 0 ct original packets 1-1000 ct bytes 1-1000000 ct avgpkt 1-2000 ct original proto-dst 5004 counter accept
		meta nfproto ipv4 meta l4proto tcp ct original daddr 192.0.2.2 ct reply saddr 192.0.2.2 ct original proto-dst 5007 counter accept
		meta l4proto tcp ct original ip6 saddr 2001:db8:1::1 ct reply ip6 saddr 2001:db8:1::2 ct original proto-dst 5008 counter accept
		ct helper "ftp" counter accept
		ct label 5 counter accept
		ct direction reply counter accept
		meta l4proto tcp ct reply proto-src { 5006, 5010 } counter accept
		ct status dnat counter accept
		ct original zone 1 counter accept
		ct id 0 counter accept
	}
}
EOF2
)

for p in 5001 5002 5004 5005 5006 5007 5009 5010; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done
t_tcp_server "$NS_B" "$IP6_B" 5008
t_udp_server "$NS_B" "$IP_B" 5003

battery()
{
	local p
	for p in 5001 5002 5004 5005 5006 5007 5009 5010; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
	if tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5008 1; then echo "tcp6-5008 1"; else echo "tcp6-5008 0"; fi
	if udp_from "$NS_A" "$IP_A" "$IP_B" 5003; then echo "udp-5003 1"; else echo "udp-5003 0"; fi
}
want="tcp-5001 0
tcp-5002 1
tcp-5004 1
tcp-5005 0
tcp-5006 1
tcp-5007 1
tcp-5009 0
tcp-5010 0
tcp6-5008 1
udp-5003 0"

# the rule lines of an nft listing, counters cut off
rule_lines()
{
	sed -n 's/^[[:space:]]*\(ct .*\|meta nfproto .*\|meta l4proto .*\|tcp dport .*\)$/\1/p' | sort | sed 's/ counter packets [0-9]* bytes [0-9]*/ counter/'
}

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f ct.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "flows decided by conntrack keys in nf_tables: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
udp_bw=$(list_counter "$list" "ct original proto-dst 5003 counter" | cut -d' ' -f1)
t_check "the udp 5003 rule dropped the one datagram (${udp_bw:-none})" test "${udp_bw:-0}" -eq 1
c=$(list_counter "$list" "ct mark 0x00000020 counter" | cut -d' ' -f1)
t_check "ct mark 0x20 dropped 5005's SYNs (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "ct zone 7 counter" | cut -d' ' -f1)
t_check "ct zone 7 dropped 5009's SYNs, zoned at raw prerouting (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "ct label 9 counter" | cut -d' ' -f1)
t_check "ct label 9 dropped 5010's SYNs, labelled at prerouting (${c:-none})" test "${c:-0}" -ge 1
for r in "ct helper \"ftp\" counter" "ct label 5 counter" "ct direction reply counter"; do
	c=$(list_counter "$list" "$r" | cut -d' ' -f1)
	t_check "$r matched nothing (${c:-none})" test "${c:-x}" = 0
done
nftlist=$(in_b nft list table inet bpfwall 2>&1)
bw_rules=$(printf '%s\n' "$nftlist" | rule_lines)
t_check "nft lists the input chain in table inet bpfwall" test -n "$bw_rules"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

in_b conntrack -F >/dev/null 2>&1
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f ct.conf: $out"
nft_got=$(battery)
nft_list=$(in_b nft list ruleset 2>&1)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same flows" test "$nft_got" = "$got"
udp_nft=$(list_counter "$nft_list" "ct original proto-dst 5003 counter" | cut -d' ' -f1)
t_check "and the same count on the udp rule (nft ${udp_nft:-none}, bpfwall ${udp_bw:-none})" \
	test "${udp_nft:-x}" = "${udp_bw:-y}"
# nft 1.0.6 lists the elements of its own anonymous set on ct reply
# proto-src as "0x138e [invalid type]"; bpfwall's as the ports: that rule
# is compared on its own
nft_rules=$(printf '%s\n' "$nft_list" | rule_lines | grep -v 'proto-src {')
case $bw_rules in
*"meta l4proto tcp ct reply proto-src { 5006, 5010 } counter"*)
	t_ok "nft lists bpfwall's set of ct reply proto-src" ;;
*) t_bad "nft lists no set of ct reply proto-src: $bw_rules" ;;
esac
bw_rules=$(printf '%s\n' "$bw_rules" | grep -v 'proto-src {')
# nft loads ct original daddr (the generic key, NFT_CT_DST) after its
# meta nfproto and lists that pair as ct original ip daddr; bpfwall loads
# ct original ip daddr (NFT_CT_DST_IP, the same bytes of an IPv4 entry)
# and keeps the meta nfproto, which nft then lists
case $bw_rules in
*"meta nfproto ipv4 meta l4proto tcp ct original ip daddr 192.0.2.2 ct reply ip saddr 192.0.2.2 ct original proto-dst 5007 counter accept"*)
	t_ok "nft lists bpfwall's ct original daddr after meta nfproto ipv4" ;;
*) t_bad "nft lists no ct original ip daddr ... 5007 rule of bpfwall's: $bw_rules" ;;
esac
nft_rules=$(printf '%s\n' "$nft_rules" | grep -v 'proto-dst 5007 ')
bw_rules=$(printf '%s\n' "$bw_rules" | grep -v 'proto-dst 5007 ')
if [ "$nft_rules" = "$bw_rules" ]; then
	t_ok "nft lists bpfwall's rules as it lists its own"
else
	t_bad "nft lists bpfwall's rules differently:
$(diff <(printf '%s\n' "$nft_rules") <(printf '%s\n' "$bw_rules"))"
fi
t_done
