# reject: a TCP reset, ICMP/ICMPv6 destination unreachable (plain reject:
# port unreachable by family; icmpx by family), and a plain drop where
# the kernel would not answer (a RST, a broadcast or multicast frame or
# destination, a family the reject kind does not fit)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 23 reject with tcp reset
		udp dport 9 reject
		tcp dport 24 reject with icmp type host-unreachable
		ip6 nexthdr tcp tcp dport 25 reject with icmpx type admin-prohibited
		tcp dport 26 reject with icmpv6 type no-route
		tcp dport 27 limit rate 1/day burst 1 packets log prefix "once " reject
	}
}
%%
device veth0 tcp dport 23 ; reject ; 8
device veth0 tcp dport 23 tcp flags rst ; drop ; 8
device veth0 tcp dport 23 tcp flags ack ; reject ; 8
device veth0 udp dport 9 ; reject ; 9
device veth0 ip6 saddr 2001:db8::1 udp dport 9 ; reject ; 9
device veth0 meta pkttype broadcast udp dport 9 ; drop ; 9
device veth0 ip daddr 224.0.0.1 udp dport 9 ; drop ; 9
device veth0 tcp dport 24 ; reject ; 10
device veth0 ip6 saddr 2001:db8::1 tcp dport 24 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 tcp dport 25 ; reject ; 11
device veth0 ip6 saddr 2001:db8::1 tcp dport 26 ; reject ; 12
device veth0 tcp dport 26 ; accept ; policy
device veth0 tcp dport 27 ; reject ; 13
device veth0 tcp dport 27 ; accept ; policy
