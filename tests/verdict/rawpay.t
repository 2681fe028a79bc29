# SPDX-License-Identifier: GPL-2.0-only
# Raw payload @ll, @nh, @th, @ih,OFFSET,LENGTH at XDP (netdev ingress:
# bpf_xdp_load_bytes) and TC (netdev egress: bpf_skb_load_bytes): each
# match reads its bits from the frame; bytes past the frame's end, or no
# such base, never match, whatever the operator (as nf_tables breaks
# the rule).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		@ll,96,16 0x86dd udp dport 7 drop
		@nh,72,8 17 udp dport 9 drop
		@th,16,16 { 22, 23 } drop
		@ih,0,8 0x41 tcp dport 80 drop
		@ih,4,4 0x5 udp dport 53 drop
		@ih,0,128 0x000102030405060708090a0b0c0d0e0f drop
		@th,400,16 != 0x1 tcp dport 443 drop
		meta l4proto 91 @th,0,16 0x1234 drop
		@nh,0,4 6 @nh,12,8 0xf0 udp dport 99 drop
		@ll,0,1 1 udp dport 98 drop
		icmpv6 type nd-neighbor-solicit @th,64,128 0x20010db8000000000000000000000133 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		@th,16,16 8080 drop
		@ih,4,12 0xabc udp dport 5 drop
	}
}
%%
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; drop ; 10
device veth0 udp dport 7 ; accept ; policy
device veth0 udp dport 9 ; drop ; 11
device veth0 tcp dport 9 ; accept ; policy
device veth0 tcp dport 22 ; drop ; 12
device veth0 udp dport 23 ; drop ; 12
device veth0 udp dport 24 ; accept ; policy
device veth0 tcp dport 80 packet payload "41" ; drop ; 13
device veth0 tcp dport 80 packet payload "42" ; accept ; policy
device veth0 tcp dport 80 ; accept ; policy
device veth0 udp dport 53 packet payload "35" ; drop ; 14
device veth0 udp dport 53 packet payload "53" ; accept ; policy
device veth0 udp dport 1 packet payload "00010203 04050607 08090a0b 0c0d0e0f" ; drop ; 15
device veth0 udp dport 1 packet payload "00010203 04050607 08090a0b 0c0d0e" ; accept ; policy
device veth0 tcp dport 443 ; accept ; policy
device veth0 tcp dport 443 packet payload "00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000" ; drop ; 16
device veth0 tcp dport 443 packet payload "00000000 00000000 00000000 00000000 00000000 00000000 00000000 0000 0001" ; accept ; policy
device veth0 udp dport 99 ip6 saddr 2001:db8::1 ip6 flowlabel 0xf0000 ; drop ; 18
device veth0 udp dport 99 ip6 saddr 2001:db8::1 ; accept ; policy
device veth0 udp dport 98 ether daddr 80:00:00:00:00:01 ; drop ; 19
device veth0 udp dport 98 ; accept ; policy
egress device veth0 tcp dport 8080 ; drop ; 24
egress device veth0 udp dport 8080 ; drop ; 24
egress device veth0 tcp dport 8081 ; accept ; policy
egress device veth0 udp dport 5 packet payload "0abc" ; drop ; 25
egress device veth0 udp dport 5 packet payload "0abd" ; accept ; policy
egress device veth0 udp dport 5 ; accept ; policy
device veth0 meta l4proto 91 packet payload "1234" ; drop ; 17
device veth0 meta l4proto 91 packet payload "1235" ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 00000133" ; drop ; 20
device veth0 ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 00000134" ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 000001" ; accept ; policy
device veth0 udp dport 22 ip frag-off 8 ; accept ; policy # nft: drop nft's netdev chain reads a later fragment's payload as the transport header
device veth0 udp dport 22 ip frag-off 0x2000 ; drop ; 12
