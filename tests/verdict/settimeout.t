# set timeouts: an element expires its timeout after it was added (a
# rule's `timeout T`, else the set's `timeout T`, else never); update
# refreshes it, add leaves a live one as it is and adds an expired one
# again; a lookup does not find an expired element; the elements a set
# is loaded with expire their set's timeout after the load.  `sleep T`
# lines let the time pass (the interpreter's clock, and for real in the
# kernel); an element is looked at well within (0.8 s) or well past
# its time.
table netdev t {
	set seen {
		type ipv4_addr
		flags timeout
	}
	set fixed {
		type ipv4_addr
		timeout 2s
		elements = { 192.0.2.50 }
	}
	set dflt {
		type ipv4_addr
		timeout 2s
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @seen udp dport 7 drop
		udp dport 7 add @seen { ip saddr timeout 2s }
		ip saddr @fixed udp dport 8 drop
		udp dport 9 update @dflt { ip saddr } accept
		ip saddr @dflt udp dport 11 drop
		ip saddr @seen udp dport 10 drop
		udp dport 10 add @seen { ip saddr }
		udp dport 12 add @seen { ip saddr timeout 2s } accept
	}
}
%%
# at 0 s: 192.0.2.1 added for 2 s, found at once
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 25
# an element loaded with the set
device veth0 ip saddr 192.0.2.50 udp dport 8 ; drop ; 27
# update with the set's timeout (2 s)
device veth0 ip saddr 192.0.2.3 udp dport 9 ; accept ; 28
device veth0 ip saddr 192.0.2.3 udp dport 11 ; drop ; 29
# no timeout given, none in the set: for ever
device veth0 ip saddr 192.0.2.4 udp dport 10 ; accept ; policy
sleep 1200ms
# at 1.2 s: update refreshes 192.0.2.3 (until 3.2 s); add leaves
# 192.0.2.1 as it is (until 2 s)
device veth0 ip saddr 192.0.2.3 udp dport 9 ; accept ; 28
device veth0 ip saddr 192.0.2.1 udp dport 12 ; accept ; 32
sleep 1200ms
# at 2.4 s: 192.0.2.1 has expired: not found, added again, found
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 25
# the refreshed element is still there, the loaded one expired, the
# one without a timeout stays
device veth0 ip saddr 192.0.2.3 udp dport 11 ; drop ; 29
device veth0 ip saddr 192.0.2.50 udp dport 8 ; accept ; policy
device veth0 ip saddr 192.0.2.4 udp dport 10 ; drop ; 30
sleep 1200ms
# at 3.6 s: the refreshed element has expired too
device veth0 ip saddr 192.0.2.3 udp dport 11 ; accept ; policy
