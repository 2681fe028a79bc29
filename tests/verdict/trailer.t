# SPDX-License-Identifier: GPL-2.0-only
# Garbage after the IP packet (packet trailer: bytes no IP length counts,
# like Ethernet padding) changes no field.  meta length is skb->len at the
# hook: at netdev ingress that still counts the trailer; in the inet
# input chain it does not, the kernel has cut the skb to the IP length.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip length 28 udp dport 9 drop
		tcp dport 22 drop
		meta length 48 udp dport 11 drop
		ip6 length 8 udp dport 9 drop
	}
}
table inet u {
	chain in {
		type filter hook input priority 0; policy accept;
		meta length 28 udp dport 10 drop
		meta length 48 udp dport 12 drop
		meta length 40 tcp dport 13 drop
	}
}
%%
device veth0 udp dport 9 packet trailer 10 ; drop ; 9
device veth0 tcp dport 22 packet trailer 30 ; drop ; 10
device veth0 tcp dport 22 tcp doff 6 packet trailer 30 ; drop ; 10
device veth0 ip6 saddr 2001:db8::1 udp dport 9 packet trailer 100 ; drop ; 12
device veth0 udp dport 11 packet trailer 20 ; drop ; 11
device veth0 udp dport 11 ; accept ; policy
device veth0 udp dport 10 packet trailer 4 ; drop ; 18
device veth0 udp dport 10 ip length 28 meta length 46 ; drop ; 18
device veth0 ip6 saddr 2001:db8::1 udp dport 12 packet trailer 8 ; drop ; 19
# a minimum Ethernet frame: a TCP packet padded to 60 bytes
device veth0 tcp dport 13 tcp flags ack ip length 40 meta length 46 ; drop ; 20
device veth0 tcp dport 13 tcp flags ack meta length 46 ; accept ; policy
