# ordered comparisons: <, <=, >, >= on ports, integers and addresses
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport < 1024 drop
		udp dport >= 60000 drop
		ip ttl <= 2 drop
		ip saddr > 203.0.113.200 drop
		udp sport > 65534 drop
	}
}
%%
device veth0 tcp dport 1023 ; drop ; 5
device veth0 tcp dport 0 ; drop ; 5
device veth0 tcp dport 1024 ; accept ; policy
device veth0 udp dport 1023 ; accept ; policy
device veth0 udp dport 60000 ; drop ; 6
device veth0 udp dport 65535 ; drop ; 6
device veth0 udp dport 59999 ; accept ; policy
device veth0 ip ttl 2 tcp dport 2000 ; drop ; 7
device veth0 ip ttl 1 tcp dport 2000 ; drop ; 7
device veth0 ip ttl 3 tcp dport 2000 ; accept ; policy
device veth0 ip saddr 203.0.113.201 tcp dport 2000 ; drop ; 8
device veth0 ip saddr 203.0.113.255 tcp dport 2000 ; drop ; 8
device veth0 ip saddr 203.0.113.200 tcp dport 2000 ; accept ; policy
device veth0 ip saddr 192.0.2.1 tcp dport 2000 ; accept ; policy
device veth0 udp sport 65535 udp dport 53 ; drop ; 9
device veth0 udp sport 65534 udp dport 53 ; accept ; policy
# IPv6: the ip ttl and ip saddr rules never match
device veth0 ip6 saddr 2001:db8::1 ip6 hoplimit 1 tcp dport 2000 ; accept ; policy
