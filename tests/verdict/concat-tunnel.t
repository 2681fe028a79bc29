# SPDX-License-Identifier: GPL-2.0-only
# Fields inside tunnels (vxlan, geneve, gre, gretap) in lookup keys and
# concatenations: each part walks to its own header, into the key; a
# packet without the inner header: the rule does not match, whatever its
# operator.  Packets write the tunnel header and the packet inside it as
# packet payload "HEX" (the bytes after the outer UDP or GRE header).
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		udp dport 4789 vxlan ip saddr . vxlan ip daddr { 192.0.2.1 . 198.51.100.99, 192.0.2.3 . 198.51.100.99 } drop
		udp dport 6081 geneve ip saddr . geneve udp dport vmap { 192.0.2.1 . 53 : drop }
		gre ip saddr . gre ip daddr != { 198.51.100.7 . 192.0.2.2 } ip saddr 203.0.113.20 drop
		gretap ip saddr . gretap ip daddr { 192.0.2.2 . 198.51.100.8 } drop
		udp dport 4789 ip saddr . vxlan ip saddr . vxlan udp dport { 203.0.113.30 . 192.0.2.1 . 1-1000 } drop
	}
}
table netdev n {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		udp dport 4789 vxlan ip saddr . vxlan ip daddr { 192.0.2.1 . 198.51.100.98 } drop
		gre ip saddr . gre ip daddr { 198.51.100.7 . 192.0.2.9 } drop
	}
}
table ip v {
	set inner {
		type ipv4_addr . inet_service
		elements = { 192.0.2.7 . 53 }
	}
	set seen {
		type ipv4_addr
		size 4
		flags dynamic
	}
	chain c {
		type filter hook input priority 10; policy accept;
		udp dport 4789 vxlan ip saddr . vxlan udp dport @inner drop
		udp dport 4789 udp sport 7 add @seen { vxlan ip daddr }
		udp dport 4789 udp sport 8 vxlan ip daddr @seen drop
	}
}
%%
# vxlan: both inner addresses; no I flag, or no inner packet: no match
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 10
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0203 c633 6463 22b8 0035 0008 0000" ; drop ; 10
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6463 22b8 0035 0008 0000" ; accept ; policy
udp dport 4789 packet payload "0000 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
udp dport 4789 packet payload "0800 0000 0000 0a00" ; accept ; policy
udp dport 4790 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# geneve: an inner address and an inner port, in a vmap
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 11
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0036 0008 0000" ; accept ; policy
udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6463 22b8 0035 0008 0000" ; accept ; policy
# gre, !=: a packet without the inner header does not match
ip saddr 203.0.113.20 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0202 0001 0002 0008 0000" ; accept ; policy
ip saddr 203.0.113.20 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0203 0001 0002 0008 0000" ; drop ; 12
ip saddr 203.0.113.20 gre protocol ip packet payload "4500 001c 0001" ; accept ; policy
ip saddr 203.0.113.20 udp dport 9 ; accept ; policy
# gretap
gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6408 0001 0035 0008 0000" ; drop ; 13
gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6409 0001 0035 0008 0000" ; accept ; policy
# an outer field beside two inner ones, a range of the inner port
ip saddr 203.0.113.30 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6461 22b8 0035 0008 0000" ; drop ; 14
ip saddr 203.0.113.30 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6461 22b8 03e8 0008 0000" ; drop ; 14
ip saddr 203.0.113.30 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6461 22b8 03e9 0008 0000" ; accept ; policy
ip saddr 203.0.113.31 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6461 22b8 0035 0008 0000" ; accept ; policy
# XDP
device veth0 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6462 22b8 0035 0008 0000" ; drop ; 20
device veth0 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6464 22b8 0035 0008 0000" ; accept ; policy
device veth0 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 0209 0001 0002 0008 0000" ; drop ; 21
device veth0 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c633 6407 c000 020a 0001 0002 0008 0000" ; accept ; policy
# a named set looked up with inner fields; a set statement whose key is
# one (a packet without it adds nothing: the rule stops)
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0207 c633 6401 22b8 0035 0008 0000" ; drop ; 36
udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0207 c633 6401 22b8 0036 0008 0000" ; accept ; policy
udp sport 8 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0208 c633 6405 22b8 0035 0008 0000" ; accept ; policy
udp sport 7 udp dport 4789 packet payload "0800 0000 0000 0a00" ; accept ; policy
udp sport 7 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0208 c633 6405 22b8 0035 0008 0000" ; accept ; policy
udp sport 8 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0208 c633 6405 22b8 0035 0008 0000" ; drop ; 38
udp sport 8 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0208 c633 6406 22b8 0035 0008 0000" ; accept ; policy
# nft-check: the tunnel matches are nft 1.1's
