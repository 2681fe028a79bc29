# one user chain reached from two base chains (accept in it goes on to the
# next base chain), gotos from user chains, return in a base chain, a
# counter on jump, policy accept after a return
table inet t {
	chain common {
		tcp dport 22 accept
		tcp dport 23 goto refuse
		udp dport 53 counter return
		udp dport 54 goto common2
	}
	chain common2 {
		ip saddr 192.0.2.9 drop
		accept
	}
	chain refuse {
		drop
	}
	chain first {
		type filter hook input priority -10; policy accept;
		ip saddr 192.0.2.1 counter jump common
		ip saddr 192.0.2.2 return
		ip saddr 192.0.2.2 drop
		tcp dport 99 drop
	}
	chain second {
		type filter hook input priority 10; policy drop;
		ip saddr 192.0.2.1 udp dport 53 accept
		jump common
	}
}
%%
# first: jump common; 22 accepted there, then second: jump common, accept
ip saddr 192.0.2.1 tcp dport 22 ; accept ; 6
# goto refuse: drop
ip saddr 192.0.2.1 tcp dport 23 ; drop ; 16
# return from common: first's next rules, its policy; second accepts
ip saddr 192.0.2.1 udp dport 53 ; accept ; 27
# goto common2 from common: accept by its unconditional rule, or drop
ip saddr 192.0.2.1 udp dport 54 ; accept ; 13
ip saddr 192.0.2.9 udp dport 54 ; drop ; 12
# return in a base chain: its policy (accept); second: common falls off
# the end, back to second: policy drop
ip saddr 192.0.2.2 tcp dport 99 ; drop ; policy
ip saddr 192.0.2.2 tcp dport 22 ; accept ; 6
ip saddr 192.0.2.3 tcp dport 99 ; drop ; 23
ip6 saddr 2001:db8::1 tcp dport 22 ; accept ; 6
ip6 saddr 2001:db8::1 tcp dport 23 ; drop ; 16
