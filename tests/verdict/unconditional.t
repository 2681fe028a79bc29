# a rule that tests nothing and has a verdict ends its chain: the rules
# after it and the policy can never run (the kernel verifier refuses code
# that cannot run, so codegen must stop there); the next chain still runs
table netdev t {
	chain c {
		type filter hook ingress device "veth0" priority 0; policy drop;
		tcp dport 22 accept
		ip saddr 0.0.0.0/0 counter drop
		tcp dport 23 accept
	}
	chain d {
		type filter hook ingress device "veth0" priority 1; policy drop;
		udp dport 53 drop
		counter accept
		tcp dport 80 drop
	}
}
table inet x {
	chain c {
		type filter hook input priority 0; policy accept;
		tcp dport 443 drop
		accept
	}
}
%%
device veth0 tcp dport 22 ; accept ; 22
device veth0 tcp dport 23 ; drop ; 8
device veth0 udp dport 53 ; drop ; 8
device veth0 ip6 saddr 2001:db8::1 tcp dport 22 ; accept ; 22
# the IPv4 guard of "ip saddr 0.0.0.0/0" fails for IPv6: chain c's policy drops
device veth0 ip6 saddr 2001:db8::1 tcp dport 443 ; drop ; policy
# no device: only the inet chain runs
tcp dport 80 ; accept ; 22
tcp dport 443 ; drop ; 21
