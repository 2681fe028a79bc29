# table families: ip sees only IPv4, ip6 only IPv6, inet both, netdev all.
# netdev chains run first, then inet/ip/ip6 by priority.
table ip t4 {
	chain in {
		type filter hook input priority 0; policy drop;
		ip saddr 192.0.2.1 accept
		meta l4proto udp accept
	}
}
table ip6 t6 {
	chain in {
		type filter hook input priority -5; policy accept;
		meta l4proto udp drop
		ip6 saddr 2001:db8::66 drop
	}
}
table inet ti {
	chain in {
		type filter hook input priority 10; policy accept;
		tcp dport 22 drop
		meta nfproto ipv4 tcp dport 23 drop
	}
}
table netdev tn {
	chain in {
		type filter hook ingress device "veth0" priority 100; policy accept;
		ip saddr 192.0.2.66 drop
		ip6 saddr 2001:db8::77 drop
	}
}
%%
# IPv4: t4 then ti (t6 does not see it)
ip saddr 192.0.2.1 tcp dport 80 ; accept ; policy
ip saddr 192.0.2.2 tcp dport 80 ; drop ; policy
ip saddr 192.0.2.2 udp dport 53 ; accept ; policy
ip saddr 192.0.2.1 tcp dport 22 ; drop ; 20
ip saddr 192.0.2.1 tcp dport 23 ; drop ; 21
# IPv6: t6 then ti (t4 does not see it)
ip6 saddr 2001:db8::1 udp dport 53 ; drop ; 13
ip6 saddr 2001:db8::66 tcp dport 80 ; drop ; 14
ip6 saddr 2001:db8::1 tcp dport 80 ; accept ; policy
ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 20
ip6 saddr 2001:db8::1 tcp dport 23 ; accept ; policy
# netdev (priority 100) still runs before the inet/ip/ip6 chains
device veth0 ip saddr 192.0.2.66 tcp dport 22 ; drop ; 27
device veth0 ip6 saddr 2001:db8::77 udp dport 53 ; drop ; 28
device veth0 ip saddr 192.0.2.1 tcp dport 80 ; accept ; policy
device veth0 ip saddr 192.0.2.1 tcp dport 22 ; drop ; 20
device veth0 ip saddr 192.0.2.2 tcp dport 80 ; drop ; policy
device veth1 ip saddr 192.0.2.66 udp dport 53 ; accept ; policy
