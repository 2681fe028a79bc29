# SPDX-License-Identifier: GPL-2.0-only
# icmp id / sequence and icmpv6 id / sequence exist only in echo requests
# and replies: as in nft, a match on them implies that type, whatever the
# operator.  (The packets here carry 1 and 1 in those bytes whatever their
# type, so a destination-unreachable has the bytes but not the fields.)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		icmp id 7 drop
		icmp sequence != 5 ip saddr 198.51.100.1 drop
		icmp id . icmp sequence { 9 . 9, 1 . 2 } drop
		icmpv6 id 7 drop
		icmpv6 sequence { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 57, 59, 61, 63, 65, 67, 69, 71, 73, 75, 77, 79, 81, 83, 85, 87, 89, 91, 93, 95 } ip6 hoplimit 1 drop
		icmp type { destination-unreachable, echo-request } icmp id 1 ip ttl 9 drop
	}
}
%%
device veth0 icmp id 7 ; drop ; 9
device veth0 icmp id 7 icmp type echo-reply ; drop ; 9
device veth0 icmp id 8 ; accept ; policy
device veth0 icmp sequence 4 ip saddr 198.51.100.1 ; drop ; 10
device veth0 icmp sequence 5 ip saddr 198.51.100.1 ; accept ; policy
# != does not match where the field is not there
device veth0 icmp type destination-unreachable ip saddr 198.51.100.1 ; accept ; policy
device veth0 icmp type time-exceeded ip saddr 198.51.100.1 ; accept ; policy
device veth0 icmp id 1 icmp sequence 2 ; drop ; 11
device veth0 icmp id 1 icmp sequence 3 ; accept ; policy
device veth0 icmpv6 id 7 ; drop ; 12
device veth0 icmpv6 id 7 icmpv6 type echo-reply ; drop ; 12
device veth0 icmpv6 sequence 31 ip6 hoplimit 1 ; drop ; 13
device veth0 icmpv6 sequence 2 ip6 hoplimit 1 ; accept ; policy
device veth0 icmpv6 type nd-neighbor-solicit ip6 hoplimit 1 ; accept ; policy
device veth0 icmpv6 type packet-too-big ip6 hoplimit 1 ; accept ; policy
device veth0 icmp type echo-request ip ttl 9 ; drop ; 14
# nft keeps no echo dependency after a set of types whose last one is an
# echo type: there the bytes at the id's place match; bpfwall's icmp id
# stays an echo field
device veth0 icmp type destination-unreachable ip ttl 9 ; accept ; policy # nft: drop nft drops the echo dependency after icmp type { ..., echo-request }
