# A base chain whose last rule jumps to a chain that never returns (it
# ends with an unconditional accept): nothing after the jump, its policy
# included, can run, and the code generator must not emit it (the
# verifier refuses code no jump leads to).  Found by fuzz-compile.
table inet t {
	chain always {
		ip saddr 192.0.2.9 drop
		accept
	}
	chain first {
		type filter hook input priority 0; policy drop;
		ip saddr 192.0.2.1 udp dport 53 accept
		tcp dport 99 drop
		jump always
	}
}
%%
# the rule before the jump
ip saddr 192.0.2.1 udp dport 53 ; accept ; 12
ip saddr 192.0.2.1 tcp dport 99 ; drop ; 13
# through the jump: the chain that never returns decides
ip saddr 192.0.2.9 tcp dport 22 ; drop ; 7
ip saddr 192.0.2.5 tcp dport 22 ; accept ; 8
ip6 saddr 2001:db8::5 udp dport 53 ; accept ; 8
