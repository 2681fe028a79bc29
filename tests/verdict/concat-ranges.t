# SPDX-License-Identifier: GPL-2.0-only
# concatenations whose elements have a prefix or range in two or more
# components (nft's pipapo sets): tested in the rule's code, beside the
# hash and LPM tables of the elements with one range or none
table netdev t {
	chain sub {
		tcp dport 99 drop
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr . ip daddr vmap { 192.0.2.1-192.0.2.128 . 198.51.100.1-198.51.100.128 : drop, 192.0.2.200-192.0.2.210 . 198.51.100.0/24 : jump sub, 203.0.113.5 . 198.51.100.9 : drop }
		ip daddr . tcp dport { 198.51.100.200-198.51.100.220 . 80-443, 203.0.113.0/25 . 10-23, 203.0.113.200 . 53, 203.0.113.201 . 60-70 } drop
		ip6 saddr . udp dport { 2001:db8:1::/48 . 1000-2000, 2001:db8:2::1-2001:db8:2::ff . 50-60 } drop
		ip saddr . tcp sport . tcp dport != { 192.0.2.0/24 . 1-1023 . 1-1023, 198.51.100.0/24 . 0-65535 . 22 } ip daddr 203.0.113.250 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		ip daddr . udp dport { 198.51.100.7 . 53, 203.0.113.0/24 . 5000-5100 } drop
	}
}
table inet u {
	chain i {
		type filter hook output priority 0; policy accept;
		meta mark . tcp dport { 0x0a-0x14 . 80-90, 0x100000-0x100123 . 100-120 } drop
		ip saddr . meta mark vmap { 203.0.113.4 . 0x100 : drop, 203.0.113.6-203.0.113.8 . 0x200-0x300 : drop }
		oifname . ip daddr . udp dport { "veth0" . 203.0.113.64/26 . 7000-7100, "veth1" . 203.0.113.0/26 . 7000-7100 } drop
	}
}
table netdev w {
	chain in {
		type filter hook ingress device "veth0" priority 5; policy accept;
		iifname . ip saddr . tcp dport { "veth0" . 192.0.2.240-192.0.2.250 . 1-100, "eth0" . 198.51.100.240-198.51.100.250 . 1-100 } drop
	}
}
%%
# vmap: both ranges, each bound, and one component out
device veth0 ip saddr 192.0.2.1 ip daddr 198.51.100.1 ; drop ; 11
device veth0 ip saddr 192.0.2.128 ip daddr 198.51.100.128 ; drop ; 11
device veth0 ip saddr 192.0.2.64 ip daddr 198.51.100.77 ; drop ; 11
device veth0 ip saddr 192.0.2.129 ip daddr 198.51.100.1 ; accept ; policy
device veth0 ip saddr 192.0.2.0 ip daddr 198.51.100.1 ; accept ; policy
device veth0 ip saddr 192.0.2.1 ip daddr 198.51.100.129 ; accept ; policy
device veth0 ip saddr 192.0.2.1 ip daddr 198.51.100.0 ; accept ; policy
# vmap: a jump from a two-range element, and the hash table's element
device veth0 ip saddr 192.0.2.205 ip daddr 198.51.100.255 tcp dport 99 ; drop ; 7
device veth0 ip saddr 192.0.2.205 ip daddr 198.51.100.255 tcp dport 98 ; accept ; policy
device veth0 ip saddr 192.0.2.211 ip daddr 198.51.100.0 tcp dport 99 ; accept ; policy
device veth0 ip saddr 203.0.113.5 ip daddr 198.51.100.9 ; drop ; 11
device veth0 ip saddr 203.0.113.5 ip daddr 198.51.100.10 ; accept ; policy
# a prefix and a range; two ranges; one value with one range (the LPM trie)
device veth0 ip daddr 203.0.113.0 tcp dport 10 ; drop ; 12
device veth0 ip daddr 203.0.113.127 tcp dport 23 ; drop ; 12
device veth0 ip daddr 203.0.113.128 tcp dport 23 ; accept ; policy
device veth0 ip daddr 203.0.113.127 tcp dport 24 ; accept ; policy
device veth0 ip daddr 203.0.113.127 tcp dport 9 ; accept ; policy
device veth0 ip daddr 198.51.100.200 tcp dport 80 ; drop ; 12
device veth0 ip daddr 198.51.100.220 tcp dport 443 ; drop ; 12
device veth0 ip daddr 198.51.100.210 tcp dport 300 ; drop ; 12
device veth0 ip daddr 198.51.100.221 tcp dport 300 ; accept ; policy
device veth0 ip daddr 198.51.100.199 tcp dport 300 ; accept ; policy
device veth0 ip daddr 198.51.100.210 tcp dport 79 ; accept ; policy
device veth0 ip daddr 198.51.100.210 tcp dport 444 ; accept ; policy
device veth0 ip daddr 198.51.100.210 udp dport 300 ; accept ; policy
device veth0 ip daddr 203.0.113.200 tcp dport 53 ; drop ; 12
device veth0 ip daddr 203.0.113.200 tcp dport 54 ; accept ; policy
device veth0 ip daddr 203.0.113.201 tcp dport 65 ; drop ; 12
device veth0 ip daddr 203.0.113.201 tcp dport 71 ; accept ; policy
# IPv6: a prefix and a range; two ranges over 16-byte addresses
device veth0 ip6 saddr 2001:db8:1:ffff::1 udp dport 1000 ; drop ; 13
device veth0 ip6 saddr 2001:db8:1:: udp dport 2000 ; drop ; 13
device veth0 ip6 saddr 2001:db8:1:: udp dport 2001 ; accept ; policy
device veth0 ip6 saddr 2001:db8:0:ffff::1 udp dport 1500 ; accept ; policy
device veth0 ip6 saddr 2001:db8:2::1 udp dport 50 ; drop ; 13
device veth0 ip6 saddr 2001:db8:2::ff udp dport 60 ; drop ; 13
device veth0 ip6 saddr 2001:db8:2::100 udp dport 55 ; accept ; policy
device veth0 ip6 saddr 2001:db8:2:: udp dport 55 ; accept ; policy
device veth0 ip6 saddr 2001:db8:2::80 udp dport 61 ; accept ; policy
device veth0 ip6 saddr 2001:db8:2::80 udp dport 49 ; accept ; policy
# != over three components with two and three ranges
device veth0 ip saddr 192.0.2.9 ip daddr 203.0.113.250 tcp sport 1023 tcp dport 1 ; accept ; policy
device veth0 ip saddr 192.0.2.9 ip daddr 203.0.113.250 tcp sport 1024 tcp dport 1 ; drop ; 14
device veth0 ip saddr 192.0.2.9 ip daddr 203.0.113.250 tcp sport 80 tcp dport 1024 ; drop ; 14
device veth0 ip saddr 198.51.100.9 ip daddr 203.0.113.250 tcp sport 65535 tcp dport 22 ; accept ; policy
device veth0 ip saddr 198.51.100.9 ip daddr 203.0.113.250 tcp sport 0 tcp dport 23 ; drop ; 14
device veth0 ip saddr 198.51.100.9 ip daddr 203.0.113.251 tcp sport 0 tcp dport 23 ; accept ; policy
# egress (TC)
egress device veth0 ip daddr 203.0.113.9 udp dport 5000 ; drop ; 18
egress device veth0 ip daddr 203.0.113.255 udp dport 5100 ; drop ; 18
egress device veth0 ip daddr 203.0.113.9 udp dport 5101 ; accept ; policy
egress device veth0 ip daddr 198.51.100.7 udp dport 5000 ; accept ; policy
egress device veth0 ip daddr 198.51.100.7 udp dport 53 ; drop ; 18
# inet output: a mark range with a port range, and a vmap on address and mark
egress meta mark 0x0a tcp dport 80 ; drop ; 24
egress meta mark 0x14 tcp dport 90 ; drop ; 24
egress meta mark 0x15 tcp dport 85 ; accept ; policy
egress meta mark 0x10 tcp dport 91 ; accept ; policy
egress meta mark 0x100123 tcp dport 120 ; drop ; 24
egress meta mark 0x100124 tcp dport 120 ; accept ; policy
egress meta mark 0x100000 tcp dport 99 ; accept ; policy
egress ip saddr 203.0.113.4 meta mark 0x100 ; drop ; 25
egress ip saddr 203.0.113.4 meta mark 0x101 ; accept ; policy
egress ip saddr 203.0.113.6 meta mark 0x200 ; drop ; 25
egress ip saddr 203.0.113.8 meta mark 0x300 ; drop ; 25
egress ip saddr 203.0.113.9 meta mark 0x300 ; accept ; policy
egress ip saddr 203.0.113.7 meta mark 0x301 ; accept ; policy
egress ip6 saddr 2001:db8::1 meta mark 0x0a tcp dport 80 ; drop ; 24
# an interface name beside two ranges: decided for the program's device
device veth0 ip saddr 192.0.2.245 tcp dport 100 ; drop ; 32
device veth0 ip saddr 192.0.2.251 tcp dport 100 ; accept ; policy
device veth0 ip saddr 192.0.2.245 tcp dport 101 ; accept ; policy
device veth0 ip saddr 198.51.100.245 tcp dport 100 ; accept ; policy
# an interface name beside two ranges where the hook has names (output)
egress device veth0 ip daddr 203.0.113.70 udp dport 7000 ; drop ; 26
egress device veth0 ip daddr 203.0.113.10 udp dport 7000 ; accept ; policy
egress device veth1 ip daddr 203.0.113.10 udp dport 7100 ; drop ; 26
egress device veth1 ip daddr 203.0.113.70 udp dport 7100 ; accept ; policy
egress device veth0 ip daddr 203.0.113.70 udp dport 7101 ; accept ; policy
