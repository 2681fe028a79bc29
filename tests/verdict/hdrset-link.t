# SPDX-License-Identifier: GPL-2.0-only
# link-layer writes at XDP and TC egress (netdev chains) run in BPF: the
# ether type and the first VLAN tag's id, pcp, dei and type, written to
# the packet and to the program's copy, so the rules after see the new
# value (kernel and interpreter alike).  A bare vlan write has nft's
# implicit ether type 8021q in front: an 802.1ad frame is not written.
table netdev l {
	chain ingress {
		type filter hook ingress device "veth0" priority 0; policy accept;
		vlan id 1 vlan id set 2
		vlan id 2 counter drop
		vlan id 3 vlan pcp set 5 vlan dei set 1
		vlan id 3 vlan pcp 5 vlan dei 1 drop
		vlan id 4 vlan type set ip6
		ether type vlan vlan type ip6 vlan id 4 drop
		ether type 8021ad vlan id 5 vlan id set 6
		ether type 8021ad vlan id 6 drop
		vlan id set 7
		vlan id 7 drop
		ether type arp ether type set ip6
		ether type ip6 drop
	}
	chain egress {
		type filter hook egress device "veth0" priority 0; policy accept;
		vlan id 1 vlan id set 2
		vlan id 2 counter drop
		vlan id 3 vlan pcp set 5
		vlan pcp 5 drop
	}
}
%%
ingress device veth0 vlan id 1 ; drop ; 11
ingress device veth0 vlan id 3 vlan pcp 1 ; drop ; 13
ingress device veth0 vlan id 4 vlan type ip ; drop ; 15
ingress device veth0 ether type 8021ad vlan id 5 ; drop ; 17
ingress device veth0 ether type 8021ad vlan id 9 ; accept ; policy
ingress device veth0 vlan id 9 ; drop ; 19
ingress device veth0 ether type arp ; drop ; 21
ingress device veth0 ip saddr 192.0.2.1 ; accept ; policy
egress device veth0 vlan id 1 ; drop ; 26
egress device veth0 vlan id 3 vlan pcp 1 ; drop ; 28
egress device veth0 vlan id 8 vlan pcp 1 ; accept ; policy
