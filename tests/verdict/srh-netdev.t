# SPDX-License-Identifier: GPL-2.0-only
# nft's srh in a netdev chain (XDP and TC): the first routing header's
# bytes, found by the extension header walk again for each match; a
# routing header behind a later fragment's header is payload.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		srh sid[1] 2001:db8::a drop
		srh tag { 1, 0x100-0x1ff } drop
		srh last-entry != 0 udp dport 5 drop
		udp dport 9 drop
	}
}
%%
device veth0 packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::a udp dport 1 ; drop ; 8
device veth0 packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::b udp dport 1 ; accept ; policy
device veth0 packet exthdr ipv6-frag, ipv6-route rt type 4 srh sid[1] 2001:db8::a udp dport 1 ; drop ; 8
device veth0 packet exthdr ipv6-frag, ipv6-route packet frag-off 5 rt type 4 srh sid[1] 2001:db8::a ; accept ; policy
device veth0 packet exthdr hopopt, ipv6-route, ipv6-opts rt type 4 srh tag 0x150 ; drop ; 9
device veth0 packet exthdr ipv6-route rt type 4 srh tag 1 udp dport 3 ; drop ; 9
device veth0 packet exthdr ipv6-route rt type 4 srh tag 2 udp dport 9 ; drop ; 11
device veth0 packet exthdr ipv6-route rt type 2 srh last-entry 3 udp dport 5 ; drop ; 10
device veth0 packet exthdr ipv6-route udp dport 5 ; accept ; policy
# no routing header: != does not match either
device veth0 udp dport 5 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 5 ; accept ; policy
