# The classifier (bpfwall.8, RULE CLASSIFICATION) on IPv6 addresses and interfaces: lines 8-27 and 32-49 are stretches it takes; at the netfilter hooks the interfaces are read when the packet comes, at XDP and TC they are decided when the program is generated
table inet c6 {
	chain in {
		type filter hook input priority 0; policy accept;
		ip6 saddr 2001:db8:ff::1 log prefix "c6 " drop
		meta l4proto udp udp dport 9 ip6 hoplimit 1 drop
		ip6 hoplimit 2 drop
		ip6 saddr 2001:db8:1::1 drop
		ip6 saddr 2001:db8:2::/48 tcp dport 22 accept
		ip6 saddr 2001:db8:2::/64 drop
		iifname "veth0" ip6 daddr 2001:db8:9::/64 udp dport 53 accept
		ip6 daddr 2001:db8:9::10-2001:db8:9::20 drop
		iifname "veth*" tcp dport 8080 drop
		ip6 saddr { 2001:db8:3::1, 2001:db8:4::/120 } meta l4proto udp drop
		iifname "veth2" ip6 saddr 2001:db8:5::/56 accept
		oifname "veth1" drop
		ip saddr 192.0.2.1 drop
		iifname "veth2" ip saddr 198.51.100.0/24 tcp dport 22 drop
		tcp dport 22 accept
		ip6 saddr 2001:db8:6::/48 ip6 daddr 2001:db8:9::1 tcp sport 1000-2000 drop
		iifname { "lo", "veth0" } ip6 saddr 2001:db8:7::/127 drop
		ip6 saddr 2001:db8:7::/64 accept
		ip6 saddr 2001:db8:8::/32 udp dport 100-200 drop
		ip6 daddr 2001:db8:9::5 accept
		ip6 saddr 2001:db8:a::1 ip6 daddr 2001:db8:a::2 drop
		iifname "veth9" drop
		ip6 saddr ::/0 tcp dport 7 drop
		ip6 saddr 2001:db8:ff::/48 log prefix "end " drop
	}
	chain out {
		type filter hook output priority 0; policy accept;
		oifname "veth1" ip6 daddr 2001:db8:1::/64 drop
		oifname "veth*" udp dport 53 drop
		iifname "veth0" drop
		ip6 daddr 2001:db8:2::1 tcp dport 443 accept
		ip6 daddr 2001:db8:2::/64 drop
		oifname "veth2" ip daddr 203.0.113.0/24 drop
		oifname { "veth1", "veth3" } tcp dport 25 drop
		ip daddr 198.51.100.7 accept
		ip6 daddr 2001:db8:3::5-2001:db8:3::9 drop
		oifname "veth1" ip6 daddr 2001:db8:4::/56 tcp dport 80 accept
		ip6 daddr 2001:db8:4::/48 drop
		ip6 daddr 2001:db8:5::1 drop
		ip6 daddr 2001:db8:5::2 drop
		ip6 daddr 2001:db8:5::3 drop
		ip6 daddr 2001:db8:5::4 drop
		oifname "veth2" ip6 daddr 2001:db8:5::5 drop
		ip6 daddr 2001:db8:5::6 drop
		ip6 daddr 2001:db8:5::7 drop
	}
}
%%
mode both
# input: first match across the stretch
ingress device veth0 ip6 saddr 2001:db8:1::1 ip6 daddr 2001:db8:9::1 tcp dport 22 ; drop ; 8
ingress device veth0 ip6 saddr 2001:db8:1::2 ip6 daddr 2001:db8:9::1 tcp dport 22 ; accept ; 19
ingress device veth0 ip6 saddr 2001:db8:2:5::1 ip6 daddr 2001:db8:9::1 tcp dport 22 ; accept ; 9
ingress device veth0 ip6 saddr 2001:db8:2::9 ip6 daddr 2001:db8:9::1 tcp dport 23 ; drop ; 10
ingress device veth0 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::1 tcp dport 23 ; accept ; policy
# the interface decides
ingress device veth0 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::33 udp dport 53 ; accept ; 11
ingress device veth2 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::33 udp dport 53 ; accept ; policy
ingress device veth2 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::13 udp dport 53 ; drop ; 12
ingress device veth0 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::13 udp dport 53 ; accept ; 11
ingress device veth0 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::21 tcp dport 8080 ; drop ; 13
ingress device veth2 ip6 saddr 2001:db8:2:1::9 ip6 daddr 2001:db8:9::21 tcp dport 8080 ; drop ; 13
ingress device veth2 ip saddr 203.0.113.9 ip daddr 192.0.2.2 tcp dport 8080 ; drop ; 13
ingress device veth2 ip6 saddr 2001:db8:5:ff::1 ip6 daddr 2001:db8:9::21 tcp dport 22 ; accept ; 15
ingress device veth2 ip6 saddr 2001:db8:5:100::1 ip6 daddr 2001:db8:9::21 tcp dport 23 ; accept ; policy
ingress device veth0 ip6 saddr 2001:db8:5:ff::1 ip6 daddr 2001:db8:9::21 tcp dport 22 ; accept ; 19
ingress device veth0 ip6 saddr 2001:db8:5:ff::1 ip6 daddr 2001:db8:9::21 tcp dport 23 ; accept ; policy
ingress device veth2 ip saddr 198.51.100.4 ip daddr 192.0.2.2 tcp dport 22 ; drop ; 18
ingress device veth0 ip saddr 198.51.100.4 ip daddr 192.0.2.2 tcp dport 22 ; accept ; 19
ingress device veth2 ip saddr 192.0.2.1 ip daddr 192.0.2.2 tcp dport 22 ; drop ; 17
ingress device veth9 ip saddr 192.0.2.5 ip daddr 192.0.2.2 tcp dport 23 ; drop ; 26
ingress device veth9 ip6 saddr 2001:db8:7::1 ip6 daddr 2001:db8:9::21 tcp dport 23 ; accept ; 22
ingress device veth0 ip6 saddr 2001:db8:7::1 ip6 daddr 2001:db8:9::21 tcp dport 23 ; drop ; 21
ingress device veth0 ip6 saddr 2001:db8:7::2 ip6 daddr 2001:db8:9::21 tcp dport 23 ; accept ; 22
# sets, ranges and prefixes
ingress device veth2 ip6 saddr 2001:db8:3::1 ip6 daddr 2001:db8:9::21 udp dport 9 ; drop ; 14
ingress device veth2 ip6 saddr 2001:db8:3::1 ip6 daddr 2001:db8:9::21 tcp dport 9 ; accept ; policy
ingress device veth2 ip6 saddr 2001:db8:4::ff ip6 daddr 2001:db8:9::21 udp dport 9 ; drop ; 14
ingress device veth2 ip6 saddr 2001:db8:4::100 ip6 daddr 2001:db8:9::21 udp dport 9 ; accept ; policy
ingress device veth2 ip6 saddr 2001:db8:6::100 ip6 daddr 2001:db8:9::1 tcp sport 1500 tcp dport 9 ; drop ; 20
ingress device veth2 ip6 saddr 2001:db8:6::100 ip6 daddr 2001:db8:9::1 tcp sport 2001 tcp dport 9 ; accept ; policy
ingress device veth2 ip6 saddr 2001:db8:8:7::1 ip6 daddr 2001:db8:9::1 udp dport 150 ; drop ; 23
ingress device veth2 ip6 saddr 2001:db8:8:7::1 ip6 daddr 2001:db8:9::5 udp dport 250 ; accept ; 24
ingress device veth2 ip6 saddr 2001:db8:a::1 ip6 daddr 2001:db8:a::2 udp dport 250 ; drop ; 25
ingress device veth2 ip6 saddr 2001:db8:a::1 ip6 daddr 2001:db8:a::3 udp dport 250 ; accept ; policy
ingress device veth2 ip6 saddr 2001:db8:b::1 ip6 daddr 2001:db8:a::3 tcp dport 7 ; drop ; 27
ingress device veth2 ip saddr 203.0.113.9 ip daddr 192.0.2.2 tcp dport 7 ; accept ; policy
# output: the output interface decides
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:1::7 tcp dport 9 ; drop ; 32
egress device veth2 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:1::7 tcp dport 9 ; accept ; policy
egress device veth2 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:1::7 udp dport 53 ; drop ; 33
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:2::1 tcp dport 443 ; accept ; 35
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:2::1 tcp dport 444 ; drop ; 36
egress device veth2 ip saddr 192.0.2.2 ip daddr 203.0.113.7 tcp dport 444 ; drop ; 37
egress device veth1 ip saddr 192.0.2.2 ip daddr 203.0.113.7 tcp dport 444 ; accept ; policy
egress device veth3 ip saddr 192.0.2.2 ip daddr 203.0.113.7 tcp dport 25 ; drop ; 38
egress device veth2 ip saddr 192.0.2.2 ip daddr 198.51.100.7 tcp dport 25 ; accept ; 39
egress device veth3 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:3::7 tcp dport 26 ; drop ; 40
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:4::7 tcp dport 80 ; accept ; 41
egress device veth2 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:4::7 tcp dport 80 ; drop ; 42
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:4:100::7 tcp dport 80 ; drop ; 42
egress device veth2 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:5::5 tcp dport 80 ; drop ; 47
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:5::5 tcp dport 80 ; accept ; policy
egress device veth1 ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8:5::7 tcp dport 80 ; drop ; 49
