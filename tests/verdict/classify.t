# The classifier (bpfwall.8, RULE CLASSIFICATION): lines 5-24 are one stretch of mixed shapes; the rule with log ends it
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr 192.0.2.1 drop
		ip saddr 198.51.100.0/24 tcp dport 22 accept
		ip saddr 198.51.100.0/25 drop
		tcp dport 80 accept
		ip daddr 203.0.113.5 udp dport 53 accept
		ip saddr 203.0.113.0/28 tcp dport 1000-2000 drop
		udp sport 123 drop
		ip saddr 192.0.2.9 ip protocol icmp drop
		ip saddr { 192.0.2.16, 192.0.2.20-192.0.2.30 } tcp dport { 22, 443 } drop
		ip saddr 192.0.2.20 counter accept
		meta l4proto udp ip daddr 192.0.2.0/24 drop
		tcp dport 22 accept
		tcp dport 22 drop
		ip saddr 192.0.2.40 drop
		ip saddr 192.0.2.41 drop
		ip saddr 192.0.2.42 drop
		ip daddr 198.51.100.200-198.51.100.210 tcp sport 5000-6000 drop
		tcp dport 8080 drop
		ip saddr 198.51.100.128/25 udp dport 9 drop
		ip saddr 192.0.2.43 drop
		ip saddr 192.0.2.50 log prefix "mid " drop
		ip saddr 192.0.2.0/24 drop
	}
}
%%
# the first rule of the stretch that matches decides, whichever table holds it
device veth0 ip saddr 192.0.2.1 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 22 ; drop ; 5
device veth0 ip saddr 192.0.2.1 ip daddr 203.0.113.99 icmp type echo-request ; drop ; 5
device veth0 ip saddr 198.51.100.7 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 22 ; accept ; 6
device veth0 ip saddr 198.51.100.7 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 23 ; drop ; 7
device veth0 ip saddr 198.51.100.7 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 80 ; drop ; 7
device veth0 ip saddr 198.51.100.200 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 80 ; accept ; 8
device veth0 ip saddr 203.0.113.99 ip daddr 203.0.113.5 udp sport 40000 udp dport 53 ; accept ; 9
device veth0 ip saddr 203.0.113.99 ip daddr 203.0.113.5 tcp sport 40000 tcp dport 53 ; accept ; policy
# prefix and port range
device veth0 ip saddr 203.0.113.15 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 2000 ; drop ; 10
device veth0 ip saddr 203.0.113.0 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 1000 ; drop ; 10
device veth0 ip saddr 203.0.113.15 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 2001 ; accept ; policy
device veth0 ip saddr 203.0.113.15 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 999 ; accept ; policy
device veth0 ip saddr 203.0.113.16 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 1500 ; accept ; policy
device veth0 ip saddr 203.0.113.3 ip daddr 203.0.113.99 udp sport 40000 udp dport 1500 ; accept ; policy
device veth0 ip saddr 203.0.113.99 ip daddr 203.0.113.98 udp sport 123 udp dport 9 ; drop ; 11
device veth0 ip saddr 192.0.2.9 ip daddr 203.0.113.99 icmp type echo-request ; drop ; 12
# after the stretch: the rules in line
device veth0 ip saddr 192.0.2.9 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 443 ; drop ; 26
device veth0 ip saddr 192.0.2.50 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 9 ; drop ; 25
# sets of addresses, a range, and ports; the later rules of the same address
device veth0 ip saddr 192.0.2.25 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 443 ; drop ; 13
device veth0 ip saddr 192.0.2.16 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 22 ; drop ; 13
device veth0 ip saddr 192.0.2.20 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 22 ; drop ; 13
device veth0 ip saddr 192.0.2.20 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 23 ; accept ; 14
device veth0 ip saddr 192.0.2.17 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 443 ; drop ; 26
device veth0 ip saddr 192.0.2.31 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 22 ; accept ; 16
device veth0 ip saddr 203.0.113.99 ip daddr 192.0.2.7 udp sport 40000 udp dport 5 ; drop ; 15
device veth0 ip saddr 203.0.113.99 ip daddr 192.0.2.7 tcp sport 40000 tcp dport 5 ; accept ; policy
device veth0 ip saddr 192.0.2.41 ip daddr 203.0.113.99 tcp sport 40000 tcp dport 9999 ; drop ; 19
device veth0 ip saddr 203.0.113.99 ip daddr 198.51.100.205 tcp sport 5500 tcp dport 9999 ; drop ; 21
device veth0 ip saddr 203.0.113.99 ip daddr 198.51.100.210 tcp sport 5000 tcp dport 9999 ; drop ; 21
device veth0 ip saddr 203.0.113.99 ip daddr 198.51.100.211 tcp sport 5500 tcp dport 9999 ; accept ; policy
device veth0 ip saddr 203.0.113.99 ip daddr 198.51.100.205 tcp sport 6001 tcp dport 9999 ; accept ; policy
device veth0 ip saddr 203.0.113.99 ip daddr 203.0.113.98 tcp sport 6001 tcp dport 8080 ; drop ; 22
device veth0 ip saddr 198.51.100.150 ip daddr 203.0.113.99 udp sport 40000 udp dport 9 ; drop ; 23
device veth0 ip saddr 198.51.100.150 ip daddr 203.0.113.99 udp sport 40000 udp dport 10 ; accept ; policy
device veth0 ip saddr 192.0.2.43 ip daddr 203.0.113.99 udp sport 40000 udp dport 10 ; drop ; 24
# IPv6: the port rules hold, the IPv4 address rules do not
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 tcp sport 40000 tcp dport 80 ; accept ; 8
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 udp sport 123 udp dport 9 ; drop ; 11
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 tcp sport 40000 tcp dport 22 ; accept ; 16
device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 tcp sport 5500 tcp dport 1500 ; accept ; policy
