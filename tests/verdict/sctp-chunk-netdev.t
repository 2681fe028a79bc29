# SPDX-License-Identifier: GPL-2.0-only
# sctp chunk matches at XDP (netdev ingress: bpf_xdp_load_bytes) and TC
# (netdev egress: bpf_skb_load_bytes), frame offsets behind VLAN tags;
# the walk's end is the frame's (skb->len at these hooks, as nf_tables'
# netdev chains).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		sctp chunk init initial-tsn 5 drop
		sctp chunk abort exists sctp sport 9 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		sctp chunk data ppid 16909060 drop
		sctp chunk heartbeat missing sctp sport 9 drop
	}
}
%%
device veth0 sctp dport 1 packet payload "0400 0004 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 9
device veth0 sctp dport 1 packet payload "0400 0004 0100 0014 00000001 00010000 0003 0003 00000004" ; accept ; policy
device veth0 packet vlans 2 sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 9 # nft: accept nft's netdev chain sees no IP header behind two VLAN tags
# a later fragment has no transport header (nf_tables walks its payload)
device veth0 sctp dport 1 ip frag-off 2 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy # nft: drop nf_tables walks a later fragment's payload as SCTP chunks
device veth0 ip6 daddr 2001:db8::2 sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 9
device veth0 sctp sport 9 packet payload "0600 0004" ; drop ; 10
device veth0 sctp sport 9 packet payload "0400 0004" ; accept ; policy
egress device veth0 sctp dport 1 packet payload "0003 0014 00000005 0539 0000 01020304 61626364" ; drop ; 14
egress device veth0 sctp dport 1 packet payload "0003 0014 00000005 0539 0000 01020305 61626364" ; accept ; policy
egress device veth0 sctp sport 9 ; drop ; 15
egress device veth0 sctp sport 9 packet payload "0400 0008 00000000" ; accept ; policy
egress device veth0 packet vlans 1 sctp sport 9 packet payload "0400 0008 00000000" ; accept ; policy
egress device veth0 sctp dport 1 packet payload "0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0003 0014 00000005 0539 0000 01020304 61626364" ; drop ; malformed sctp-chunks
