# set statements: add @s { KEY } puts the packet's key in the set, and the
# packets after it (in file order) find it there; update as add; delete
# takes it out; a full set (size) stops the rule (the rest of it does not
# run); a concatenated key
table netdev t {
	set seen {
		type ipv4_addr
	}
	set small {
		type ipv4_addr
		size 2
		elements = { 192.0.2.90 }
	}
	set pair {
		type ipv4_addr . inet_service
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @seen udp dport 7 drop
		udp dport 7 add @seen { ip saddr }
		udp dport 8 delete @seen { ip saddr } accept
		udp dport 9 add @small { ip saddr } accept
		udp dport 9 drop
		ip saddr . tcp dport @pair drop
		tcp dport 80 update @pair { ip saddr . tcp dport }
		ether saddr @macs udp dport 11 drop
		udp dport 11 add @macs { ether saddr }
	}
	set macs {
		type ether_addr
	}
}
%%
# the first packet from a source adds it, the second is dropped
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 19
device veth0 ip saddr 192.0.2.2 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.2 udp dport 7 ; drop ; 19
# delete: 192.0.2.1 is gone, so its next packet passes again (and adds it)
device veth0 ip saddr 192.0.2.1 udp dport 8 ; accept ; 21
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 19
# an IPv6 packet has no ip saddr: the rule stops before the add
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; accept ; policy
device veth0 ip6 saddr 2001:db8::1 udp dport 7 ; accept ; policy
# small holds 192.0.2.90 and room for one more: the second new source
# finds it full, its rule stops there, the next rule drops
device veth0 ip saddr 192.0.2.11 udp dport 9 ; accept ; 22
device veth0 ip saddr 192.0.2.11 udp dport 9 ; accept ; 22
device veth0 ip saddr 192.0.2.90 udp dport 9 ; accept ; 22
device veth0 ip saddr 192.0.2.12 udp dport 9 ; drop ; 23
# a key of two fields
device veth0 ip saddr 192.0.2.5 tcp dport 80 ; accept ; policy
device veth0 ip saddr 192.0.2.5 tcp dport 80 ; drop ; 24
device veth0 ip saddr 192.0.2.5 tcp dport 81 ; accept ; policy
# a key no match reads elsewhere (the Ethernet source)
device veth0 ether saddr 02:00:00:00:00:aa udp dport 11 ; accept ; policy
device veth0 ether saddr 02:00:00:00:00:aa udp dport 11 ; drop ; 26
device veth0 ether saddr 02:00:00:00:00:bb udp dport 11 ; accept ; policy
