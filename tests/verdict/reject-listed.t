# reject in the forms `list ruleset` rewrites: the family's default type
# not written, the type spelled where the rule knows the network layer;
# the relist pass runs the packets through the listed form too
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		udp dport 9 reject with icmpx port-unreachable
		ip saddr 192.0.2.1 udp dport 10 reject
		ip6 saddr 2001:db8::1 udp dport 11 reject
	}
}
%%
device veth0 udp dport 9 ; reject ; 7
device veth0 ip6 saddr 2001:db8::2 udp dport 9 ; reject ; 7
device veth0 ip saddr 192.0.2.1 udp dport 10 ; reject ; 8
device veth0 ip saddr 192.0.2.2 udp dport 10 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 11 ; reject ; 9
device veth0 ip6 saddr 2001:db8::2 udp dport 11 ; accept ; policy
