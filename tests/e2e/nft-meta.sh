#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The meta keys only nf_tables reads (iifgroup, iiftype, cpu, day, hour,
# time, priority, protocol), with traffic: in namespace b an input chain
# that uses them is handed to nf_tables; a connects to one TCP port per
# rule, and each port answers or not as the rule's key says of that
# packet (b's veth is in device group 7, an Ethernet device; the packets
# are IPv4, of priority 0, received now).  An hour range that crosses
# midnight is inverted as nft does.  nft lists the chain in table
# bpfwall; the same file through nft -f gives the same flows.  Both run in
# a time zone two hours east of UTC (TZ=XST-2): nft and bpfwall turn local
# hours and dates into UTC when they load, and the kernel compares UTC.
T_NAME=nftmeta
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
export TZ=XST-2
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
ip -n "$NS_B" link set dev "$VETH_B" group 7 || t_fatal "ip link set group 7"

# local times: a range that holds now, from an hour before to half an
# hour after, and one that does not, from one to two hours after (either
# may cross midnight); each 30 minutes or more from its ends, and either
# moved by the zone's two hours (a conversion missed or the wrong way)
# gives the other answer
now=$((10#$(date +%H) * 60 + 10#$(date +%M)))
hm() { local m=$((($1 % 1440 + 1440) % 1440)); printf '%02d:%02d' $((m / 60)) $((m % 60)); }
h2=$(hm $((now - 60)))
h3=$(hm $((now + 30)))
h4=$(hm $((now + 60)))
h5=$(hm $((now + 120)))

rules=$(t_rules meta.conf <<EOF2
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 5001 iifgroup 7 counter drop
		tcp dport 5002 iifgroup != 7 counter drop
		tcp dport 5003 meta iiftype ether counter drop
		tcp dport 5004 meta iiftype loopback counter drop
		tcp dport 5005 meta cpu 0-4095 counter drop
		tcp dport 5006 meta day { "Sunday", 1-6 } counter drop
		tcp dport 5007 meta time > "2001-01-01 00:00" counter drop
		tcp dport 5008 meta time < "2001-01-01 00:00" counter drop
		tcp dport 5009 meta hour "$h2"-"$h3" counter drop
		tcp dport 5010 meta hour "$h4"-"$h5" counter drop
		tcp dport 5011 meta priority none counter drop
		tcp dport 5012 meta protocol ip6 counter drop
		tcp dport 5013 meta protocol ip counter drop
	}
}
EOF2
)
ports="5001 5002 5003 5004 5005 5006 5007 5008 5009 5010 5011 5012 5013"
for p in $ports; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

battery()
{
	local p
	for p in $ports; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
}
want="tcp-5001 0
tcp-5002 1
tcp-5003 0
tcp-5004 1
tcp-5005 0
tcp-5006 0
tcp-5007 0
tcp-5008 1
tcp-5009 0
tcp-5010 1
tcp-5011 0
tcp-5012 1
tcp-5013 0"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f meta.conf: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "nf_tables' meta keys decide the flows: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "tcp dport 5001 iifgroup 7 counter" | cut -d' ' -f1)
t_check "the iifgroup 7 rule counted 5001's SYNs (${c:-none})" test "${c:-0}" -ge 1
for line in 'iifgroup != 7' 'meta iiftype ether' 'meta cpu 0-4095' \
	'meta day { "Sunday", "Monday"-"Saturday" }' 'meta time > "2001-01-01 00:00:00"' \
	"meta hour \"$h2\"-\"$h3\"" 'meta priority none' 'meta protocol ip6'; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"iifgroup 7"*"meta iiftype ether"*"meta cpu 0-4095"*"meta priority none"*)
	t_ok "nft lists the chain in table inet bpfwall" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f meta.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same flows ($(echo $nft_got))" test "$nft_got" = "$got"
t_done
