# SPDX-License-Identifier: GPL-2.0-only
# Raw payload at the netfilter hooks (an inet input chain): offsets from
# the network header, reads through the skb's dynptr; @th wherever the
# transport header is (any protocol, behind IPv6 extension headers),
# never in a later fragment; @ih after a TCP header's data offset or
# UDP's 8 bytes, none for other protocols; bytes past the packet never
# match, != included.
table inet t {
	chain i {
		type filter hook input priority 0; policy accept;
		@nh,64,8 1 udp dport 7 drop
		@th,0,16 0x4d2 drop
		@ih,0,16 0xbeef drop
		@ih,8,8 != 0x1 udp dport 9 drop
		meta l4proto 91 @th,8,8 0x22 drop
		@nh,4,8 0xb8 drop
		@ih,3,5 0x1f tcp dport 25 drop
		meta l4proto != tcp th dport 5353 drop
	}
}
%%
udp dport 7 ip ttl 1 ; drop ; 11
udp dport 7 ip ttl 2 ; accept ; policy
udp sport 1234 ; drop ; 12
tcp sport 1234 ip6 saddr 2001:db8::1 ; drop ; 12
tcp sport 1234 ip6 saddr 2001:db8::1 packet exthdr hopopt,ipv6-opts ; drop ; 12
tcp dport 80 packet payload "beef" ; drop ; 13
tcp dport 80 tcp doff 8 packet payload "beef" ; drop ; 13
tcp dport 80 tcp doff 8 packet payload "00000000 00000000 00000000 beef" ; accept ; policy
udp dport 80 packet payload "beef" ; drop ; 13
udp dport 80 packet payload "bee0" ; accept ; policy
udp dport 9 packet payload "0002" ; drop ; 14
udp dport 9 packet payload "0001" ; accept ; policy
udp dport 9 packet payload "00" ; accept ; policy
udp dport 9 ; accept ; policy
meta l4proto 91 packet payload "1122" ; drop ; 15
meta l4proto 91 packet payload "1123" ; accept ; policy
meta l4proto 91 packet payload "11" ; accept ; policy
icmp type echo-request packet payload "beef" ; accept ; policy
ip dscp 46 ; accept ; policy
ip6 saddr 2001:db8::1 ip6 dscp 46 ; drop ; 16
tcp dport 25 packet payload "1f" ; drop ; 17
tcp dport 25 packet payload "3f" ; drop ; 17
tcp dport 25 packet payload "1e" ; accept ; policy
udp dport 5353 ; drop ; 18
sctp dport 5353 ; drop ; 18
tcp dport 5353 ; accept ; policy
