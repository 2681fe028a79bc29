# dup (the kernel's nft_dup_ipv4/ipv6) runs in nf_tables: the output
# chain that has it goes there whole.  The packet itself goes on through
# the rule: the statements and the verdict after a dup apply (the copy's
# delivery is tests/e2e/nft-dup.sh's, with traffic).
table ip t {
	chain out {
		type filter hook output priority filter; policy accept;
		tcp dport 22 dup to 192.0.2.9 counter drop
		tcp dport 23 dup to ip daddr map { 198.51.100.2 : 192.0.2.9 } accept
		tcp dport 23 drop
	}
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 24 drop
	}
}
table ip6 t6 {
	chain out {
		type filter hook output priority filter; policy accept;
		tcp dport 22 dup to 2001:db8::9 drop
	}
}
%%
mode netfilter
egress device veth0 tcp dport 22 ; drop ; 8
egress device veth0 tcp dport 23 ; accept ; 9
ingress device veth0 tcp dport 24 ; drop ; 14
egress device veth0 ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::2 tcp dport 22 ; drop ; 20
egress device veth0 tcp dport 25 ; accept ; policy
