# SPDX-License-Identifier: GPL-2.0-only
# ipv6-malformed: fewer than 40 bytes of header, a version other than 6, a
# payload length beyond the frame, an extension header cut short (by the
# payload length).  Each limit with a packet just inside it and one just
# outside.  nft's netdev chain lets these reach its rules.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip6 saddr 2001:db8::66 drop
	}
}
%%
# 54 bytes: Ethernet and the fixed header, No Next Header
device veth0 ip6 nexthdr ipv6-nonxt ; accept ; policy
device veth0 ip6 nexthdr ipv6-nonxt ip6 saddr 2001:db8::66 ; drop ; 9
device veth0 ip6 nexthdr ipv6-nonxt packet truncate 53 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr ipv6-nonxt packet truncate 15 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr ipv6-nonxt ip6 version 6 ; accept ; policy
device veth0 ip6 nexthdr ipv6-nonxt ip6 version 4 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
# (nft drops this one by its rule: it reads the address of any header)
device veth0 ip6 nexthdr ipv6-nonxt ip6 version 7 ip6 saddr 2001:db8::66 ; drop ; malformed ipv6-malformed
# payload length: the frame's length, one more
device veth0 udp dport 9 ip6 length 21 ; accept ; policy
device veth0 udp dport 9 ip6 length 21 packet truncate 74 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr ipv6-nonxt ip6 length 1 packet truncate 54 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
# an extension header inside the payload length, one byte cut off (the
# others 8 bytes here); AH ends the walk: an upper layer, 12 bytes of it
# are needed, as of IPv4's (a packet exthdr AH is 24 bytes)
device veth0 packet exthdr ah meta l4proto ipv6-nonxt ip6 length 24 ; accept ; policy
device veth0 packet exthdr ah meta l4proto ipv6-nonxt ip6 length 12 ; accept ; policy
device veth0 packet exthdr ah meta l4proto ipv6-nonxt ip6 length 11 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr hopopt meta l4proto ipv6-nonxt ip6 length 8 ; accept ; policy
device veth0 ip6 nexthdr hopopt meta l4proto ipv6-nonxt ip6 length 7 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 packet exthdr ipv6-route, ipv6-opts meta l4proto ipv6-nonxt ip6 length 15 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 packet exthdr ipv6-route, ipv6-frag meta l4proto ipv6-nonxt ip6 length 9 ; drop ; malformed ipv6-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
