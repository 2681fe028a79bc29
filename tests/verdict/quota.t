# quota runs in nf_tables (the chain goes there whole; the interpreter
# says what it does for one packet, counting from the bytes given as
# used: tests/e2e/nft-bytes.sh checks the kernel's count with traffic).
# A UDP packet of this file is 28 bytes of IP.
table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 1 quota 100 bytes drop
		udp dport 2 quota over 100 bytes drop
		udp dport 3 quota 10 bytes drop
		udp dport 4 quota 100 bytes used 90 bytes drop
		udp dport 5 quota over 1 kbytes used 1000 bytes drop
	}
}
%%
mode netfilter
ingress device veth0 udp dport 1 ; drop ; 8
ingress device veth0 udp dport 2 ; accept ; policy
ingress device veth0 udp dport 3 ; accept ; policy
ingress device veth0 udp dport 4 ; accept ; policy
ingress device veth0 udp dport 5 ; drop ; 12
