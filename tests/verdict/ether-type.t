# ether type is the frame's own EtherType, as in nft: a VLAN tag's on a
# tagged frame (ether type vlan vlan id 2 matches VLAN 2), and vlan type
# is the protocol inside the tag.  ip saddr's implicit dependency still
# sees IPv4 inside a tag (the kernel's VLAN handling).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ether type vlan vlan id 2 drop
		ether type 8021ad vlan id 4 drop
		ether type 8021q vlan id 5 drop
		ether type arp drop
		vlan type arp drop
		ether type ip ip saddr 192.0.2.9 drop
		ip saddr 192.0.2.10 drop
		ether type vlan ip saddr 192.0.2.11 drop
		ether type != vlan udp dport 7 drop
		vlan type ip tcp dport 9 drop
		vlan type ip6 tcp dport 10 drop
		ether type { vlan, 8021ad } udp dport 11 drop
	}
}
%%
device veth0 vlan id 2 ; drop ; 8
device veth0 vlan id 3 ; accept ; policy
device veth0 tcp dport 22 ; accept ; policy
device veth0 ether type 8021ad vlan id 4 ; drop ; 9
device veth0 vlan id 4 ; accept ; policy
device veth0 ether type 8021ad vlan id 2 ; accept ; policy
device veth0 ether type vlan vlan id 5 ; drop ; 10
device veth0 ether type arp ; drop ; 11
device veth0 vlan id 6 vlan type arp ; drop ; 12
device veth0 ip saddr 192.0.2.9 ; drop ; 13
device veth0 vlan id 7 ip saddr 192.0.2.9 ; accept ; policy
device veth0 vlan id 7 ip saddr 192.0.2.10 ; drop ; 14
device veth0 ip saddr 192.0.2.10 ; drop ; 14
device veth0 vlan id 7 ip saddr 192.0.2.11 ; drop ; 15
device veth0 ip saddr 192.0.2.11 ; accept ; policy
device veth0 udp dport 7 ; drop ; 16
device veth0 vlan id 7 udp dport 7 ; accept ; policy
device veth0 vlan id 7 tcp dport 9 ; drop ; 17
device veth0 tcp dport 9 ; accept ; policy
device veth0 vlan id 7 ip6 saddr 2001:db8::1 tcp dport 10 ; drop ; 18
device veth0 vlan id 7 tcp dport 10 ; accept ; policy
device veth0 vlan id 7 udp dport 11 ; drop ; 19
device veth0 ether type 8021ad vlan id 7 udp dport 11 ; drop ; 19
device veth0 udp dport 11 ; accept ; policy
