# SPDX-License-Identifier: GPL-2.0-only
# Header checksums as the packet carries them (nft's ip/tcp/udp/icmp/
# icmpv6 checksum: payload loads, nothing is verified).  The packet
# builder computes them unless given; given, they are written as they
# are.  Each transport checksum brings its protocol dependency.  At
# netdev ingress (the IP input path drops a wrong IPv4 checksum before
# the input hook; the inet form is in tests/nft/headers.conf).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip checksum 13172 drop
		tcp checksum { 33, 55, 67, 88 } drop
		udp checksum != 0 udp dport 9 drop
		udp checksum 33-45 drop
		icmp checksum 4660 drop
		icmpv6 checksum 65534 drop
	}
}
%%
device veth0 ip checksum 13172 tcp dport 1 ; drop ; 11
device veth0 ip checksum 13173 tcp dport 1 tcp checksum 1 ; accept ; policy
device veth0 tcp dport 1 tcp checksum 55 ; drop ; 12
device veth0 tcp dport 1 tcp checksum 56 ; accept ; policy
device veth0 udp dport 9 udp checksum 0 ; accept ; policy
device veth0 udp dport 9 udp checksum 1 ; drop ; 13
device veth0 udp dport 8 udp checksum 40 ; drop ; 14
device veth0 udp dport 8 udp checksum 46 ; accept ; policy
# the udp rule's checksum is not tcp's
device veth0 tcp dport 8 tcp checksum 40 ; accept ; policy
device veth0 icmp type echo-request icmp checksum 0x1234 ; drop ; 15
device veth0 icmp type echo-request icmp checksum 0x1235 ; accept ; policy
device veth0 ip6 daddr 2001:db8::2 icmpv6 type echo-request icmpv6 checksum 0xfffe ; drop ; 16
device veth0 ip6 daddr 2001:db8::2 icmpv6 type echo-request icmpv6 checksum 0xfffd ; accept ; policy
# IPv6 has no ip checksum: the IPv4 rule never matches it
device veth0 ip6 daddr 2001:db8::2 tcp dport 1 tcp checksum 1 ; accept ; policy
