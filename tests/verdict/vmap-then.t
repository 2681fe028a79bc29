# SPDX-License-Identifier: GPL-2.0-only
# Statements after a verdict map run when the element's verdict is
# continue (as nf_tables runs the rest of the rule after a lookup whose
# verdict is continue); a key in no element ends the rule there, and an
# element's accept, drop or jump decides before them.  Here the
# statement after the vmap adds the source to a set the first rule
# drops: only the continue branch adds it.
table netdev t {
	set seen {
		type ipv4_addr
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @seen drop
		udp dport vmap { 7 : continue, 8 : accept, 9 : drop, 10 : jump sub } counter add @seen { ip saddr }
		udp dport 11 ip saddr vmap { 192.0.2.50 : continue } ip ttl 1 add @seen { ip saddr }
	}
	chain sub {
		ip saddr 192.0.2.40 drop
	}
}
table inet f {
	set seen6 {
		type ipv6_addr
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 saddr @seen6 drop
		tcp dport vmap { 22 : continue, 23 : accept } log prefix "vmap " add @seen6 { ip6 saddr }
	}
}
%%
# continue: the statements after the vmap run, the next packet is dropped
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 14
device veth0 ip saddr 192.0.2.1 udp dport 99 ; drop ; 14
# accept and drop decide: nothing is added (an accept at the netdev
# hook goes on to the inet input chain, whose policy has the last word)
device veth0 ip saddr 192.0.2.2 udp dport 8 ; accept ; policy
device veth0 ip saddr 192.0.2.2 udp dport 99 ; accept ; policy
device veth0 ip saddr 192.0.2.3 udp dport 9 ; drop ; 15
device veth0 ip saddr 192.0.2.3 udp dport 99 ; accept ; policy
# not in the map: the rule ends, nothing is added
device veth0 ip saddr 192.0.2.4 udp dport 12 ; accept ; policy
device veth0 ip saddr 192.0.2.4 udp dport 99 ; accept ; policy
# jump: the chain comes back to the next rule, not to the statements
device veth0 ip saddr 192.0.2.5 udp dport 10 ; accept ; policy
device veth0 ip saddr 192.0.2.5 udp dport 99 ; accept ; policy
device veth0 ip saddr 192.0.2.40 udp dport 10 ; drop ; 19
# a match after the vmap: it must hold too
device veth0 ip saddr 192.0.2.50 ip ttl 64 udp dport 11 ; accept ; policy
device veth0 ip saddr 192.0.2.50 ip ttl 64 udp dport 99 ; accept ; policy
device veth0 ip saddr 192.0.2.50 ip ttl 1 udp dport 11 ; accept ; policy
device veth0 ip saddr 192.0.2.50 ip ttl 64 udp dport 99 ; drop ; 14
# an inet input chain (netfilter hook, and XDP)
device veth0 ip6 saddr 2001:db8::1 tcp dport 23 ; accept ; 29
device veth0 ip6 saddr 2001:db8::1 tcp dport 80 ; accept ; policy
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; accept ; policy
device veth0 ip6 saddr 2001:db8::2 tcp dport 80 ; drop ; 28
