# SPDX-License-Identifier: GPL-2.0-only
# AH in IPv6 as nf_tables sees it: its header walk stops at AH
# (ipv6_find_hdr with IP6_FH_F_AUTH), so AH is the upper layer: ah fields
# and meta l4proto ah match it in ip6 and inet tables, and a TCP or UDP
# header after AH is AH's payload, which tcp and udp fields never match.
table ip6 t6 {
	chain in {
		type filter hook input priority 0; policy accept;
		ah spi 7 drop
		ah sequence 1-5 ah hdrlength 1 drop
		ah reserved != 0 drop
		tcp dport 22 drop
		udp dport 53 drop
	}
}
table inet ti {
	chain in {
		type filter hook input priority 10; policy accept;
		ah spi { 100, 200 } drop
		meta l4proto ah ip6 hoplimit 9 drop
		meta nfproto ipv4 ah sequence 77 drop
	}
}
%%
ip6 nexthdr ah ah spi 7 ; drop ; 9
ip6 nexthdr ah ah spi 8 ; accept ; policy
ip6 nexthdr ah ah sequence 3 ah hdrlength 1 ; drop ; 10
ip6 nexthdr ah ah sequence 3 ah hdrlength 4 ; accept ; policy
ip6 nexthdr ah ah sequence 6 ah hdrlength 1 ; accept ; policy
ip6 nexthdr ah ah reserved 5 ; drop ; 11
# after other extension headers (packet exthdr's AH: spi 0x100, length 4)
packet exthdr hopopt, ipv6-opts, ah meta l4proto ipv6-nonxt ; accept ; policy
packet exthdr ipv6-route, ah ah spi 7 ; accept ; policy
# TCP and UDP behind AH: AH's payload, not matched
packet exthdr ah tcp dport 22 ; accept ; policy
packet exthdr hopopt, ah tcp dport 22 ; accept ; policy
packet exthdr ah udp dport 53 ; accept ; policy
tcp dport 22 ip6 saddr 2001:db8::1 ; drop ; 12
udp dport 53 ip6 saddr 2001:db8::1 ; drop ; 13
# the inet table: IPv6 and IPv4 AH alike
ip6 nexthdr ah ah spi 100 ; drop ; 19
ip protocol ah ah spi 200 ; drop ; 19
ip6 nexthdr ah ah spi 300 ip6 hoplimit 9 ; drop ; 20
packet exthdr ipv6-frag, ah tcp dport 80 ip6 hoplimit 9 ; drop ; 20
ip6 nexthdr ah ah sequence 77 ; accept ; policy
ip protocol ah ah sequence 77 ; drop ; 21
