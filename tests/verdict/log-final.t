# A rule whose statements cannot fail, then a final verdict, ends its
# chain: nothing after it can run, so none of it may be emitted (the
# verifier refuses unreachable code: `log ... drop`, nft's logging idiom,
# once failed to load).  Each shape ends a base chain or a user chain:
# log accept, log level warn counter accept, log prefix "x: " drop,
# counter log drop, a lone reject and counter reject, at ingress, at
# egress and at an inet hook.
table netdev t {
	chain logged {
		log prefix "u: " accept
	}
	chain logdrop {
		log prefix "x: " drop
		tcp dport 22 accept
	}
	chain cld {
		counter log drop
	}
	chain rejected {
		reject
	}
	chain crej {
		counter reject
	}
	chain a {
		type filter hook ingress device "veth0" priority 0; policy drop;
		log accept
		drop
	}
	chain b {
		type filter hook ingress device "veth0" priority 1; policy drop;
		log level warn counter accept
		drop
	}
	chain c {
		type filter hook ingress device "veth0" priority 2; policy accept;
		tcp dport 80 jump logged
		tcp dport 81 jump logdrop
		tcp dport 82 goto cld
		tcp dport 83 jump rejected
		tcp dport 84 goto crej
	}
	chain d {
		type filter hook ingress device "veth0" priority 3; policy accept;
		reject
	}
	chain e {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 53 accept
		counter log prefix "out: " drop
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
device veth0 tcp dport 80 ; reject ; 45
device veth0 tcp dport 81 ; drop ; 13
device veth0 tcp dport 82 ; drop ; 17
device veth0 tcp dport 83 ; reject ; 20
device veth0 tcp dport 84 ; reject ; 23
device veth0 udp dport 53 ; reject ; 45
egress device veth0 udp dport 53 ; accept ; 49
egress device veth0 tcp dport 22 ; drop ; 50
tcp dport 22 ; drop ; 57
ip saddr 203.0.113.9 tcp dport 22 ; accept ; 56
ip6 saddr 2001:db8::1 tcp dport 22 ; drop ; 57
