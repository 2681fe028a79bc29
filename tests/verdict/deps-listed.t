# A `meta l4proto` or `meta nfproto` match that a later field needs
# anyway is not listed (as nft lists it): the rule keeps its meaning when
# listed and loaded again (the relist pass); one with a counter between
# keeps its dependency
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		meta l4proto tcp tcp dport 22 drop
		meta nfproto ipv6 ip6 saddr 2001:db8::1 drop
		meta l4proto udp counter udp dport 53 drop
		meta nfproto ipv4 meta l4proto udp udp dport 54 drop
		udp dport 55 meta nfproto ipv6 reject
		icmp id 7 drop
		ip saddr 192.0.2.9 reject with tcp reset
	}
}
table ip t4 {
	chain in {
		type filter hook input priority 1; policy accept;
		ip protocol udp udp dport 56 drop
	}
}
%%
ip saddr 192.0.2.1 tcp dport 22 ; drop ; 8
ip6 saddr 2001:db8::2 tcp dport 22 ; drop ; 8
ip saddr 192.0.2.1 udp dport 22 ; accept ; policy
ip6 saddr 2001:db8::1 udp dport 1 ; drop ; 9
ip6 saddr 2001:db8::3 udp dport 1 ; accept ; policy
ip saddr 192.0.2.1 udp dport 53 ; drop ; 10
ip saddr 192.0.2.1 tcp dport 53 ; accept ; policy
ip saddr 192.0.2.1 udp dport 54 ; drop ; 11
ip6 saddr 2001:db8::3 udp dport 54 ; accept ; policy
# listed as `udp dport 55 reject with icmpv6 port-unreachable`
ip6 saddr 2001:db8::3 udp dport 55 ; reject ; 12
ip saddr 192.0.2.1 udp dport 55 ; accept ; policy
# ip chain: listed as `udp dport 56`
ip saddr 192.0.2.1 udp dport 56 ; drop ; 20
ip saddr 192.0.2.1 tcp dport 56 ; accept ; policy
# listed with the dependencies nft shows: icmp type { echo-reply,
# echo-request } icmp id 7; meta l4proto tcp ip saddr ... reject
ip saddr 192.0.2.1 icmp type echo-request icmp id 7 ; drop ; 13
ip saddr 192.0.2.1 icmp type echo-request icmp id 8 ; accept ; policy
ip saddr 192.0.2.9 tcp dport 80 ; reject ; 14
ip saddr 192.0.2.9 udp dport 80 ; accept ; policy
