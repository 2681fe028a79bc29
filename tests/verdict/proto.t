# ip protocol and meta l4proto: names, numbers, sets, !=
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		ip protocol icmp ip saddr 198.51.100.1 drop
		meta l4proto udp ip saddr 198.51.100.2 drop
		ip protocol != tcp ip saddr 198.51.100.3 drop
		meta l4proto { tcp, udp } ip saddr 198.51.100.4 drop
		ip protocol 47 drop
		meta l4proto icmpv6 drop
		meta l4proto != { tcp, udp, icmp, 47 } drop
	}
}
%%
device veth0 ip saddr 198.51.100.1 icmp type echo-request ; drop ; 5
ip saddr 198.51.100.1 icmp type echo-request ; drop ; 5
ip saddr 198.51.100.1 ip protocol icmp ; drop ; 5
ip saddr 198.51.100.1 tcp dport 80 ; accept ; policy
ip saddr 198.51.100.2 udp dport 53 ; drop ; 6
ip saddr 198.51.100.2 meta l4proto udp ; drop ; 6
ip saddr 198.51.100.2 tcp dport 53 ; accept ; policy
ip saddr 198.51.100.3 udp dport 53 ; drop ; 7
ip saddr 198.51.100.3 icmp type echo-request ; drop ; 7
ip saddr 198.51.100.3 tcp dport 53 ; accept ; policy
ip saddr 198.51.100.4 tcp dport 1 ; drop ; 8
ip saddr 198.51.100.4 udp dport 1 ; drop ; 8
ip saddr 198.51.100.4 icmp type echo-request ; accept ; policy
# a protocol by number, with no transport header bpfwall knows
ip protocol 47 ; drop ; 9
meta l4proto 47 ; drop ; 9
ip6 saddr 2001:db8::1 meta l4proto 47 ; accept ; policy
# meta l4proto sees IPv6 too
ip6 saddr 2001:db8::1 icmpv6 type echo-request ; drop ; 10
ip6 saddr 2001:db8::1 tcp dport 22 ; accept ; policy
# != set: protocol 50 (esp) is none of them
ip protocol 50 ; drop ; 11
ip6 saddr 2001:db8::1 meta l4proto 50 ; drop ; 11
ip protocol tcp ; accept ; policy
