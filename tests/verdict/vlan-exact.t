# SPDX-License-Identifier: GPL-2.0-only
# A bare vlan field is an 802.1Q tag's right after the Ethernet header,
# as in nft (its implicit ether type 8021q); after ether type 8021ad it
# is that tag's.  Frames: one 802.1Q tag, one 802.1ad tag, QinQ (802.1ad
# outside, 802.1Q inside) and two 802.1Q tags.  After vlan type 8021q
# the vlan fields are the inner tag's (nft reads the next tag there).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		vlan id 20 drop
		vlan pcp 3 counter drop
		vlan type arp drop
		ether type 8021ad vlan id 21 drop
		ether type vlan vlan id 22 drop
		vlan id 23 udp dport 53 drop
		ether type 8021ad vlan id 30 vlan type 8021q vlan id 1 vlan type ip drop
		ether type 8021ad vlan id 31 vlan type 8021q vlan id 2 drop
		vlan type 8021q vlan pcp 0 vlan id 1 drop
		ether type 8021ad vlan id 40 ip saddr 192.0.2.40 drop
	}
}
%%
device veth0 vlan id 20 ; drop ; 10
device veth0 ether type 8021ad vlan id 20 ; accept ; policy
device veth0 vlan id 20 packet vlans 2 ; accept ; policy
device veth0 ether type vlan vlan id 20 packet vlans 2 ; drop ; 10
device veth0 vlan id 1 vlan pcp 3 ; drop ; 11
device veth0 ether type 8021ad vlan id 1 vlan pcp 3 ; accept ; policy
device veth0 vlan id 5 vlan type arp ; drop ; 12
device veth0 ether type 8021ad vlan id 5 vlan type arp ; accept ; policy
device veth0 ether type 8021ad vlan id 21 ; drop ; 13
device veth0 vlan id 21 ; accept ; policy
device veth0 ether type 8021ad vlan id 21 packet vlans 2 ; drop ; 13
device veth0 vlan id 22 ; drop ; 14
device veth0 ether type 8021ad vlan id 22 ; accept ; policy
device veth0 vlan id 23 udp dport 53 ; drop ; 15
device veth0 ether type 8021ad vlan id 23 udp dport 53 ; accept ; policy
device veth0 udp dport 53 ; accept ; policy
device veth0 ether type 8021ad vlan id 30 udp dport 7 packet vlans 2 ; drop ; 16
device veth0 ether type 8021ad vlan id 30 udp dport 7 ; accept ; policy
device veth0 ether type 8021ad vlan id 30 udp dport 7 packet vlans 3 ; accept ; policy
device veth0 ether type 8021ad vlan id 31 udp dport 9 packet vlans 2 ; accept ; policy
device veth0 ether type vlan vlan id 5 udp dport 8 packet vlans 2 ; drop ; 18
device veth0 ether type 8021ad vlan id 5 udp dport 8 packet vlans 2 ; accept ; policy
# an IP field after a tag: nft's implicit vlan type ip, the protocol right
# after that tag (not IPv4 under a second tag)
device veth0 ether type 8021ad vlan id 40 ip saddr 192.0.2.40 ; drop ; 19
device veth0 ether type 8021ad vlan id 40 ip saddr 192.0.2.40 packet vlans 2 ; accept ; policy
device veth0 ether type 8021ad vlan id 40 ip saddr 192.0.2.41 ; accept ; policy
