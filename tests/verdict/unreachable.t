# a chain that only drops: the chains after it never run (and the
# program must not hold their code, which the verifier refuses)
table netdev t {
	chain a {
		type filter hook ingress device "veth0" priority 0; policy drop;
	}
	chain b {
		type filter hook ingress device "veth0" priority 1; policy accept;
		tcp dport 22 accept
	}
}
table inet u {
	chain c {
		type filter hook input priority 0; policy accept;
		drop
	}
	chain d {
		type filter hook input priority 5; policy accept;
		counter accept
	}
}
%%
device veth0 tcp dport 22 ; drop ; policy
tcp dport 22 ; drop ; 15
