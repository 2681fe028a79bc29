# SPDX-License-Identifier: GPL-2.0-only
# icmp type in an IPv6 context and icmpv6 type in an IPv4 one, as nft
# 1.0.6 takes them: the transport header's first byte behind meta l4proto
# icmp (ipv6-icmp) only, whatever the network protocol.  Such a header is
# never dropped when shorter than 8 bytes: its type byte is what nft reads.
table ip6 t6 {
	chain in {
		type filter hook input priority 0; policy accept;
		icmp type echo-request drop
		meta l4proto icmp icmp type 3 ip6 hoplimit 9 drop
	}
}
table ip t4 {
	chain in {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-router-advert drop
	}
}
table inet ti {
	chain in {
		type filter hook input priority 10; policy accept;
		meta nfproto ipv6 icmp type echo-reply drop
		meta nfproto ipv4 icmpv6 type echo-request drop
		ip protocol ipv6-icmp icmpv6 type 1 drop
	}
}
%%
# ICMP inside IPv6 (its 8 bytes as the payload after the fixed header)
ip6 nexthdr icmp packet payload "0800 0000 0001 0001" ; drop ; 9
ip6 nexthdr icmp packet payload "0000 0000 0001 0001" ; drop ; 22
ip6 nexthdr icmp packet payload "0300 0000 0001 0001" ip6 hoplimit 9 ; drop ; 10
ip6 nexthdr icmp packet payload "0300 0000 0001 0001" ; accept ; policy
ip6 nexthdr icmp packet payload "0b00 0000 0001 0001" ; accept ; policy
# cut short: the type byte is there, or nothing; never dropped
ip6 nexthdr icmp packet payload "0800 0000" ; drop ; 9
ip6 nexthdr icmp packet payload "08" ; drop ; 9
ip6 nexthdr icmp ; accept ; policy
# the same types in ICMPv6 are ICMPv6's
icmpv6 type 8 ; accept ; policy
icmpv6 type 0 ; accept ; policy
# ICMPv6 inside IPv4
ip protocol ipv6-icmp packet payload "8600 0000 0000 0000" ; drop ; 16
ip protocol ipv6-icmp packet payload "8000 0000 0001 0001" ; drop ; 23
ip protocol ipv6-icmp packet payload "0100 0000 0000 0000" ; drop ; 24
ip protocol ipv6-icmp packet payload "8700 0000 0000 0000" ; accept ; policy
ip protocol ipv6-icmp packet payload "8600" ; drop ; 16
ip protocol ipv6-icmp packet payload "87" ; accept ; policy
ip protocol ipv6-icmp ; accept ; policy
icmp type 134 ; accept ; policy
icmp type echo-request ; accept ; policy
icmpv6 type nd-router-advert ; accept ; policy
icmpv6 type echo-request ; accept ; policy
