# SPDX-License-Identifier: GPL-2.0-only
# Matches inside tunnels (nft 1.1's inner matches; compiler/front/tunnel.h)
# at the netfilter input hook: vxlan (UDP, RFC 7348: 8 bytes, the I flag,
# inner Ethernet), geneve (UDP, RFC 8926: options by Opt Len, protocol
# 0x6558), gre (RFC 2784/2890: version 0, no routing bit, 4 bytes more per
# C, K, S flag, the protocol is the inner network protocol) and gretap
# (GRE with 0x6558, inner Ethernet).  A tunnel or inner header that is
# missing, cut short or malformed: the field is not there, the rule does
# not match whatever its operator (nf_tables breaks the rule).
# Not compared with nft: Debian's nft 1.0.6 has no inner matches (they came
# in nft 1.1); the expectations follow the RFCs and nf_tables' inner
# expression.  Packets write the tunnel header and the packet inside it
# as packet payload "HEX" (the bytes after the outer UDP or GRE header).
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		udp dport 4789 udp sport 1 vxlan vni 10 drop
		udp dport 4789 vxlan ip saddr 192.0.2.0/24 drop
		udp dport 6081 geneve udp sport 8888 drop
		udp dport 6081 udp sport 2 geneve vni 0x123456 geneve ether saddr 62:87:4d:d6:19:05 drop
		gre ip saddr 198.51.100.7 drop
		gre ip6 daddr 2001:db8::2 counter drop
		gretap ip daddr != { 203.0.113.1, 203.0.113.2 } gretap ip protocol icmp drop
		udp dport 4789 udp sport 3 vxlan vlan id 10 drop
		udp dport 4789 udp sport 4 vxlan icmp type echo-request drop
		udp dport 4789 udp sport 5 vxlan tcp dport 22 vxlan tcp flags syn drop
		gre version 1 drop
		gre protocol 0x88be drop
		udp dport 4789 udp sport 6 vxlan ip6 saddr 2001:db8::/32 vxlan udp dport != 53 drop
		meta l4proto gre ip saddr 203.0.113.55 drop
		ip protocol != gre ip saddr 203.0.113.56 drop
	}
}
%%
# vxlan vni: the I flag set, VNI 10
udp sport 1 udp dport 4789 packet payload "0800 0000 0000 0a00" ; drop ; 17
udp sport 1 udp dport 4789 packet payload "0800 0000 0000 0b00" ; accept ; policy
# no I flag: not a VXLAN header (the kernel's driver drops it)
udp sport 1 udp dport 4789 packet payload "0000 0000 0000 0a00" ; accept ; policy
# the header cut short
udp sport 1 udp dport 4789 packet payload "0800 0000 0000 0a" ; accept ; policy
# the rule's own UDP port
udp sport 1 udp dport 4790 packet payload "0800 0000 0000 0a00" ; accept ; policy
# vxlan ip saddr: inner Ethernet, IPv4 from 192.0.2.1
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 18
# outer IPv6
ip6 saddr 2001:db8::1 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 18
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c633 6401 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# the outer address is not the inner one
ip saddr 192.0.2.1 udp dport 4789 packet payload "0800 0000 0000 0a00" ; accept ; policy
# inner EtherType not IPv4
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# inner IHL 4, version 6, total length past the packet, header cut short
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4400 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 6500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001d 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 64" ; accept ; policy
# the end is the outer IP packet's, not the frame's
udp dport 4789 packet trailer 8 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201" ; accept ; policy
# a first fragment carries the inner header
udp dport 4789 ip frag-off 0x2000 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 18
# geneve udp sport: inner UDP from 8888
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 19
# options (Opt Len 2) move the inner frame
udp dport 6081 packet payload "0200 6558 0000 0a00 0102 0304 0000 0000 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 19
# Opt Len 0 where options are: the inner frame is read where it is not
udp dport 6081 packet payload "0200 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# protocol 0x0800: no inner Ethernet
udp dport 6081 packet payload "0000 0800 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# version 1
udp dport 6081 packet payload "4000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# an inner later fragment has no transport header
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0001 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# inner UDP cut short
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035" ; accept ; policy
# inner TCP, not UDP
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 0028 0001 0000 4006 0000 c000 0201 c633 6463 22b8 0035 0000 0001 0000 0000 5002 0200 0000 0000" ; accept ; policy
# geneve vni: read whatever the protocol; ether saddr needs 0x6558
udp sport 2 udp dport 6081 packet payload "0000 0800 1234 5600 0200 0000 000b 6287 4dd6 1905 0800" ; accept ; policy
udp sport 2 udp dport 6081 packet payload "0000 6558 1234 5600 0200 0000 000b 6287 4dd6 1905 0800" ; drop ; 20
# gre ip saddr: protocol 0x0800, the inner IPv4 header right after GRE's
gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 21
ip6 daddr 2001:db8::2 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 21
# K: a key, 4 bytes more
gre protocol ip gre flags 4 packet payload "0000 0001 4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 21
# C, K, S: 12 bytes more
gre protocol ip gre flags 22 packet payload "0000 0000 0000 0001 0000 0002 4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 21
# K set, no key: the inner header is read 4 bytes on
gre protocol ip gre flags 4 packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; accept ; policy
# the routing bit (R): not taken
gre protocol ip gre flags 8 packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; accept ; policy
# version 1: no inner header (the next rule, gre version 1)
gre protocol ip gre version 1 packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 27
# protocol ip6: not IPv4
gre protocol ip6 packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; accept ; policy
# the inner header cut short
gre protocol ip packet payload "4500 001c 0001 0000 4011 0000" ; accept ; policy
# gre protocol, a GRE header field
gre protocol 0x88be packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; drop ; 28
# gre ip6 daddr
gre protocol ip6 packet payload "6000 0000 0000 3b40 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000 0000 0000 0000 0002" ; drop ; 22
# a payload length past the packet
gre protocol ip6 packet payload "6000 0000 0008 3b40 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000 0000 0000 0000 0002" ; accept ; policy
# gretap: protocol 0x6558, inner Ethernet
gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 c000 0201 cb00 7109 0800 0000 0001 0001" ; drop ; 23
# != { ... }: an element
gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 c000 0201 cb00 7101 0800 0000 0001 0001" ; accept ; policy
# plain GRE: no inner Ethernet; != does not hold where the field is not there
gre protocol ip packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 c000 0201 cb00 7109 0800 0000 0001 0001" ; accept ; policy
# S: a sequence number first
gre protocol 0x6558 gre flags 2 packet payload "0000 0007 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 c000 0201 cb00 7109 0800 0000 0001 0001" ; drop ; 23
# vxlan vlan id: the inner frame's tag
udp sport 3 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 8100 000a 0800 4500 001c 0001 0000 4011 0000 cb00 7105 c633 6463 22b8 0035 0008 0000" ; drop ; 24
udp sport 3 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 8100 000b 0800 4500 001c 0001 0000 4011 0000 cb00 7105 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# untagged
udp sport 3 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 cb00 7105 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# vxlan icmp type
udp sport 4 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 cb00 7163 c633 6463 0800 0000 0001 0001" ; drop ; 25
udp sport 4 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4001 0000 cb00 7163 c633 6463 0000 0000 0001 0001" ; accept ; policy
# ICMPv6 is not icmp
udp sport 4 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 6000 0000 0008 3a40 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001 0800 0000 0001 0001" ; accept ; policy
# vxlan tcp dport, tcp flags
udp sport 5 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 0028 0001 0000 4006 0000 cb00 7163 c633 6463 03e8 0016 0000 0001 0000 0000 5002 0200 0000 0000" ; drop ; 26
udp sport 5 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 0028 0001 0000 4006 0000 cb00 7163 c633 6463 03e8 0016 0000 0001 0000 0000 5010 0200 0000 0000" ; accept ; policy
# inner TCP header cut short (the inner total length says so)
udp sport 5 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 0028 0001 0000 4006 0000 cb00 7163 c633 6463 03e8 0016 0000 0001 0000 0000 5002 0200 0000" ; accept ; policy
# inner IPv4 options: the transport header after IHL
udp sport 5 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4600 002c 0001 0000 4006 0000 cb00 7163 c633 6463 0101 0101 03e8 0016 0000 0001 0000 0000 5002 0200 0000 0000" ; drop ; 26
# inner IPv6
udp sport 6 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0008 1140 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001 0001 0036 0008 0000" ; drop ; 29
udp sport 6 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0008 1140 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001 0001 0035 0008 0000" ; accept ; policy
# an inner extension header is not walked
udp sport 6 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0008 0040 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001 0001 0036 0008 0000" ; accept ; policy
# gre as a protocol value before an ip match (the outer header's)
ip saddr 203.0.113.55 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c000 024d c000 0202 0001 0002 0008 0000" ; drop ; 30
ip saddr 203.0.113.55 udp dport 9  ; accept ; policy
ip saddr 203.0.113.56 udp dport 9  ; drop ; 31
ip saddr 203.0.113.56 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c000 024d c000 0202 0001 0002 0008 0000" ; accept ; policy
# nft-check: the tunnel matches are nft 1.1's
