# SPDX-License-Identifier: GPL-2.0-only
# Raw payloads (@BASE,OFFSET,LENGTH, th dport) in lookup keys and
# concatenations: each part read into the key for itself, as the match of
# one field reads it; a packet without the bytes: the rule does not match,
# whatever its operator (nf_tables breaks the rule)
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr . @ih,32,32 { 192.0.2.1 . 0x14, 192.0.2.2 . 0x1e } drop
		iifname . ip protocol . th dport vmap { "veth0" . tcp . 22 : drop, "veth0" . udp . 67 : drop }
		udp length . @th,64,32 vmap { 20-30 . 0x41424344 : drop }
		ip saddr . th dport != { 192.0.2.5 . 80 } ip daddr 203.0.113.9 drop
		@nh,96,32 . tcp dport { 0xc6336407 . 8080 } drop
		th sport { 7, 9 } ip daddr 203.0.113.10 drop
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ip saddr . th dport != { 192.0.2.5 . 80 } ip daddr 203.0.113.9 drop
	}
}
table netdev n {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		@ll,0,48 . ip daddr { 0x020000000002 . 203.0.113.11 } drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		ip daddr . th dport . @ih,0,16 { 203.0.113.13 . 53 . 0x4142 } drop
	}
}
%%
# @ih: the data after TCP's header, bytes 4 to 7
ip saddr 192.0.2.1 tcp dport 1 packet payload "0000 0000 0000 0014" ; drop ; 9
ip saddr 192.0.2.2 udp dport 1 packet payload "0000 0000 0000 001e" ; drop ; 9
ip saddr 192.0.2.2 udp dport 1 packet payload "0000 0000 0000 0014" ; accept ; policy
ip saddr 192.0.2.3 tcp dport 1 packet payload "0000 0000 0000 0014" ; accept ; policy
ip saddr 192.0.2.1 tcp dport 1 packet payload "0000 0000 0000 00" ; accept ; policy
ip saddr 192.0.2.1 icmp type echo-request packet payload "0000 0000 0000 0014" ; accept ; policy
# th dport beside an interface name and the protocol
device veth0 tcp dport 22 ; drop ; 10
device veth0 udp dport 67 ; drop ; 10
device veth0 udp dport 22 ; accept ; policy
device veth0 tcp dport 23 ; accept ; policy
device veth1 tcp dport 22 ; accept ; policy
# a range of udp length beside 4 raw bytes of the UDP payload
udp dport 5 packet payload "4142 4344 0000 0000 0000 0000" ; drop ; 11
udp dport 5 packet payload "4142 4344 0000 0000 0000 00" ; accept ; policy
udp dport 5 packet payload "4142 4344 0000 0000 0000 0000 0000 0000 0000 0000 0000" ; drop ; 11
udp dport 5 packet payload "4142 4344 0000 0000 0000 0000 0000 0000 0000 0000 0000 00" ; accept ; policy
udp dport 5 packet payload "4142 4345" ; accept ; policy
udp dport 5 packet payload "4142 43" ; accept ; policy
# != : a packet whose transport header is not there does not match
ip saddr 192.0.2.5 ip daddr 203.0.113.9 tcp dport 80 ; accept ; policy
ip saddr 192.0.2.5 ip daddr 203.0.113.9 tcp dport 81 ; drop ; 12
ip saddr 192.0.2.6 ip daddr 203.0.113.9 udp dport 80 ; drop ; 12
# (a later fragment, at the output hook: nft-diff sends no such packet
# to an input chain, the kernel would hold it for reassembly)
egress ip saddr 192.0.2.6 ip daddr 203.0.113.9 udp dport 81 ; drop ; 18
egress ip saddr 192.0.2.6 ip daddr 203.0.113.9 ip frag-off 2 udp dport 81 ; accept ; policy
egress ip saddr 192.0.2.5 ip daddr 203.0.113.9 udp dport 80 ; accept ; policy
# @nh: the source address, read as raw bits
ip saddr 198.51.100.7 tcp dport 8080 ; drop ; 13
ip saddr 198.51.100.8 tcp dport 8080 ; accept ; policy
ip6 saddr 2001:db8::1 tcp dport 8080 ; accept ; policy
# a raw payload alone in a set
ip daddr 203.0.113.10 tcp sport 7 ; drop ; 14
ip daddr 203.0.113.10 udp sport 9 ; drop ; 14
ip daddr 203.0.113.10 udp sport 8 ; accept ; policy
# @ll at XDP: the destination MAC
device veth0 ip daddr 203.0.113.11 ; drop ; 24
device veth0 ip daddr 203.0.113.12 ; accept ; policy
# TC egress: th dport and @ih beside an address
egress device veth0 ip daddr 203.0.113.13 udp dport 53 packet payload "4142" ; drop ; 28
egress device veth0 ip daddr 203.0.113.13 tcp dport 53 packet payload "4142 4344" ; drop ; 28
egress device veth0 ip daddr 203.0.113.13 udp dport 53 packet payload "4143" ; accept ; policy
egress device veth0 ip daddr 203.0.113.13 udp dport 53 packet payload "41" ; accept ; policy
egress device veth0 ip daddr 203.0.113.13 udp dport 54 packet payload "4142" ; accept ; policy
