#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Statements that set a field, with traffic: in namespace b, a prerouting
# chain (priority mangle, handed to nf_tables: it sets marks) marks what
# a sends to TCP port 5001 with meta mark 0x10, and gives the connections
# to port 5002 ct mark 0x20, which a second chain copies into the meta
# mark of every packet of them (meta mark set ct mark); UDP to port 5003
# is not tracked (notrack, at priority raw).  The input chain runs in BPF
# at the netfilter hook and drops by mark: so 5001 and 5002 are refused
# while 5004 answers, and its counters say which rule dropped.  nft lists
# the chains in table bpfwall; the same file through nft -f gives the same
# results.
T_NAME=nftsetf
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules setf.conf <<'EOF2'
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5001 meta mark set 0x10
		tcp dport 5002 ct mark set 0x20
	}
	chain restore {
		type filter hook prerouting priority -140; policy accept;
		tcp dport 5002 meta mark set ct mark
	}
	chain raw {
		type filter hook prerouting priority raw; policy accept;
		udp dport 5003 notrack
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x10 counter drop
		meta mark 0x20 counter drop
		tcp dport 5004 counter accept
	}
}
EOF2
)

for p in 5001 5002 5004; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done
t_udp_server "$NS_B" "$IP_B" 5003

battery()
{
	local p
	for p in 5001 5002 5004; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
	if udp_from "$NS_A" "$IP_A" "$IP_B" 5003; then echo "udp-5003 1"; else echo "udp-5003 0"; fi
}
want="tcp-5001 0
tcp-5002 0
tcp-5004 1
udp-5003 1"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f setf.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "marks set in nf_tables drop at the BPF input chain: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "meta mark 0x00000010 counter" | cut -d' ' -f1)
t_check "the meta mark 0x10 rule (BPF) dropped 5001's SYNs (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "meta mark 0x00000020 counter" | cut -d' ' -f1)
t_check "the meta mark 0x20 rule (BPF) dropped 5002's SYNs, marked from ct mark (${c:-none})" test "${c:-0}" -ge 1
for line in "tcp dport 5001 meta mark set 0x00000010" "tcp dport 5002 ct mark set 0x00000020" \
	"tcp dport 5002 meta mark set ct mark" "udp dport 5003 notrack"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"meta mark set 0x00000010"*"ct mark set 0x00000020"*"meta mark set ct mark"*"notrack"*)
	t_ok "nft lists the chains that set fields in table inet bpfwall" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
case $nftlist in
*"chain input"*) t_bad "the input chain went to nf_tables too" ;;
*) t_ok "the input chain stays in BPF" ;;
esac
# notrack: b's conntrack has no entry whose original direction is the
# datagram to 5003 (the answer, sent at output, has one of its own)
orig_5003()
{
	in_b awk '/udp/ { for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) { if ($i == "dport=5003") f = 1; break } }
		  END { exit !f }' /proc/net/nf_conntrack
}
if in_b test -r /proc/net/nf_conntrack; then
	if orig_5003; then
		t_bad "conntrack tracks UDP to 5003"
	else
		t_ok "conntrack has no entry for UDP to 5003 (notrack)"
	fi
fi
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f setf.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same flows" test "$nft_got" = "$got"
t_done
