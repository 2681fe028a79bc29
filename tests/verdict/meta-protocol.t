# meta protocol is the packet's EtherType once the kernel has taken its
# VLAN tag off (skb->protocol): the same for a tagged and an untagged
# frame at netdev ingress and egress; ip or ip6 at the IP hooks, where
# it keeps the chain in BPF.  A set of protocols, != and a reject after
# it (nft's reject dependency in netdev chains) too.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		meta protocol arp drop
		meta protocol ip6 udp dport 7 drop
		meta protocol != ip tcp dport 8 drop
		meta protocol { ip, ip6 } udp dport 9 drop
		meta protocol ip reject
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		meta protocol ip6 tcp dport 10 drop
		meta protocol 0x0800 tcp dport 11 drop
	}
}
table inet i {
	chain in {
		type filter hook input priority 0; policy accept;
		meta protocol ip6 tcp dport 12 drop
		meta protocol ip tcp dport 13 drop
	}
}
%%
device veth0 ether type arp ; drop ; 9
device veth0 vlan id 5 vlan type arp ; drop ; 9
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; drop ; 10
device veth0 vlan id 5 ip6 saddr 2001:db8::1 udp dport 7 ; drop ; 10
device veth0 ip saddr 192.0.2.1 udp dport 7 ; reject ; 13
device veth0 ip6 saddr 2001:db8::1 tcp dport 8 ; drop ; 11
device veth0 ip saddr 192.0.2.1 tcp dport 8 ; reject ; 13
device veth0 ip6 saddr 2001:db8::1 udp dport 9 ; drop ; 12
device veth0 vlan id 5 ip saddr 192.0.2.1 udp dport 9 ; drop ; 12
device veth0 vlan id 5 ip saddr 192.0.2.1 tcp dport 80 ; reject ; 13
device veth0 ip6 saddr 2001:db8::1 tcp dport 80 ; accept ; policy
egress device veth0 ip6 saddr 2001:db8::1 tcp dport 10 ; drop ; 17
egress device veth0 ip saddr 192.0.2.1 tcp dport 10 ; accept ; policy
egress device veth0 ip saddr 192.0.2.1 tcp dport 11 ; drop ; 18
egress device veth0 vlan id 9 ip saddr 192.0.2.1 tcp dport 11 ; drop ; 18
ip6 saddr 2001:db8::1 tcp dport 12 ; drop ; 24
ip saddr 192.0.2.1 tcp dport 12 ; accept ; policy
ip saddr 192.0.2.1 tcp dport 13 ; drop ; 25
ip6 saddr 2001:db8::1 tcp dport 13 ; accept ; policy
