# chains of type nat go to nf_tables (the interpreter says what they do:
# tests/e2e/nft-nat.sh checks the kernel with traffic).  A chain after a
# dnat sees the new destination: the filter forward chain (BPF) accepts
# only 198.51.100.2 port 80, which 203.0.113.1 port 8080 becomes; a
# filter chain at prerouting before the dnat (priority -150) still sees
# the old one.  A range translates to its first address and port, a
# redirect to its port; snat at postrouting changes the source the later
# postrouting chain (priority 200) sees.
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr 203.0.113.1 tcp dport 8080 dnat to 198.51.100.2:80
		ip daddr 203.0.113.1 tcp dport 8081 dnat to 198.51.100.2-198.51.100.9:81-89
		ip daddr 203.0.113.1 tcp dport 8082 dnat to 198.51.100.3
		tcp dport 8083 redirect to :80
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 192.0.2.7 meta l4proto tcp snat to 203.0.113.99:4000
	}
}
table inet filter {
	chain mangle {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr 198.51.100.2 tcp dport 80 drop
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ip daddr 198.51.100.2 tcp dport { 80, 81 } accept
	}
	chain late {
		type filter hook postrouting priority 200; policy accept;
		ip saddr 203.0.113.99 tcp sport 4000 drop
	}
}
%%
mode netfilter
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8080 ; accept ; policy
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8081 ; accept ; policy
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8082 ; drop ; policy
forward device veth0 device veth1 ip daddr 198.51.100.2 tcp dport 80 ; drop ; 25
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8084 ; drop ; policy
forward device veth0 device veth1 ip daddr 198.51.100.2 tcp dport 8083 ; accept ; policy
forward device veth0 device veth1 ip saddr 192.0.2.7 ip daddr 198.51.100.2 tcp dport 81 ; drop ; 33
forward device veth0 device veth1 ip saddr 192.0.2.8 ip daddr 198.51.100.2 tcp dport 81 ; accept ; policy
