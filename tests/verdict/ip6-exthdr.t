# SPDX-License-Identifier: GPL-2.0-only
# IPv6 extension headers hop-by-hop, routing, destination options, fragment
# are walked to the upper layer, 8 at most; a ninth is ipv6-ext-depth.  59,
# 135 and AH (51: nft's walk stops there, so TCP after AH is not seen) are
# upper layers.  ip6 nexthdr is the fixed header's field: the first header.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 drop
		ip6 nexthdr hopopt udp dport 53 drop
		meta l4proto ipv6-nonxt drop
		meta l4proto mobility-header ip6 hoplimit 1 drop
		ip6 nexthdr ipv6-route meta l4proto udp drop
		meta l4proto ah ip6 hoplimit 2 drop
	}
}
%%
device veth0 ip6 nexthdr hopopt tcp dport 22 ; drop ; 9
device veth0 ip6 nexthdr ipv6-route tcp dport 22 ; drop ; 9
device veth0 ip6 nexthdr ipv6-opts tcp dport 22 ; drop ; 9
# the walk stops at AH: the upper layer is ah, TCP behind it is not seen
device veth0 packet exthdr ah tcp dport 22 ; accept ; policy
device veth0 packet exthdr hopopt, ipv6-route, ipv6-frag, ipv6-opts, ah tcp dport 22 ; accept ; policy
device veth0 packet exthdr ah tcp dport 5 ip6 hoplimit 2 ; drop ; 14
device veth0 packet exthdr hopopt, ipv6-opts, ah udp dport 9 ip6 hoplimit 2 ; drop ; 14
device veth0 packet exthdr hopopt, ipv6-route, ipv6-frag, ipv6-opts, ah tcp dport 23 ; accept ; policy
device veth0 ip6 nexthdr ah ip6 hoplimit 2 ; drop ; 14
device veth0 ip6 nexthdr ah ip6 hoplimit 3 ; accept ; policy
device veth0 ip6 nexthdr hopopt udp dport 53 ; drop ; 10
device veth0 ip6 nexthdr ipv6-opts udp dport 53 ; accept ; policy
# the walk ends at the upper layer: 59, 135
device veth0 ip6 nexthdr ipv6-nonxt ; drop ; 11
device veth0 packet exthdr hopopt, ipv6-opts meta l4proto ipv6-nonxt ; drop ; 11
device veth0 meta l4proto mobility-header ip6 hoplimit 1 ; drop ; 12
device veth0 ip6 nexthdr ipv6-route udp dport 1 ; drop ; 13
device veth0 ip6 nexthdr ipv6-route tcp dport 1 ; accept ; policy
# 8 headers are walked, a ninth is too many (nft has no bound)
device veth0 packet exthdr ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 22 ; drop ; 9
device veth0 packet exthdr hopopt, ipv6-route, ipv6-route, ipv6-frag, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 23 ; accept ; policy
# headers after AH are AH's payload: never counted against the bound
device veth0 packet exthdr ah, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 22 ; accept ; policy
device veth0 packet exthdr ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ah tcp dport 22 ip6 hoplimit 2 ; drop ; 14
device veth0 packet exthdr ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 22 ; drop ; malformed ipv6-ext-depth
device veth0 packet exthdr ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 23 ; drop ; malformed ipv6-ext-depth # nft: accept nft's netdev chain walks any number of extension headers
device veth0 packet exthdr ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts meta l4proto ipv6-nonxt ; drop ; malformed ipv6-ext-depth
device veth0 packet exthdr hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt, hopopt udp dport 9 ; drop ; malformed ipv6-ext-depth # nft: accept nft's netdev chain walks any number of extension headers
