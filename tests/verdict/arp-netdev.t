# The ARP header in netdev chains, run in BPF (XDP at ingress, TC at
# egress): as nft's netdev family, an arp field depends on meta protocol
# arp (the EtherType past the VLAN tags, here the kernel's view) and
# reads the header at the network header; a frame that is not ARP, or
# whose ARP header is cut short, matches no arp field (!= included).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		arp operation request arp daddr ip 192.0.2.1 counter drop
		arp saddr ether 00:00:5e:00:53:66 drop
		arp saddr ip 198.51.100.0/24 arp operation != reply drop
		arp htype != 1 drop
		arp ptype != ip drop
		arp daddr ether 00:00:5e:00:53:77 arp operation { rrequest, inrequest, nak } accept
		arp daddr ether 00:00:5e:00:53:77 drop
		arp hlen 8 drop
		arp plen 16-32 drop
		arp operation 11-20 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		arp operation reply arp saddr ip 192.0.2.2 accept
		arp operation reply drop
		arp daddr ip { 192.0.2.7, 192.0.2.9 } drop
	}
}
%%
device veth0 arp operation request arp daddr ip 192.0.2.1 ; drop ; 9
device veth0 arp operation reply arp daddr ip 192.0.2.1 ; accept ; policy
device veth0 arp operation request arp daddr ip 192.0.2.3 ; accept ; policy
device veth0 arp saddr ether 00:00:5e:00:53:66 arp operation reply ; drop ; 10
device veth0 arp saddr ip 198.51.100.7 ; drop ; 11
device veth0 arp saddr ip 198.51.100.7 arp operation reply ; accept ; policy
device veth0 arp htype 6 ; drop ; 12
device veth0 arp ptype 0x86dd ; drop ; 13
device veth0 arp daddr ether 00:00:5e:00:53:77 arp operation rrequest ; accept ; 14
device veth0 arp daddr ether 00:00:5e:00:53:77 arp operation nak ; accept ; 14
device veth0 arp daddr ether 00:00:5e:00:53:77 arp operation reply ; drop ; 15
# other lengths than 6 and 4: the netdev hooks see them (arp_rcv is later)
device veth0 arp hlen 8 ; drop ; 16
device veth0 arp plen 16 ; drop ; 17
device veth0 arp operation 15 ; drop ; 18
# through a VLAN tag: the header past it
device veth0 vlan id 5 arp operation request arp daddr ip 192.0.2.1 ; drop ; 9
device veth0 vlan id 5 arp htype 6 ; drop ; 12
# not ARP: no arp field matches, != neither
device veth0 ip saddr 192.0.2.9 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 ; accept ; policy
device veth0 ether type 0x88b5 ; accept ; policy
egress device veth0 arp operation reply arp saddr ip 192.0.2.2 ; accept ; 22
egress device veth0 arp operation reply arp saddr ip 192.0.2.3 ; drop ; 23
egress device veth0 arp operation request arp daddr ip 192.0.2.9 ; drop ; 24
egress device veth0 arp operation request arp daddr ip 192.0.2.8 ; accept ; policy
egress device veth0 ip daddr 192.0.2.9 ; accept ; policy
