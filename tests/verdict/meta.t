# meta iif/iifname/oif/oifname (decided per device when the program is
# made), meta pkttype, meta mark (egress: skb->mark), vlan id/pcp/dei
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		iifname "eth*" drop
		iif "veth0" udp dport 1 drop
		oif "veth0" udp dport 2 drop
		iifname != "veth0" udp dport 3 drop
		iifname { "lo", "veth*" } udp dport 4 drop
		meta pkttype broadcast drop
		meta pkttype multicast udp dport 5 drop
		meta pkttype host udp dport 6 drop
		vlan id 10 drop
		vlan id 20 vlan pcp 5 drop
		vlan id != 30 udp dport 7 drop
		vlan dei 1 drop
		meta mark 7 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		oifname "veth0" udp dport 1 drop
		iif "veth0" udp dport 2 drop
		meta mark 0x10 drop
		meta mark & 0xff00 == 0x0100 drop
	}
}
%%
device veth0 udp dport 1 ; drop ; 7
device veth0 udp dport 2 ; accept ; policy
device veth0 udp dport 3 ; accept ; policy
device veth0 udp dport 4 ; drop ; 10
device veth0 meta pkttype broadcast udp dport 99 ; drop ; 11
device veth0 meta pkttype multicast udp dport 5 ; drop ; 12
device veth0 meta pkttype multicast udp dport 6 ; accept ; policy
device veth0 udp dport 6 ; drop ; 13
device veth0 ether daddr ff:ff:ff:ff:ff:ff udp dport 99 ; drop ; 11
device veth0 vlan id 10 udp dport 99 ; drop ; 14
device veth0 vlan id 20 udp dport 99 ; accept ; policy
device veth0 vlan id 20 vlan pcp 5 udp dport 99 ; drop ; 15
device veth0 vlan id 30 udp dport 7 ; accept ; policy
device veth0 vlan id 31 udp dport 7 ; drop ; 16
# no tag: vlan id != 30 does not hold (the field is not there)
device veth0 udp dport 7 ; accept ; policy
device veth0 vlan id 40 vlan dei 1 ; drop ; 17
device veth0 vlan id 10 ip6 saddr 2001:db8::1 ; drop ; 14
egress device veth0 udp dport 1 ; drop ; 22
egress device veth0 udp dport 2 ; accept ; policy
egress device veth0 meta mark 0x10 udp dport 9 ; drop ; 24
egress device veth0 meta mark 0x11 udp dport 9 ; accept ; policy
egress device veth0 meta mark 0x1ff udp dport 9 ; drop ; 25
egress device veth0 udp dport 9 ; accept ; policy
