# tcp/udp sport/dport: value, range, set, !=; implicit protocol dependency
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 drop
		tcp dport 8000-8080 drop
		udp dport { 53, 123, 5000-5010 } drop
		tcp sport 1234 drop
		udp sport != 40000 udp dport 9999 drop
		ip saddr 198.51.100.9 tcp dport != { 80, 443 } drop
		udp sport domain udp dport 9 drop
	}
}
%%
# value; tcp dport 22 matches only TCP (implicit meta l4proto tcp)
device veth0 tcp dport 22 ; drop ; 5
device veth0 udp dport 22 ; accept ; policy
device veth0 tcp dport 23 ; accept ; policy
device veth0 tcp dport 21 ; accept ; policy
device veth0 tcp sport 22 tcp dport 80 ; accept ; policy
device veth0 ip protocol icmp ; accept ; policy
# IPv6 TCP matches tcp dport too (netdev sees both families)
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 5
# range
device veth0 tcp dport 8000 ; drop ; 6
device veth0 tcp dport 8040 ; drop ; 6
device veth0 tcp dport 8080 ; drop ; 6
device veth0 tcp dport 7999 ; accept ; policy
device veth0 tcp dport 8081 ; accept ; policy
device veth0 udp dport 8000 ; accept ; policy
# set of values and a range
device veth0 udp dport 53 ; drop ; 7
device veth0 udp dport 123 ; drop ; 7
device veth0 udp dport 5000 ; drop ; 7
device veth0 udp dport 5005 ; drop ; 7
device veth0 udp dport 5010 ; drop ; 7
device veth0 udp dport 5011 ; accept ; policy
device veth0 udp dport 4999 ; accept ; policy
device veth0 udp dport 54 ; accept ; policy
device veth0 tcp dport 53 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 123 ; drop ; 7
# source port
device veth0 tcp sport 1234 tcp dport 80 ; drop ; 8
device veth0 udp sport 1234 udp dport 80 ; accept ; policy
# != value (udp sport defaults to 40000)
device veth0 udp dport 9999 ; accept ; policy
device veth0 udp sport 40001 udp dport 9999 ; drop ; 9
device veth0 udp sport 39999 udp dport 9999 ; drop ; 9
device veth0 tcp sport 1 tcp dport 9999 ; accept ; policy
# != set: only TCP packets can match, whatever the operator
device veth0 ip saddr 198.51.100.9 tcp dport 81 ; drop ; 10
device veth0 ip saddr 198.51.100.9 tcp dport 80 ; accept ; policy
device veth0 ip saddr 198.51.100.9 tcp dport 443 ; accept ; policy
device veth0 ip saddr 198.51.100.9 udp dport 81 ; accept ; policy
device veth0 ip saddr 198.51.100.9 ip protocol icmp ; accept ; policy
device veth0 ip saddr 198.51.100.10 tcp dport 81 ; accept ; policy
# service names
device veth0 udp sport 53 udp dport 9 ; drop ; 11
device veth0 udp sport 54 udp dport 9 ; accept ; policy
device veth0 tcp sport 53 tcp dport 9 ; accept ; policy
