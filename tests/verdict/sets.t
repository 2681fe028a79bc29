# named sets (interval: prefixes, ranges), concatenations, verdict maps
# (named and literal), literal sets large enough to be looked up
define alt = 443
table netdev t {
	set blocked {
		type ipv4_addr
		flags interval
		elements = { 198.51.100.0/24, 203.0.113.7, 192.0.2.100-192.0.2.120 }
	}
	set svc {
		type ipv4_addr . inet_service
		elements = { 192.0.2.1 . 22, 192.0.2.2 . 80 }
	}
	map ports {
		type inet_service : verdict
		elements = { 22 : accept, 23 : drop, 24 : jump sub, 25 : goto sub, 26 : return }
	}
	set six {
		typeof ip6 saddr
		flags interval
		elements = { 2001:db8:66::/48, 2001:db8::7 }
	}
	chain sub {
		ip saddr 192.0.2.5 drop
		tcp dport 25 accept
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @blocked drop
		ip saddr . tcp dport @svc accept
		ip daddr . tcp dport { 192.0.2.9 . 9, 192.0.2.10 . 10-20 } drop
		ip saddr 192.0.2.0/24 tcp dport vmap @ports
		udp dport vmap { 53 : accept, 54 : drop, $alt : drop }
		tcp sport { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49 } drop
		tcp sport != { 1000-1999, 3000, 3001, 3002, 3003, 3004, 3005, 3006, 3007, 3008, 3009, 3010, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018, 3019, 3020, 3021, 3022, 3023, 3024, 3025, 3026, 3027, 3028, 3029, 3030, 3031, 3032, 3033, 3034, 3035, 3036, 3037, 3038, 3039, 3040, 3041, 3042, 3043, 3044, 3045, 3046 } tcp dport 99 drop
		ip6 saddr @six drop
		ip6 saddr != @six udp dport 5 drop
	}
}
%%
device veth0 ip saddr 198.51.100.77 ; drop ; 29
device veth0 ip saddr 203.0.113.7 ; drop ; 29
device veth0 ip saddr 203.0.113.8 ; accept ; policy
device veth0 ip saddr 192.0.2.99 ; accept ; policy
device veth0 ip saddr 192.0.2.100 ; drop ; 29
device veth0 ip saddr 192.0.2.110 ; drop ; 29
device veth0 ip saddr 192.0.2.120 ; drop ; 29
device veth0 ip saddr 192.0.2.121 ; accept ; policy
# concatenations
device veth0 ip saddr 192.0.2.1 tcp dport 22 ; accept ; 30
device veth0 ip saddr 192.0.2.1 tcp dport 80 ; accept ; policy
device veth0 ip saddr 192.0.2.2 tcp dport 80 ; accept ; 30
device veth0 ip saddr 192.0.2.2 udp dport 80 ; accept ; policy
device veth0 ip daddr 192.0.2.9 tcp dport 9 ; drop ; 31
device veth0 ip daddr 192.0.2.10 tcp dport 15 ; drop ; 31
device veth0 ip daddr 192.0.2.10 tcp dport 21 ; accept ; policy
# vmap
device veth0 ip saddr 192.0.2.3 tcp dport 22 ; accept ; 32
device veth0 ip saddr 192.0.2.3 tcp dport 23 ; drop ; 32
device veth0 ip saddr 192.0.2.5 tcp dport 24 ; drop ; 24
device veth0 ip saddr 192.0.2.6 tcp dport 24 ; accept ; policy
device veth0 ip saddr 192.0.2.6 tcp dport 25 ; accept ; 25
device veth0 ip saddr 192.0.2.6 tcp dport 26 ; accept ; policy
device veth0 ip saddr 198.51.99.6 tcp dport 23 ; accept ; policy
device veth0 udp dport 53 ; accept ; 33
device veth0 udp dport 54 ; drop ; 33
device veth0 udp dport 443 ; drop ; 33
device veth0 udp dport 55 ; accept ; policy
# large literal sets
device veth0 tcp sport 49 ; drop ; 34
device veth0 tcp sport 50 ; accept ; policy
device veth0 tcp sport 1500 tcp dport 99 ; accept ; policy
device veth0 tcp sport 3047 tcp dport 99 ; drop ; 35
device veth0 tcp sport 3046 tcp dport 99 ; accept ; policy
device veth0 ip6 saddr 2001:db8:66:1::1 ; drop ; 36
device veth0 ip6 saddr 2001:db8::7 ; drop ; 36
device veth0 ip6 saddr 2001:db8::8 udp dport 5 ; drop ; 37
device veth0 ip6 saddr 2001:db8::7 udp dport 5 ; drop ; 36
