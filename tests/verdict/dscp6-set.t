# SPDX-License-Identifier: GPL-2.0-only
# ip6 dscp looked up in a set and a map of type dscp (as nft: the
# field's six bits, though ip6 dscp spans two header bytes), ip dscp in
# the same set, a concatenation with ip6 daddr.
table inet t {
	set d {
		type dscp
		elements = { cs1, af41 }
	}
	map m {
		type dscp . ipv6_addr : mark
		elements = { cs4 . 2001:db8::2 : 0x00000001 }
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 dscp @d drop
		ip dscp @d drop
		ip6 dscp . ip6 daddr @m drop
	}
}
%%
device veth0 ip6 saddr 2001:db8::1 ip6 dscp cs1 udp dport 1 ; drop ; 16
device veth0 ip6 saddr 2001:db8::1 ip6 dscp af41 udp dport 1 ; drop ; 16
device veth0 ip6 saddr 2001:db8::1 ip6 dscp cs2 udp dport 1 ; accept ; policy
device veth0 ip saddr 192.0.2.1 ip dscp af41 udp dport 1 ; drop ; 17
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 ip6 dscp cs4 udp dport 1 ; drop ; 18
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::3 ip6 dscp cs4 udp dport 1 ; accept ; policy
# nft-check: nft 1.0.6 shifts ip6 dscp's two bytes without turning them to host order first, and its lookups of ip6 dscp in a set of type dscp never match; nft 1.1 adds the byteorder, as bpfwall
