# SPDX-License-Identifier: GPL-2.0-only
# ip6 dscp and ip6 ecn: the traffic class's six and two bits (nft's
# 16-bit load at the network header, masked), names as for ip dscp and
# ip ecn.
table ip6 t {
	chain in {
		type filter hook input priority 0; policy accept;
		ip6 dscp cs1 udp dport 1 drop
		ip6 dscp != { cs0, af23 } udp dport 2 drop
		ip6 ecn ce udp dport 3 drop
		ip6 dscp ef ip6 ecn ect0 udp dport 4 drop
	}
}
%%
ip6 daddr 2001:db8::2 ip6 dscp cs1 udp dport 1 ; drop ; 8
ip6 daddr 2001:db8::2 ip6 dscp cs2 udp dport 1 ; accept ; policy
# the flow label's bits are not the class's
ip6 daddr 2001:db8::2 ip6 flowlabel 0xfffff udp dport 1 ; accept ; policy
ip6 daddr 2001:db8::2 ip6 dscp af23 udp dport 2 ; accept ; policy
ip6 daddr 2001:db8::2 udp dport 2 ; accept ; policy
ip6 daddr 2001:db8::2 ip6 dscp 63 udp dport 2 ; drop ; 9
ip6 daddr 2001:db8::2 ip6 ecn ce udp dport 3 ; drop ; 10
ip6 daddr 2001:db8::2 ip6 ecn ect1 ip6 dscp 63 udp dport 3 ; accept ; policy
ip6 daddr 2001:db8::2 ip6 dscp ef ip6 ecn ect0 udp dport 4 ; drop ; 11
ip6 daddr 2001:db8::2 ip6 dscp ef ip6 ecn ect1 udp dport 4 ; accept ; policy
