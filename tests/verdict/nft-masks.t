# SPDX-License-Identifier: GPL-2.0-only
# nft forms of masks and prefixes: a number written for an IPv4 address
# under a mask (ip saddr & 0xff == 1 is & 0.0.0.255 == 0.0.0.1), a
# masked address compared with <, a prefix on an integer (meta mark
# 0xffffff00/24 is & 0xffffff00 == 0xffffff00), reject with icmpx 3
# (admin-prohibited).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr & 0xff == 1 udp dport 1 drop
		ip saddr & 0.0.0.255 < 0.0.0.10 udp dport 2 drop
		ip daddr & 0.0.255.0 != 0.0.2.0 udp dport 3 drop
		tcp dport 0x1600/8 drop
		udp dport 10 reject with icmpx 3
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		meta mark 0xffffff00/24 drop
		meta mark 0x00010000/16 udp dport 9 drop
	}
}
%%
device veth0 ip saddr 192.0.2.1 udp dport 1 ; drop ; 10
device veth0 ip saddr 198.51.100.1 udp dport 1 ; drop ; 10
device veth0 ip saddr 192.0.2.2 udp dport 1 ; accept ; policy
device veth0 ip saddr 192.0.2.9 udp dport 2 ; drop ; 11
device veth0 ip saddr 192.0.2.10 udp dport 2 ; accept ; policy
device veth0 ip daddr 192.0.2.10 udp dport 3 ; accept ; policy
device veth0 ip daddr 198.51.100.10 udp dport 3 ; drop ; 12
device veth0 tcp dport 0x1616 ; drop ; 13
device veth0 tcp dport 22 ; accept ; policy
device veth0 tcp dport 0x16ff ; drop ; 13
device veth0 tcp dport 0x1700 ; accept ; policy
device veth0 tcp dport 0x15ff ; accept ; policy
device veth0 udp dport 10 ; reject ; 14
egress device veth0 meta mark 0xffffff00 udp dport 1 ; drop ; 18
egress device veth0 meta mark 0xffffff7f udp dport 1 ; drop ; 18
egress device veth0 meta mark 0xfffffe00 udp dport 1 ; accept ; policy
egress device veth0 meta mark 0x0001ffff udp dport 9 ; drop ; 19
egress device veth0 meta mark 0x0002ffff udp dport 9 ; accept ; policy
