# SPDX-License-Identifier: GPL-2.0-only
# ah fields in inet and ip6 tables: AH is the upper layer after IPv4;
# after IPv6 it is an extension header that bpfwall's walk and
# nf_tables' (ipv6_find_hdr) both step over, so no IPv6 packet has an AH
# header there, as in nft.
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		ah reserved 0 drop
		ah hdrlength 4 drop
	}
}
table ip6 t6 {
	chain in {
		type filter hook input priority 0; policy accept;
		ah spi != 2147483647 drop
	}
}
%%
ah spi 1 ; drop ; 9
ah spi 1 ah reserved 1 ; accept ; policy
ah spi 1 ah reserved 1 ah hdrlength 4 ; drop ; 10
ip6 daddr 2001:db8::2 packet exthdr ah udp dport 9 ; accept ; policy
ip6 daddr 2001:db8::2 packet exthdr hopopt, ah udp dport 9 ; accept ; policy
ip6 daddr 2001:db8::2 ip6 nexthdr ah packet exthdr ah meta l4proto 59 ; accept ; policy
