# SPDX-License-Identifier: GPL-2.0-only
# vlan-depth: up to 4 VLAN tags (802.1ad outside, 802.1Q inside) are walked
# to the protocol inside; a fifth is dropped.  nft's netdev chain looks
# through one tag only, and lets deeper stacks reach its rules.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 drop
		ether type 8021ad vlan id 5 udp dport 53 drop
	}
}
%%
device veth0 tcp dport 22 packet vlans 1 ; drop ; 8
device veth0 tcp dport 23 packet vlans 4 ; accept ; policy
device veth0 tcp dport 22 packet vlans 4 ; drop ; 8 # nft: accept nft's netdev chain sees no TCP header under more than one tag
device veth0 vlan id 5 udp dport 53 packet vlans 3 ; drop ; 9 # nft: accept nft's netdev chain sees no UDP header under more than one tag
device veth0 tcp dport 23 packet vlans 5 ; drop ; malformed vlan-depth # nft: accept nft's netdev chain lets a frame with 5 tags reach its rules
device veth0 tcp dport 22 packet vlans 7 ; drop ; malformed vlan-depth # nft: accept nft's netdev chain lets a frame with 7 tags reach its rules
