# reject in an inet chain: at the netfilter hooks the chain goes, whole,
# to the kernel's nf_tables (there the interpreter says what it does;
# tests/e2e/nft-reject.sh and tests/e2e/inet-reject.sh check the kernel
# with traffic), at XDP it is answered from the program
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 23 reject with tcp reset
		udp dport 9 reject
		tcp dport 24 drop
	}
}
%%
tcp dport 23 ; reject ; 8
udp dport 9 ; reject ; 9
ip6 saddr 2001:db8::1 udp dport 9 ; reject ; 9
tcp dport 24 ; drop ; 10
tcp dport 25 ; accept ; policy
