# A rule whose statements cannot fail, then a final verdict, ends its
# chain: nothing after it can run, so none of it may be emitted (the
# verifier refuses unreachable code: `log ... drop`, nft's logging idiom,
# once failed to load).  Each shape at ingress, egress, in a user chain
# and at an inet hook; the next chain still runs after an accept.
table netdev t {
	chain a {
		type filter hook ingress device "veth0" priority 0; policy accept;
		log prefix "x: " drop
		tcp dport 22 accept
	}
	chain b {
		type filter hook ingress device "veth1" priority 0; policy drop;
		log accept
	}
	chain b2 {
		type filter hook ingress device "veth1" priority 1; policy accept;
		tcp dport 23 counter log drop
		counter log drop
	}
	chain c {
		type filter hook ingress device "veth2" priority 0; policy drop;
		log level warn counter accept
		drop
	}
	chain d {
		type filter hook ingress device "veth3" priority 0; policy accept;
		reject
	}
	chain e {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 53 accept
		counter log prefix "out: " drop
	}
	chain logged {
		log prefix "u: " accept
	}
	chain rejected {
		counter reject
	}
	chain f {
		type filter hook ingress device "veth4" priority 0; policy drop;
		tcp dport 80 jump logged
		tcp dport 81 goto rejected
		udp dport 1 accept
	}
}
table inet i {
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr 203.0.113.9 accept
		log prefix "in: " level info drop
	}
}
%%
device veth0 tcp dport 22 ; drop ; 9
device veth0 udp dport 53 ; drop ; 9
device veth1 tcp dport 22 ; drop ; 19
device veth1 tcp dport 23 ; drop ; 18
device veth2 tcp dport 22 ; drop ; 52
device veth2 ip saddr 203.0.113.9 tcp dport 22 ; accept ; 51
device veth3 tcp dport 22 ; reject ; 28
device veth3 udp dport 9 ; reject ; 28
egress device veth0 udp dport 53 ; accept ; 32
egress device veth0 tcp dport 22 ; drop ; 33
device veth4 tcp dport 80 ; drop ; 52
device veth4 ip saddr 203.0.113.9 tcp dport 80 ; accept ; 51
device veth4 tcp dport 81 ; reject ; 39
device veth4 udp dport 1 ; drop ; 52
device veth4 udp dport 2 ; drop ; policy
tcp dport 22 ; drop ; 52
ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 52
