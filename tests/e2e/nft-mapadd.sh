#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Rules that add to a named map of data, with traffic: in namespace b, a
# prerouting chain (handed to nf_tables with the maps: it adds to them)
# adds a's address with the value 0x42 when a connects to TCP port 5001;
# later, a's SYNs to port 5002 get their mark from the map (meta mark set
# ip saddr map @seen) and a rule drops them by that mark.  Before the
# add, 5002 answers (the lookup finds nothing, the mark stays 0).  A map
# with a size (the kernel's fixed-size hash cannot take rules' adds:
# bpfwall sends it with NFT_SET_EVAL) and a map of an IPv6 key (the value
# in register 3) load too.  nft lists the element the kernel holds; the
# same file through nft -f (without the sized map and the IPv6 one, which
# nft 1.0.6 cannot load) gives the same flows.
T_NAME=nftmapadd
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

conf()
{
	cat <<EOF2
table inet t {
	map seen {
		type ipv4_addr : mark
	}
$1
	map six {
		type ipv6_addr . inet_service : mark
	}

	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5001 add @seen { ip saddr : 0x00000042 }
$2
		add @six { ip6 saddr . tcp dport : meta mark }
		tcp dport 5002 meta mark set ip saddr map @seen
		meta mark 0x00000042 tcp dport 5002 counter drop
	}

	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 5003 counter accept
	}
}
EOF2
}
rules=$(conf '	map sized {
		type ipv4_addr . inet_service : mark
		size 1024
	}
' '		tcp dport 5003 add @sized { ip saddr . tcp dport : ct mark }' |
	t_rules mapadd.conf)
# nft 1.0.6 aborts on the map of an IPv6 key (its register allocation)
nftrules=$(conf '' '' | sed -e '/map six {/,/^	}$/d' -e '/@six/d' |
	t_rules mapadd-nft.conf)

for p in 5001 5002 5003; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

# one connection each, in order: 5002 before the add, 5001 (adds a), 5002
# again, 5003 (adds to the sized map)
battery()
{
	local p
	for p in 5002 5001 5002 5003; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
}
want="tcp-5002 1
tcp-5001 1
tcp-5002 0
tcp-5003 1"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f mapadd.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "a rule's add to @seen makes the later lookup drop: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"elements = { $IP_A : 0x00000042 }"*) t_ok "nft lists the element the rule added to map seen" ;;
*) t_bad "nft lists no element $IP_A : 0x00000042: $nftlist" ;;
esac
case $nftlist in
*"map sized"*"$IP_A . 5003 : 0x00000000"*) t_ok "the sized map took the rule's add" ;;
*) t_bad "the sized map lacks $IP_A . 5003: $nftlist" ;;
esac
case $nftlist in
*"add @six { ip6 saddr . tcp dport : meta mark }"*) t_ok "the map of an IPv6 key is loaded with its rule" ;;
*) t_bad "nft lists no add @six rule: $nftlist" ;;
esac
case $nftlist in
*"chain input"*) t_bad "the input chain went to nf_tables too" ;;
*) t_ok "the input chain stays in BPF" ;;
esac
list=$(bw_b list ruleset 2>&1)
case $list in
*"tcp dport 5001 add @seen { ip saddr : 0x00000042 }"*) t_ok "list ruleset: the add with its value" ;;
*) t_bad "list ruleset lacks the add: $list" ;;
esac
c=$(list_counter "$list" "meta mark 0x00000042 tcp dport 5002 counter" | cut -d' ' -f1)
t_check "the drop by the map's mark counted 5002's SYNs (${c:-none})" test "${c:-0}" -ge 1
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5002 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5002

out=$(in_b nft -f "$nftrules" 2>&1) || t_fatal "nft -f mapadd-nft.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same flows ($(echo $nft_got))" test "$nft_got" = "$got"
t_done
