#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nat statements with value expressions (compiler/front/valexpr.h), with
# traffic through a router: namespace r routes between a (192.0.2.0/24)
# and b (198.51.100.0/24) and translates with
#   - dnat ip to tcp dport map { 8080 : B . 80, 8081 : B . 81 } (address
#     and port from a map)
#   - dnat to ip saddr map { A : B } for port 8090 (the address only)
#   - dnat to numgen inc mod 1 map { 0 : B } for port 8095
#   - redirect to :tcp dport map { 9000 : 9999 } (r's own port)
# The forward chain (BPF) accepts b's translated ports only.  nft lists the
# rules in table ip bpfwall; the same file through `nft -f` gives the same
# flows (nft as the oracle).
T_NAME=nftnatmap
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
REDIR=203.0.113.51

rules=$(t_rules natmap.conf <<EOF2
table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip daddr $IP_B tcp dport { 80, 81, 8090, 8095 } counter accept
	}
}
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $IP_RA dnat ip to tcp dport map { 8080 : $IP_B . 80, 8081 : $IP_B . 81 }
		ip daddr $IP_RA tcp dport 8090 dnat to ip saddr map { $IP_A : $IP_B }
		ip daddr $IP_RA tcp dport 8095 dnat to numgen inc mod 1 map { 0 : $IP_B }
		ip daddr $REDIR meta l4proto tcp redirect to :tcp dport map { 9000 : 9999 }
	}
}
EOF2
)

ip -n "$NS_A" route add "$REDIR/32" via "$IP_RA"
for p in 80 81 8090 8095; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done
t_tcp_server "$NS_R" "$IP_RA" 9999

# tcp_greets NS SRC DST PORT WANT: the greeting of port WANT comes back
tcp_greets()
{
	local out
	out=$(timeout 5 ip netns exec "$1" socat -u \
		"TCP4:$3:$4,bind=$2,connect-timeout=2" - 2>/dev/null) || return 1
	[ "$out" = "bw-hello $5" ]
}

FLOWS=(
	"map-addr-port-8080 1 tcp_greets $NS_A $IP_A $IP_RA 8080 80"
	"map-addr-port-8081 1 tcp_greets $NS_A $IP_A $IP_RA 8081 81"
	"map-addr-8090 1 tcp_greets $NS_A $IP_A $IP_RA 8090 8090"
	"numgen-map-8095 1 tcp_greets $NS_A $IP_A $IP_RA 8095 8095"
	"redirect-map-9000 1 tcp_greets $NS_A $IP_A $REDIR 9000 9999"
	"not-in-map-8082 0 tcp_greets $NS_A $IP_A $IP_RA 8082 80"
)

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f natmap.conf: $out"
bw_results=$(t_flows)
t_flows_as_said bpfwall "$bw_results"
list=$(bw_r list ruleset 2>&1)
for line in "dnat ip to tcp dport map { 8080 : $IP_B . 80, 8081 : $IP_B . 81 }" \
	"tcp dport 8090 dnat to ip saddr map { $IP_A : $IP_B }" \
	"dnat to numgen inc mod 1 map { 0 : $IP_B }" \
	"redirect to :tcp dport map { 9000 : 9999 }"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_r nft list table ip bpfwall 2>&1)
case $nftlist in
*"dnat ip to tcp dport map"*"dnat to ip saddr map"*"dnat to numgen inc mod 1 map"*"redirect to :tcp dport map"*)
	t_ok "nft lists the nat maps in table ip bpfwall" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
out=$(bw_r flush ruleset 2>&1) || t_fatal "flush: $out"

t_flows_nft_oracle "$rules" "flow" "$bw_results"
t_done
