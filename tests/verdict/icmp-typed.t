# SPDX-License-Identifier: GPL-2.0-only
# Fields of one ICMP type, with nft's implicit type test: icmp mtu (of
# destination unreachable, 3), icmp gateway (redirect, 5), icmpv6 mtu
# (packet too big, 2), icmpv6 max-delay (an MLD query, 130).  The same
# bytes in a packet of another type never match.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		icmp mtu 1400 drop
		icmp code host-unreachable icmp gateway != 3221225985 drop
		icmpv6 mtu 1280-1400 drop
		icmpv6 max-delay { 33, 55 } drop
	}
}
%%
device veth0 icmp type destination-unreachable icmp mtu 1400 ; drop ; 9
device veth0 icmp mtu 1400 ; drop ; 9
device veth0 icmp mtu 1401 ; accept ; policy
# an echo request whose sequence is 1400: not an mtu
device veth0 icmp type echo-request icmp sequence 1400 ; accept ; policy
device veth0 icmp gateway 0xc0000202 icmp code 1 ; drop ; 10
device veth0 icmp gateway 0xc0000201 icmp code 1 ; accept ; policy
# an echo request whose id and sequence make the same bytes
device veth0 icmp type echo-request icmp id 0xc000 icmp sequence 0x0202 icmp code 1 ; accept ; policy
device veth0 ip6 daddr 2001:db8::2 icmpv6 mtu 1300 ; drop ; 11
device veth0 ip6 daddr 2001:db8::2 icmpv6 mtu 1401 ; accept ; policy
device veth0 ip6 daddr 2001:db8::2 icmpv6 type echo-request icmpv6 id 0 icmpv6 sequence 1300 ; accept ; policy
device veth0 ip6 daddr 2001:db8::2 icmpv6 max-delay 55 ; drop ; 12
device veth0 ip6 daddr 2001:db8::2 icmpv6 max-delay 56 ; accept ; policy
