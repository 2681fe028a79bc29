# SPDX-License-Identifier: GPL-2.0-only
# The catch-all element `*` of a verdict map: the verdict of a key in no
# other element.  A packet without the key's field (an IPv6 packet for
# ip saddr) meets no element, not even the catch-all: the rule ends.
table netdev t {
	set seen {
		type ipv4_addr
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @seen drop
		ip saddr vmap { 192.0.2.1 : drop, 192.0.2.2 : continue, * : jump sub }
		udp dport vmap { 1-10 : accept, * : continue } add @seen { ip saddr }
		ip6 saddr vmap { 2001:db8::1 : accept, * : drop }
	}
	chain sub {
		ip saddr 192.0.2.40 drop
		udp dport 99 return
		ip saddr . udp dport vmap { 192.0.2.41 . 53 : accept, * : goto sub2 }
	}
	chain sub2 {
		udp dport 54 drop
	}
}
table inet f {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport vmap { 22 : accept, 23 : continue, * : drop }
		tcp dport 23 drop
	}
}
%%
# an element, then the catch-all's jump
device veth0 ip saddr 192.0.2.1 udp dport 1 ; drop ; 12
device veth0 ip saddr 192.0.2.40 udp dport 1 ; drop ; 17
device veth0 ip saddr 192.0.2.41 udp dport 54 ; drop ; 22
device veth0 ip saddr 192.0.2.41 udp dport 53 ; accept ; policy
# back from sub (return): the next rules; 1-10 accepts
device veth0 ip saddr 192.0.2.42 udp dport 99 ; accept ; policy
# the catch-all's continue runs the statements after the vmap
device veth0 ip saddr 192.0.2.2 udp dport 11 ; accept ; policy
device veth0 ip saddr 192.0.2.2 udp dport 11 ; drop ; 11
# a goto's chain that decides nothing: back where sub returns (the next
# rule of in): dport 55 meets 13's catch-all too
device veth0 ip saddr 192.0.2.43 udp dport 55 ; accept ; policy
device veth0 ip saddr 192.0.2.43 udp dport 55 ; drop ; 11
# IPv6: no ip saddr, no element of 12 and 13 (nor their catch-alls)
device veth0 ip6 saddr 2001:db8::1 udp dport 55 ; accept ; policy
device veth0 ip6 saddr 2001:db8::2 udp dport 55 ; drop ; 14
# inet input: the catch-all drops, continue goes on to the next rule
device veth0 ip saddr 198.51.100.1 tcp dport 22 ; accept ; 28
device veth0 ip saddr 198.51.100.1 tcp dport 80 ; drop ; 28
device veth0 ip saddr 198.51.100.1 tcp dport 23 ; drop ; 29
