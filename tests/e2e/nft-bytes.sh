#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Byte rate limits and quotas, handed to nf_tables with their chain, with
# traffic: namespace a sends 901-byte datagrams (929 bytes of IP) to b.
# `quota over 2000 bytes` drops from the third on (the first two make
# 1858 bytes, the third 2787); `limit rate over 1 kbytes/minute` passes
# the first (a minute's worth is 1024 bytes) and drops the next ones for
# most of a minute.  The input chain that counts the rest stays in BPF.
# The same file through nft -f gives the same results.
T_NAME=nftbytes
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules bytes.conf <<'EOF2'
table inet t {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5005 quota over 2000 bytes counter drop
		udp dport 5006 limit rate over 1 kbytes/minute counter drop
	}
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport { 5005, 5006 } counter accept
	}
}
EOF2
)
t_udp_server "$NS_B" "$IP_B" 5005
t_udp_server "$NS_B" "$IP_B" 5006

# big PORT: one 901-byte datagram, its answer
big()
{
	local out
	out=$( (printf '%0900d\n' 0) | timeout 8 ip netns exec "$NS_A" socat -t 5 -T 5 - \
		"UDP4:$IP_B:$1,bind=$IP_A" 2>/dev/null) || return 1
	[ "$out" = "bw-hello $1" ]
}
battery()
{
	local p i
	for p in 5005 5006; do
		for i in 1 2 3 4; do
			if big "$p"; then printf '%s ' 1; else printf '%s ' 0; fi
		done
		echo "$p"
	done
}
want="1 1 0 0 5005
1 0 0 0 5006"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f bytes.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "quota and byte limit: $(echo $got)"
else
	t_bad "got $(echo $got), want $(echo $want)"
fi
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "quota over 2000 bytes counter" | cut -d' ' -f1)
t_check "the quota rule counted the two datagrams over it (${c:-none})" test "${c:-x}" = 2
c=$(list_counter "$list" "udp dport { 5005, 5006 } counter" | cut -d' ' -f1)
t_check "the BPF input chain counted the three that passed (${c:-none})" test "${c:-x}" = 3
case $(in_b nft list table inet bpfwall 2>&1) in
*"quota over 2000 bytes"*"limit rate over 1 kbytes/minute"*) t_ok "nft lists the quota and the limit" ;;
*) t_bad "nft does not list them" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f bytes.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same results ($(echo $nft_got))" test "$nft_got" = "$got"
t_done
