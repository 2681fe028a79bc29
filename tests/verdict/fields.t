# other header fields: ip ttl/length/dscp, ip6, icmp, icmpv6, ether, meta
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip dscp 46 drop
		ip length 100-200 drop
		ip6 hoplimit 255 drop
		ip6 daddr 2001:db8:ff::/48 drop
		ip6 nexthdr udp udp dport 7 drop
		icmp type echo-request ip saddr 198.51.100.1 drop
		icmp type 3 icmp code 4 drop
		icmpv6 type echo-request ip6 saddr 2001:db8::66 drop
		ether saddr 02:00:00:00:00:99 drop
		ether daddr 02:00:00:00:00:77 ip protocol udp drop
		meta length > 1000 drop
	}
}
%%
device veth0 ip dscp 46 ; drop ; 5
device veth0 ip dscp 45 ; accept ; policy
device veth0 ip length 100 ip protocol 47 ; drop ; 6
device veth0 ip6 saddr 2001:db8::1 ip6 hoplimit 255 udp dport 9 ; drop ; 7
device veth0 ip6 saddr 2001:db8::1 ip6 hoplimit 254 udp dport 9 ; accept ; policy
device veth0 ip6 daddr 2001:db8:ff:1::1 ; drop ; 8
device veth0 ip6 daddr 2001:db8:fe::1 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; drop ; 9
device veth0 udp dport 7 ; accept ; policy
device veth0 ip saddr 198.51.100.1 icmp type echo-request ; drop ; 10
device veth0 ip saddr 198.51.100.1 icmp type echo-reply ; accept ; policy
device veth0 icmp type 3 icmp code 4 ; drop ; 11
device veth0 icmp type 3 icmp code 3 ; accept ; policy
device veth0 ip6 saddr 2001:db8::66 icmpv6 type echo-request ; drop ; 12
device veth0 ip6 saddr 2001:db8::67 icmpv6 type echo-request ; accept ; policy
device veth0 ether saddr 02:00:00:00:00:99 tcp dport 80 ; drop ; 13
device veth0 ether saddr 02:00:00:00:00:98 tcp dport 80 ; accept ; policy
device veth0 ether daddr 02:00:00:00:00:77 udp dport 53 ; drop ; 14
device veth0 ether daddr 02:00:00:00:00:77 tcp dport 53 ; accept ; policy
