# ip saddr / ip daddr: values, prefixes, ranges, anonymous sets, !=
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr 198.51.100.7 drop
		ip saddr 203.0.113.0/24 ip daddr 192.0.2.2 drop
		ip saddr 198.51.100.10-198.51.100.20 drop
		ip daddr { 192.0.2.100, 192.0.2.128/26, 192.0.2.50-192.0.2.60 } drop
		ip saddr != 192.0.2.0/24 ip daddr 192.0.2.9 drop
		ip saddr != { 192.0.2.1, 192.0.2.3 } ip daddr 192.0.2.10 drop
		ip daddr 192.0.2.0/32 drop
		ip saddr 0.0.0.0/0 ip daddr 192.0.2.11 drop
	}
}
%%
# value
device veth0 ip saddr 198.51.100.7 ; drop ; 5
device veth0 ip saddr 198.51.100.8 ; accept ; policy
device veth0 ip saddr 198.51.100.6 ; accept ; policy
# prefix, with a second match in the same rule
device veth0 ip saddr 203.0.113.200 ; drop ; 6
device veth0 ip saddr 203.0.113.0 ; drop ; 6
device veth0 ip saddr 203.0.113.255 ip daddr 192.0.2.2 ; drop ; 6
device veth0 ip saddr 203.0.113.200 ip daddr 192.0.2.3 ; accept ; policy
device veth0 ip saddr 203.0.114.0 ; accept ; policy
device veth0 ip saddr 203.0.112.255 ; accept ; policy
# range, both ends inclusive
device veth0 ip saddr 198.51.100.10 ; drop ; 7
device veth0 ip saddr 198.51.100.15 ; drop ; 7
device veth0 ip saddr 198.51.100.20 ; drop ; 7
device veth0 ip saddr 198.51.100.9 ; accept ; policy
device veth0 ip saddr 198.51.100.21 ; accept ; policy
# anonymous set of a value, a prefix and a range
device veth0 ip daddr 192.0.2.100 ; drop ; 8
device veth0 ip daddr 192.0.2.101 ; accept ; policy
device veth0 ip daddr 192.0.2.99 ; accept ; policy
device veth0 ip daddr 192.0.2.128 ; drop ; 8
device veth0 ip daddr 192.0.2.191 ; drop ; 8
device veth0 ip daddr 192.0.2.127 ; accept ; policy
device veth0 ip daddr 192.0.2.192 ; accept ; policy
device veth0 ip daddr 192.0.2.50 ; drop ; 8
device veth0 ip daddr 192.0.2.55 ; drop ; 8
device veth0 ip daddr 192.0.2.60 ; drop ; 8
device veth0 ip daddr 192.0.2.49 ; accept ; policy
device veth0 ip daddr 192.0.2.61 ; accept ; policy
# first match wins: rule 5 before rule 8
device veth0 ip saddr 198.51.100.7 ip daddr 192.0.2.100 ; drop ; 5
# != prefix
device veth0 ip saddr 198.51.100.99 ip daddr 192.0.2.9 ; drop ; 9
device veth0 ip saddr 192.0.2.1 ip daddr 192.0.2.9 ; accept ; policy
device veth0 ip saddr 192.0.2.255 ip daddr 192.0.2.9 ; accept ; policy
device veth0 ip saddr 192.0.3.0 ip daddr 192.0.2.9 ; drop ; 9
# != anonymous set
device veth0 ip saddr 192.0.2.1 ip daddr 192.0.2.10 ; accept ; policy
device veth0 ip saddr 192.0.2.3 ip daddr 192.0.2.10 ; accept ; policy
device veth0 ip saddr 192.0.2.2 ip daddr 192.0.2.10 ; drop ; 10
# /32 and /0
device veth0 ip daddr 192.0.2.0 ; drop ; 11
device veth0 ip daddr 192.0.2.1 ; accept ; policy
device veth0 ip saddr 203.0.114.9 ip daddr 192.0.2.11 ; drop ; 12
# an IPv6 packet never matches ip saddr/daddr, not even with != (no IPv4 header)
device veth0 ip6 saddr 2001:db8::7 ip6 daddr 2001:db8::9 ; accept ; policy
device veth0 ip6 saddr 2001:db8::7 ip6 daddr 2001:db8::a tcp dport 22 ; accept ; policy
# the chain is bound to veth0: other devices and device-less packets see no chain
device veth1 ip saddr 198.51.100.7 ; accept ; policy
ip saddr 198.51.100.7 ; accept ; policy
