# SPDX-License-Identifier: GPL-2.0-only
# Matches inside tunnels at XDP (netdev ingress, bpf_xdp_load_bytes) and TC
# (netdev egress, bpf_skb_load_bytes): frame offsets behind VLAN tags, the
# end of the outer IP packet (not the frame's trailer).  Not compared with
# nft: Debian's nft 1.0.6 has no inner matches (nft 1.1 does).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		udp dport 4789 vxlan ip saddr 192.0.2.1 drop
		gre ip daddr 198.51.100.7 drop
		gretap ether daddr 02:00:00:00:00:0b gretap udp dport 53 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 6081 geneve ip6 saddr 2001:db8::9 drop
		udp dport 4789 vxlan vni != 10 drop
	}
}
%%
device veth0 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 9
# behind two VLAN tags
device veth0 packet vlans 2 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 9
device veth0 ip6 daddr 2001:db8::2 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; drop ; 9
# the inner header cut short
device veth0 udp dport 4789 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 64" ; accept ; policy
# the frame's trailer is not the IP packet's
device veth0 udp dport 4789 packet trailer 8 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201" ; accept ; policy
# a later fragment has no UDP header, so no tunnel
device veth0 udp dport 4789 ip frag-off 2 packet payload "0800 0000 0000 0a00 0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0201 c633 6463 22b8 0035 0008 0000" ; accept ; policy
device veth0 gre protocol ip packet payload "4500 001c 0001 0000 4011 0000 c000 0202 c633 6407 0001 0002 0008 0000" ; drop ; 10
# C and K: 8 bytes more
device veth0 packet vlans 1 gre protocol ip gre flags 20 packet payload "0000 0000 0000 0000 4500 001c 0001 0000 4011 0000 c000 0202 c633 6407 0001 0002 0008 0000" ; drop ; 10
device veth0 gre protocol ip gre flags 20 packet payload "0000 0000 4500 001c 0001 0000 4011 0000 c000 0202 c633 6407 0001 0002 0008 0000" ; accept ; policy
device veth0 gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6408 0001 0035 0008 0000" ; drop ; 11
device veth0 gre protocol 0x6558 packet payload "0200 0000 000c 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6408 0001 0035 0008 0000" ; accept ; policy
# inner UDP cut short
device veth0 gre protocol 0x6558 packet payload "0200 0000 000b 6287 4dd6 1905 0800 4500 001c 0001 0000 4011 0000 c000 0202 c633 6408 0001 0035 0008" ; accept ; policy
egress device veth0 udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0000 3b40 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001" ; drop ; 15
# tagged, with 4 bytes of options
egress device veth0 packet vlans 1 udp dport 6081 packet payload "0100 6558 0000 0a00 0000 0000 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0000 3b40 2001 0db8 0000 0000 0000 0000 0000 0009 2001 0db8 0000 0000 0000 0000 0000 0001" ; drop ; 15
egress device veth0 udp dport 6081 packet payload "0000 6558 0000 0a00 0200 0000 000b 6287 4dd6 1905 86dd 6000 0000 0000 3b40 2001 0db8 0000 0000 0000 0000 0000 0008 2001 0db8 0000 0000 0000 0000 0000 0001" ; accept ; policy
# vxlan vni != 10
egress device veth0 udp dport 4789 packet payload "0800 0000 0000 0b00" ; drop ; 16
egress device veth0 udp dport 4789 packet payload "0800 0000 0000 0a00" ; accept ; policy
# != does not hold where the field is not there
egress device veth0 udp dport 4789 packet payload "0000 0000 0000 0b00" ; accept ; policy
egress device veth0 udp dport 4789 packet payload "0800 0000 0000" ; accept ; policy
# nft-check: the tunnel matches are nft 1.1's
