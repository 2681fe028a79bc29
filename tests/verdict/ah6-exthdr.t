# SPDX-License-Identifier: GPL-2.0-only
# Extension headers after AH: nft's transport walk stops at AH, but its
# exthdr lookups (ipv6_find_hdr for one kind) walk past it, so exthdr X
# exists and the fields of hbh, rt, frag, dst find a header after AH,
# never after a later fragment's header.  AH stays the upper layer, and
# headers after it never make the packet malformed or too deep.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		exthdr dst exists meta l4proto ah drop
		rt seg-left 3 drop
		exthdr frag exists ip6 hoplimit 7 drop
		hbh nexthdr ah ip6 hoplimit 8 drop
		exthdr dst missing ip6 hoplimit 9 drop
		tcp dport 22 drop
	}
}
%%
device veth0 packet exthdr ah, ipv6-opts tcp dport 22 ; drop ; 10
device veth0 packet exthdr hopopt, ah, ipv6-route, ipv6-opts meta l4proto ipv6-nonxt ; drop ; 10
device veth0 packet exthdr ah, ipv6-route tcp dport 22 ; accept ; policy
device veth0 packet exthdr ah, ipv6-route rt seg-left 3 tcp dport 22 ; drop ; 11
device veth0 packet exthdr ah, ipv6-frag ip6 hoplimit 7 udp dport 1 ; drop ; 12
device veth0 packet exthdr ah, ipv6-frag packet frag-off 5 ip6 hoplimit 7 udp dport 1 ; drop ; 12
device veth0 packet exthdr ah ip6 hoplimit 7 udp dport 1 ; accept ; policy
device veth0 packet exthdr hopopt, ah ip6 hoplimit 8 ; drop ; 13
device veth0 packet exthdr ah, hopopt ip6 hoplimit 8 ; accept ; policy
# a later fragment's header ends the lookup: the dst header after it is
# payload
device veth0 packet exthdr ah, ipv6-frag, ipv6-opts packet frag-off 5 ip6 hoplimit 9 ; drop ; 14
device veth0 packet exthdr ah, ipv6-frag, ipv6-opts ip6 hoplimit 9 ; drop ; 10
device veth0 packet exthdr ah, ipv6-frag, ipv6-opts ip6 hoplimit 10 ; drop ; 10
# after AH no depth bound drops: 9 headers behind it; the lookup looks
# at 8 headers, AH the first (nft at any number)
device veth0 packet exthdr ah, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts, ipv6-opts tcp dport 22 ; drop ; 10
device veth0 packet exthdr ah, ipv6-route, ipv6-route, ipv6-route, ipv6-route, ipv6-route, ipv6-route, ipv6-route, ipv6-opts tcp dport 22 ip6 hoplimit 9 ; drop ; 14
