#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Byte rate limits and quotas in a netdev table, run in BPF (XDP at
# ingress, TC at egress), with traffic, against nft -f of the same file:
# namespace a sends 901-byte datagrams (929 bytes of IP: skb->len at
# netdev ingress) to b, one at a time, each answered with 14 bytes (56
# bytes of frame: skb->len at netdev egress).
#   5005 quota over 2000 bytes: drops from the third on (1858, then 2787)
#   5006 quota 10 kbytes (counts only: 2787 bytes of three), then
#        limit rate over 1 kbytes/minute: the bucket holds a minute's
#        1024 bytes, the first takes 907 of it, the next ones are over
#   5007 limit rate 1 kbytes/minute burst 2000 bytes: three fit in the
#        bucket of 3024 bytes, the fourth does not
#   5008 (b's answers, at egress) quota over 100 bytes: the second answer
#        makes 112 bytes of frame (were it 42 of IP, 84, it would pass)
# Tolerance: none.  The rates refill 17 bytes a second, the battery
# takes far less than the 50 s a 929-byte datagram would need.
# list ruleset shows the quotas' counts as nft does ("used N bytes", no
# more than the quota).
T_NAME=nftbytesnd
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules bytes-netdev.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		udp dport 5005 quota over 2000 bytes counter drop
		udp dport 5006 quota 10 kbytes
		udp dport 5006 limit rate over 1 kbytes/minute counter drop
		udp dport 5007 limit rate 1 kbytes/minute burst 2000 bytes counter accept
		udp dport 5007 counter drop
	}
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		udp sport 5008 quota over 100 bytes counter drop
	}
}
EOF2
)
for p in 5005 5006 5007 5008; do
	t_udp_server "$NS_B" "$IP_B" "$p"
done

# big PORT: one 901-byte datagram, its answer (3 s: the servers answer
# for 100 s, both batteries must fit)
big()
{
	local out
	out=$( (printf '%0900d\n' 0) | timeout 6 ip netns exec "$NS_A" socat -t 3 -T 3 - \
		"UDP4:$IP_B:$1,bind=$IP_A" 2>/dev/null) || return 1
	[ "$out" = "bw-hello $1" ]
}
battery()
{
	local p i n
	for p in 5005 5006 5007 5008; do
		n=3
		[ "$p" = 5007 ] && n=4
		for i in $(seq 1 "$n"); do
			if big "$p"; then printf '%s ' 1; else printf '%s ' 0; fi
		done
		echo "$p"
	done
}
want="1 1 0 5005
1 0 0 5006
1 1 1 0 5007
1 0 0 5008"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f bytes-netdev.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "quotas and byte limits in BPF: $(echo $got)"
else
	t_bad "got $(echo $got), want $(echo $want)"
fi
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "quota over 2000 bytes" | cut -d' ' -f1)
t_check "the quota rule counted the datagram over it (${c:-none})" test "${c:-x}" = 1
case $list in
*"quota over 2000 bytes used 2000 bytes"*"quota 10 kbytes used 2787 bytes"*"quota over 100 bytes used 100 bytes"*)
	t_ok "list ruleset shows the quotas' counts" ;;
*) t_bad "list ruleset does not show the counts: $list" ;;
esac
jl=$(bw_b -j list ruleset 2>&1)
case $jl in
*'"quota": {"val": 10, "val_unit": "kbytes", "used": 2787, "used_unit": "bytes"}'*)
	t_ok "-j list ruleset shows the count as nft's JSON does" ;;
*) t_bad "-j list ruleset: $jl" ;;
esac
relist="$T_DIR/relist.conf"
printf '%s\n' "$list" >"$relist"
out=$(bw_b -c -f "$relist" 2>&1)
t_check "the listing loads again ($out)" test -z "$out"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f bytes-netdev.conf: $out"
nft_got=$(battery)
nft_list=$(in_b nft list table netdev t 2>&1)
nft_jl=$(in_b nft -j list table netdev t 2>&1)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same results ($(echo $nft_got))" test "$nft_got" = "$got"
case $nft_list in
*"quota over 2000 bytes used 2000 bytes"*"quota 10 kbytes used 2787 bytes"*"quota over 100 bytes used 100 bytes"*)
	t_ok "nft lists the same counts" ;;
*) t_bad "nft lists other counts: $nft_list" ;;
esac
case $nft_jl in
*'"quota": {"val": 10, "val_unit": "kbytes", "used": 2787, "used_unit": "bytes"}'*)
	t_ok "nft's JSON of the count is the same" ;;
*) t_bad "nft's JSON: $nft_jl" ;;
esac
t_done
