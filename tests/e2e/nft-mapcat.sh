#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Maps whose values are concatenations (compiler/front/mapcat.c), with
# traffic: in namespace b, a prerouting chain (handed to nf_tables with the
# maps it adds to) adds a's address with the value 198.51.100.9 . 8080
# when a connects to TCP port 5001, and a's address and port with an
# IPv6 address . port value (20 bytes, nft 1.0.6 aborts on it) to another
# map.  nft lists the elements the kernel holds, the declared elements
# too; the same file through nft -f (without the IPv6 value) holds the
# same element.
T_NAME=nftmapcat
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

conf()
{
	cat <<EOF2
table inet t {
	map gw {
		type ipv4_addr : ipv4_addr . inet_service
		elements = { 203.0.113.7 : 198.51.100.7 . 80 }
	}
$1
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5001 add @gw { ip saddr : 198.51.100.9 . 8080 }
$2
	}
}
EOF2
}
rules=$(conf '	map gw6 {
		type ipv4_addr . inet_service : ipv6_addr . inet_service
	}
' '		tcp dport 5001 add @gw6 { ip saddr . tcp dport : 2001:db8::9 . 443 }' |
	t_rules mapcat.conf)
nftrules=$(conf '' '' | t_rules mapcat-nft.conf)

t_tcp_server "$NS_B" "$IP_B" 5001

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f mapcat.conf: $out"
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"$IP_A : 198.51.100.9 . 8080"*) t_bad "an element before any traffic: $nftlist" ;;
*) t_ok "no element of a before it connects" ;;
esac
t_check "a connects to 5001" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001 1
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"203.0.113.7 : 198.51.100.7 . 80"*"$IP_A : 198.51.100.9 . 8080"* | \
*"$IP_A : 198.51.100.9 . 8080"*"203.0.113.7 : 198.51.100.7 . 80"*)
	t_ok "nft lists the declared element and the one the rule added to map gw" ;;
*) t_bad "map gw lacks an element: $nftlist" ;;
esac
case $nftlist in
*"$IP_A . 5001 : 2001:db8::9 . 443"*) t_ok "the IPv6 address . port value (20 bytes) was added" ;;
*) t_bad "map gw6 lacks $IP_A . 5001: $nftlist" ;;
esac
list=$(bw_b list ruleset 2>&1)
case $list in
*"tcp dport 5001 add @gw { ip saddr : 198.51.100.9 . 8080 }"*) t_ok "list ruleset: the add with its value" ;;
*) t_bad "list ruleset lacks the add: $list" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"

out=$(in_b nft -f "$nftrules" 2>&1) || t_fatal "nft -f mapcat-nft.conf: $out"
t_check "a connects to 5001 (nft -f)" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001 1
nftlist=$(in_b nft list map inet t gw 2>&1)
in_b nft flush ruleset
case $nftlist in
*"$IP_A : 198.51.100.9 . 8080"*) t_ok "nft -f of the same file adds the same element" ;;
*) t_bad "nft -f: map gw lacks the element: $nftlist" ;;
esac
t_done
