# SPDX-License-Identifier: GPL-2.0-only
# IPv6 extension header fields: exthdr X exists/missing, the first
# hop-by-hop, destination options, routing and fragment header's fields,
# and the mobility header (an upper layer).  A field of a header the
# packet lacks matches nothing, != included (as nft's exthdr loads).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		exthdr frag exists udp dport 1 drop
		exthdr rt missing udp dport 2 drop
		hbh nexthdr ipv6-route udp dport 3 drop
		dst hdrlength 0 tcp dport 4 drop
		rt type 0 rt seg-left != 0 drop
		frag more-fragments 1 udp dport 5 drop
		frag id 0x1234 drop
		frag reserved2 2 drop
		frag nexthdr != udp udp dport 6 drop
		mh type binding-update drop
		exthdr mh exists drop
		hbh hdrlength != 5 udp dport 7 drop
	}
}
%%
device veth0 ip6 nexthdr ipv6-frag udp dport 1 ; drop ; 9
device veth0 ip6 nexthdr hopopt udp dport 1 ; accept ; policy
# an IPv4 packet has no IPv6 extension headers, missing or not
device veth0 udp dport 2 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 2 ; drop ; 10
device veth0 ip6 nexthdr ipv6-route udp dport 2 ; accept ; policy
device veth0 packet exthdr hopopt, ipv6-route udp dport 3 ; drop ; 11
device veth0 packet exthdr hopopt, ipv6-opts udp dport 3 ; accept ; policy
device veth0 ip6 nexthdr ipv6-opts tcp dport 4 ; drop ; 12
device veth0 ip6 nexthdr hopopt tcp dport 4 ; accept ; policy
device veth0 ip6 nexthdr ipv6-route rt seg-left 2 tcp dport 9 ; drop ; 13
device veth0 ip6 nexthdr ipv6-route tcp dport 9 ; accept ; policy
device veth0 ip6 nexthdr ipv6-route rt type 2 rt seg-left 2 tcp dport 9 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 udp dport 5 ; drop ; 14
device veth0 ip6 nexthdr ipv6-frag frag more-fragments 1 udp dport 5 ; drop ; 14
device veth0 ip6 nexthdr ipv6-frag udp dport 5 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag frag id 0x1234 tcp dport 9 ; drop ; 15
device veth0 ip6 nexthdr ipv6-frag frag id 0x1235 tcp dport 9 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag frag reserved2 2 tcp dport 9 ; drop ; 16
device veth0 ip6 nexthdr ipv6-frag frag reserved2 1 tcp dport 9 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag udp dport 6 ; accept ; policy
device veth0 packet exthdr ipv6-frag, ipv6-opts udp dport 6 ; drop ; 17
# the first header of a kind counts
device veth0 packet exthdr ipv6-opts, hopopt, ipv6-opts tcp dport 4 ; drop ; 12
device veth0 mh type binding-update ; drop ; 18
device veth0 mh type 6 ; drop ; 19
device veth0 ip6 saddr 2001:db8::1 tcp dport 9 ; accept ; policy
device veth0 ip6 nexthdr hopopt udp dport 7 ; drop ; 20
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; accept ; policy
