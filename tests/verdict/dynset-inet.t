# set statements in an inet input chain (the netfilter hooks, and XDP/TC
# where those cannot run it): an IPv6 key, a full set stopping the rule,
# delete; the IPv4 field of an inet rule stops it for IPv6 packets.
# (No element is added after a delete into a full set: nf_tables frees
# the room of a deleted element only at its next garbage collection, a
# second or so later, bpfwall at once.)
table inet t {
	set v6 {
		type ipv6_addr
		size 1
	}
	set d {
		type ipv6_addr
	}
	set v4 {
		type ipv4_addr
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 saddr @v6 tcp dport 22 drop
		tcp dport 22 add @v6 { ip6 saddr } accept
		tcp dport 22 drop
		ip6 saddr @d udp dport 54 drop
		udp dport 54 add @d { ip6 saddr } accept
		udp dport 55 delete @d { ip6 saddr } accept
		ip6 saddr @d udp dport 56 drop
		ip saddr @v4 udp dport 53 drop
		udp dport 53 update @v4 { ip saddr }
		iifname . ip saddr @ifs udp dport 57 drop
		udp dport 57 add @ifs { iifname . ip saddr }
	}
	set ifs {
		type ifname . ipv4_addr
	}
}
%%
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; accept ; 21
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 20
# size 1: a second source finds the set full, the add stops its rule
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; drop ; 22
device veth0 ip6 saddr 2001:db8::2 tcp dport 22 ; drop ; 22
# IPv4 sources have no ip6 saddr: never added
device veth0 ip saddr 192.0.2.1 tcp dport 22 ; drop ; 22
# delete
device veth0 ip6 saddr 2001:db8::7 udp dport 54 ; accept ; 24
device veth0 ip6 saddr 2001:db8::7 udp dport 54 ; drop ; 23
device veth0 ip6 saddr 2001:db8::7 udp dport 56 ; drop ; 26
device veth0 ip6 saddr 2001:db8::7 udp dport 55 ; accept ; 25
device veth0 ip6 saddr 2001:db8::7 udp dport 56 ; accept ; policy
device veth0 ip6 saddr 2001:db8::8 udp dport 55 ; accept ; 25
# update, and an IPv6 packet that has no ip saddr
device veth0 ip saddr 192.0.2.1 udp dport 53 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 53 ; drop ; 27
device veth0 ip6 saddr 2001:db8::9 udp dport 53 ; accept ; policy
device veth0 ip6 saddr 2001:db8::9 udp dport 53 ; accept ; policy
# a key with the input interface, which no match reads elsewhere
device veth0 ip saddr 192.0.2.3 udp dport 57 ; accept ; policy
device veth0 ip saddr 192.0.2.3 udp dport 57 ; drop ; 29
device veth0 ip saddr 192.0.2.4 udp dport 57 ; accept ; policy
