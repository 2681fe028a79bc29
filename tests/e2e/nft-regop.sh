#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# & | ^ with a field on the right in a set statement's value (newer nft's
# bitwise of two registers: the kernel's NFT_BITWISE_AND, OR, XOR with
# NFTA_BITWISE_SREG2, which libnftnl 1.2 cannot write and bpfwall mends
# into the rule message), with traffic: in namespace b a prerouting chain
# (priority mangle, handed to nf_tables) computes marks from the ct mark,
# the meta mark and ip dscp of what a sends:
#   5011: ct mark 0x12340000, meta mark 0xab00, then
#         meta mark set ct mark and 0xffff0000 or meta mark and 0xffff
#   5012 (sent with dscp 8): ct mark set ct mark | ip dscp | 0x200, then
#         meta mark set ct mark (0x208)
#   5013: meta mark 0xf0, ct mark 0x0f, meta mark set meta mark ^ ct mark
#   5014: meta mark 0xff, ct mark 0x3c, meta mark set meta mark & ct mark
#   5015: meta mark 0x10000, meta mark set meta mark | iif (b's veth's
#         interface index in the low bits)
# The input chain runs in BPF and accepts each port only with the mark it
# should have: all four answer, and each accept rule's counter says so.
# nft 1.0.6 (this machine's) can neither load nor list these forms, so it
# is no oracle here: the marks are the check.
T_NAME=nftregop
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair
IDX_B=$(ip netns exec "$NS_B" cat "/sys/class/net/$VETH_B/ifindex") ||
	t_fatal "no interface index of $VETH_B"
MARK15=$(printf '0x%08x' $((0x10000 | IDX_B)))

rules=$(t_rules regop.conf <<EOF2
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5011 ct mark set 0x12340000
		tcp dport 5011 meta mark set 0xab00
		tcp dport 5011 meta mark set ct mark and 0xffff0000 or meta mark and 0xffff
		tcp dport 5012 ct mark set ct mark | ip dscp | 0x200 counter
		tcp dport 5012 meta mark set ct mark
		tcp dport 5013 meta mark set 0xf0
		tcp dport 5013 ct mark set 0x0f
		tcp dport 5013 meta mark set meta mark ^ ct mark
		tcp dport 5014 meta mark set 0xff
		tcp dport 5014 ct mark set 0x3c
		tcp dport 5014 meta mark set meta mark & ct mark
		tcp dport 5015 meta mark set 0x10000
		tcp dport 5015 meta mark set meta mark | iif
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x1234ab00 tcp dport 5011 counter accept
		meta mark 0x208 tcp dport 5012 counter accept
		meta mark 0xff tcp dport 5013 counter accept
		meta mark 0x3c tcp dport 5014 counter accept
		meta mark $MARK15 tcp dport 5015 counter accept
		tcp dport { 5011, 5012, 5013, 5014, 5015 } counter drop
	}
}
EOF2
)

for p in 5011 5012 5013 5014 5015; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

# tcp_tos PORT TOS: a connection from a with that TOS byte, greeted
tcp_tos()
{
	local out
	out=$(timeout 5 ip netns exec "$NS_A" socat -u \
		"TCP4:$IP_B:$1,bind=$IP_A,connect-timeout=2,tos=$2" - 2>/dev/null) || return 1
	[ "$out" = "bw-hello $1" ]
}

battery()
{
	local p tos
	for p in 5011 5012 5013 5014 5015; do
		tos=0
		[ "$p" = 5012 ] && tos=32	# dscp 8
		if tcp_tos "$p" "$tos"; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
}
want="tcp-5011 1
tcp-5012 1
tcp-5013 1
tcp-5014 1
tcp-5015 1"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f regop.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "marks from two registers decide at the BPF input chain: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
for r in "meta mark 0x1234ab00 tcp dport 5011 counter" "meta mark 0x00000208 tcp dport 5012 counter" \
	"meta mark 0x000000ff tcp dport 5013 counter" "meta mark 0x0000003c tcp dport 5014 counter" \
	"meta mark $MARK15 tcp dport 5015 counter"; do
	c=$(list_counter "$list" "$r" | cut -d' ' -f1)
	t_check "$r accepted (${c:-none})" test "${c:-0}" -ge 1
done
c=$(list_counter "$list" "tcp dport { 5011, 5012, 5013, 5014, 5015 } counter" | cut -d' ' -f1)
t_check "no packet of these ports came with another mark (${c:-none})" test "${c:-x}" = 0
for line in "meta mark set ct mark & 0xffff0000 | meta mark & 0x0000ffff" \
	"ct mark set ct mark | ip dscp | 0x00000200 counter" \
	"meta mark set meta mark ^ ct mark" "meta mark set meta mark & ct mark" \
	"meta mark set meta mark | iif"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_done
