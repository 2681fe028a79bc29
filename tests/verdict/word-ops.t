# SPDX-License-Identifier: GPL-2.0-only
# nft's word operators: and or xor eq ne lt gt le ge are & | ^ == != < >
# <= >=.  On the left of a comparison | and ^ are bitwise:
# (mark | 3) == 7 holds when the mark's other bits are 4, and never when
# the value lacks a bit of 3; (mark ^ 3) == 1 is mark == 2.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport eq 22 drop
		udp dport ne 53 ip ttl lt 3 drop
		udp dport gt 60000 drop
		udp dport ge 50000 udp dport le 50010 drop
		tcp flags syn or ack tcp dport 80 drop
		ip ttl and 0xf0 eq 0x40 udp dport 53 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		meta mark or 0x03 == 0x07 udp dport 1 drop
		meta mark or 0x03 == 0x01 udp dport 2 drop
		meta mark or 0x03 != 0x01 udp dport 3 drop
		meta mark xor 0x03 == 0x01 udp dport 4 drop
		meta mark xor 0x03 ne 0x01 udp dport 5 drop
		meta mark and 0x03 eq 0x01 udp dport 6 drop
	}
}
%%
device veth0 tcp dport 22 ; drop ; 9
device veth0 tcp dport 23 ; accept ; policy
device veth0 udp dport 54 ip ttl 2 ; drop ; 10
device veth0 udp dport 53 ip ttl 2 ; accept ; policy
device veth0 udp dport 54 ip ttl 3 ; accept ; policy
device veth0 udp dport 60001 ; drop ; 11
device veth0 udp dport 60000 ; accept ; policy
device veth0 udp dport 50000 ; drop ; 12
device veth0 udp dport 50010 ; drop ; 12
device veth0 udp dport 50011 ; accept ; policy
device veth0 tcp dport 80 tcp flags ack ; drop ; 13
device veth0 tcp dport 80 tcp flags fin ; accept ; policy
device veth0 udp dport 53 ip ttl 64 ; drop ; 14
device veth0 udp dport 53 ip ttl 128 ; accept ; policy
egress device veth0 meta mark 4 udp dport 1 ; drop ; 18
egress device veth0 meta mark 7 udp dport 1 ; drop ; 18
egress device veth0 meta mark 5 udp dport 1 ; drop ; 18
egress device veth0 meta mark 0x14 udp dport 1 ; accept ; policy
egress device veth0 meta mark 0 udp dport 2 ; accept ; policy
egress device veth0 meta mark 1 udp dport 2 ; accept ; policy
egress device veth0 meta mark 1 udp dport 3 ; drop ; 20
egress device veth0 meta mark 2 udp dport 4 ; drop ; 21
egress device veth0 meta mark 1 udp dport 4 ; accept ; policy
egress device veth0 meta mark 2 udp dport 5 ; accept ; policy
egress device veth0 meta mark 3 udp dport 5 ; drop ; 22
egress device veth0 meta mark 5 udp dport 6 ; drop ; 23
egress device veth0 meta mark 6 udp dport 6 ; accept ; policy
