#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nat maps whose values are ranges and prefixes (NFT_NAT's min and max
# registers from one lookup), with traffic through a router: namespace r
# routes between a (192.0.2.0/24) and b (198.51.100.0/24) and translates
#   - port 8100 from A: dnat to the range B-B2 . 83-84 (an address range and
#     a port range from one map value; b answers on both addresses and
#     ports, saying which port)
#   - port 8101 from A2: dnat to the prefix B/31 (.2 or .3, which is
#     b's too), the port kept
#   - port 85 to B from A: snat to the range S1-S2 (r's addresses on b's
#     side; b's server says the peer it saw)
#   - port 86 to B from A2: snat ip prefix to (NETMAP) 192.0.2.0/24 :
#     198.51.100.0/24, so 192.0.2.66 becomes 198.51.100.66
#   - port 8103: dnat by iifname . ip saddr with ranges and prefixes in
#     that key (a's /26 to B2, the .64/26 where A2 is to B-.3)
#   - port 8200 over IPv6: dnat ip6 to an address . port range
# and a flow that no map element takes (8102) is refused by r.  The same
# file through `nft -f` (nft as the oracle) gives the same flows, but for
# the IPv6 rule, which nft 1.0.6 cannot load (an IPv6 address . port range
# map: its own register layout fails); bpfwall's is checked on its own.
T_NAME=nftnatrange
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
IP_B2=198.51.100.4
S1=198.51.100.250
S2=198.51.100.252
NETMAPPED=198.51.100.66
IP6_B2=2001:db8:2::4
ip -n "$NS_B" addr add "$IP_B2/24" dev "$VETH_B"
ip -n "$NS_B" addr add 198.51.100.3/24 dev "$VETH_B"
ip -n "$NS_B" addr add "$IP6_B2/64" dev "$VETH_B" nodad
for a in "$S1" 198.51.100.251 "$S2" "$NETMAPPED"; do
	ip -n "$NS_R" addr add "$a/32" dev "$VETH_RB"
done

v4=$(cat <<EOF2
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $IP_RA tcp dport 8100 dnat ip to ip saddr . tcp dport map { $IP_A . 8100 : $IP_B-$IP_B2 . 83-84 }
		ip daddr $IP_RA tcp dport 8101 dnat ip to ip saddr map { $IP_A2 : 198.51.100.2/31 }
		ip daddr $IP_RA tcp dport 8103 dnat ip to iifname . ip saddr map { "$VETH_RA" . 192.0.2.0/26 : $IP_B2/32, "$VETH_RA" . 192.0.2.64-192.0.2.127 : $IP_B-198.51.100.3 }
	}

	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		ip daddr $IP_B tcp dport 85 snat ip to ip saddr map { $IP_A : $S1-$S2 }
		ip daddr $IP_B tcp dport 86 snat ip prefix to ip saddr map { 192.0.2.0/24 : 198.51.100.0/24 }
	}
}
EOF2
)
v6=$(cat <<EOF2
table ip6 nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip6 daddr $IP6_RA dnat ip6 to ip6 saddr . tcp dport map { $IP6_A . 8200 : $IP6_B-$IP6_B2 . 87-88 }
	}
}
EOF2
)
rules=$(t_rules natrange.conf <<<"$v4
$v6")
rules4=$(t_rules natrange4.conf <<<"$v4")

for a in "$IP_B" 198.51.100.3 "$IP_B2"; do
	for p in 83 84 8101; do
		t_tcp_server "$NS_B" "$a" "$p"
	done
done
ip -n "$NS_B" addr add 2001:db8:2::3/64 dev "$VETH_B" nodad
for a in "$IP6_B" 2001:db8:2::3 "$IP6_B2"; do
	for p in 87 88; do
		t_tcp_server "$NS_B" "$a" "$p"
	done
done
# the servers on 8103 say their own address (bounded as t_tcp_server's)
for a in "$IP_B" 198.51.100.3 "$IP_B2"; do
	timeout 100 ip netns exec "$NS_B" socat "TCP4-LISTEN:8103,bind=$a,fork,reuseaddr" \
		"SYSTEM:echo at $a" >/dev/null 2>&1 &
	T_PIDS+=($!)
done
# the servers that say which peer they saw (bounded as t_tcp_server's)
for p in 85 86; do
	timeout 100 ip netns exec "$NS_B" socat "TCP4-LISTEN:$p,bind=$IP_B,fork,reuseaddr" \
		SYSTEM:'echo peer $SOCAT_PEERADDR' >/dev/null 2>&1 &
	T_PIDS+=($!)
done
for i in $(seq 1 50); do
	[ "$(ip netns exec "$NS_B" ss -Hltn 2>/dev/null | grep -cE " $IP_B:(85|86) ")" = 2 ] && break
	sleep 0.1
done

# greets_to NS SRC DST PORT PATTERN: b's address that answered matches
# PATTERN (b's servers on 8103 say their address)
greets_to()
{
	local out
	out=$(timeout 5 ip netns exec "$1" socat -u \
		"TCP4:$3:$4,bind=$2,connect-timeout=2" - 2>/dev/null) || return 1
	grep -qxE "at $5" <<<"$out"
}

# greets NS SRC DST PORT PATTERN: the answer matches PATTERN (grep -E)
greets()
{
	local out proto=TCP4 dst=$3 src=$2
	case $3 in *:*) proto=TCP6 dst="[$3]" src="[$2]" ;; esac
	out=$(timeout 5 ip netns exec "$1" socat -u \
		"$proto:$dst:$4,bind=$src,connect-timeout=2" - 2>/dev/null) || return 1
	grep -qxE "$5" <<<"$out"
}

