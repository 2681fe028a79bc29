# set statements in an inet input chain (the netfilter hooks, and XDP/TC
# where those cannot run it): an IPv6 key, delete, a full set stopping
# the rule; the IPv4 field of an inet rule stops it for IPv6 packets
table inet t {
	set v6 {
		type ipv6_addr
		size 1
	}
	set v4 {
		type ipv4_addr
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 saddr @v6 tcp dport 22 drop
		tcp dport 22 add @v6 { ip6 saddr } accept
		tcp dport 22 drop
		tcp dport 23 delete @v6 { ip6 saddr } accept
		ip saddr @v4 udp dport 53 drop
		udp dport 53 update @v4 { ip saddr }
	}
}
%%
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; accept ; 15
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 14
# size 1: a second source finds the set full, the add stops its rule
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; drop ; 16
device veth0 ip6 saddr 2001:db8::1 tcp dport 23 ; accept ; 17
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; accept ; 15
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; drop ; 14
# IPv4 sources have no ip6 saddr: never added
device veth0 ip saddr 192.0.2.1 tcp dport 22 ; drop ; 16
device veth0 ip saddr 192.0.2.1 udp dport 53 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 53 ; drop ; 18
device veth0 ip6 saddr 2001:db8::9 udp dport 53 ; accept ; policy
device veth0 ip6 saddr 2001:db8::9 udp dport 53 ; accept ; policy
