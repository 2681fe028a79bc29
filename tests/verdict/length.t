# meta length is skb->len at the hook, as in nft: from the network header
# at ingress (the Ethernet header and VLAN tags are not counted), the whole
# frame at netdev egress.  A packet's `meta length N` below is the length
# from the network header.  (length-inet.t: the inet/ip/ip6 chains.)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		meta length 100 drop
		meta length 200-210 vlan id 5 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		meta length 114 drop
	}
}
%%
device veth0 meta length 100 ; drop ; 8
device veth0 meta length 101 ; accept ; policy
device veth0 meta length 114 ; accept ; policy
device veth0 vlan id 7 meta length 100 ; drop ; 8
device veth0 vlan id 5 meta length 205 ; drop ; 9
device veth0 vlan id 6 meta length 205 ; accept ; policy
egress device veth0 meta length 100 ; drop ; 13
egress device veth0 meta length 114 ; accept ; policy