FLOWS=(
	"dnat-range-8100 1 greets $NS_A $IP_A $IP_RA 8100 bw-hello_(83|84)"
	"dnat-prefix-8101 1 greets $NS_A $IP_A2 $IP_RA 8101 bw-hello_8101"
	"not-in-map-8102 0 greets $NS_A $IP_A $IP_RA 8102 bw-hello_(83|84)"
	"concat-range-key-8103 1 greets_to $NS_A $IP_A $IP_RA 8103 $IP_B2"
	"concat-range-key2-8103 1 greets_to $NS_A $IP_A2 $IP_RA 8103 198\\.51\\.100\\.(2|3)"
	"snat-range-85 1 greets $NS_A $IP_A $IP_B 85 peer_198\\.51\\.100\\.25(0|1|2)"
	"snat-netmap-86 1 greets $NS_A $IP_A2 $IP_B 86 peer_198\\.51\\.100\\.66"
)
# (the patterns' blanks are written _: FLOWS entries split on blanks;
# no glob characters in them, t_flows runs them unquoted)
greets_() { greets "$1" "$2" "$3" "$4" "${5//_/ }"; }
for i in "${!FLOWS[@]}"; do
	FLOWS[i]=${FLOWS[i]/ greets / greets_ }	# (greets_to: no blanks)
done

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f natrange.conf: $out"
bw_results=$(t_flows)
t_flows_as_said bpfwall "$bw_results"
t_check "bpfwall: the IPv6 dnat to an address . port range answers on 87 or 88" \
	greets "$NS_A" "$IP6_A" "$IP6_RA" 8200 "bw-hello (87|88)"
list=$(bw_r list ruleset 2>&1)
for line in "dnat ip to ip saddr . tcp dport map { $IP_A . 8100 : $IP_B-$IP_B2 . 83-84 }" \
	"dnat ip to ip saddr map { $IP_A2 : 198.51.100.2/31 }" \
	"snat ip to ip saddr map { $IP_A : $S1-$S2 }" \
	"snat ip prefix to ip saddr map { 192.0.2.0/24 : 198.51.100.0/24 }" \
	"dnat ip6 to ip6 saddr . tcp dport map { $IP6_A . 8200 : $IP6_B-$IP6_B2 . 87-88 }"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_r nft list ruleset 2>&1)
case $nftlist in
*"snat ip prefix to ip saddr map { 192.0.2.0/24 : 198.51.100.0/24 }"*"dnat ip6 to ip6 saddr . tcp dport map { $IP6_A . 8200 : $IP6_B-$IP6_B2 . 87-88 }"*)
	t_ok "nft lists bpfwall's nat maps of ranges and prefixes" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
out=$(bw_r flush ruleset 2>&1) || t_fatal "flush: $out"

t_flows_nft_oracle "$rules4" "IPv4 flow" "$bw_results"
t_done
