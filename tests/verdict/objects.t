# named objects run in nf_tables (the chain goes there whole): a quota
# object decides as a quota statement would (the interpreter counts from
# the bytes given as used: tests/e2e/nft-objects.sh checks the kernel's
# count with traffic), a limit object as a limit statement, a counter
# object and last decide nothing, an object map picks the object by its
# key, and stops the rule without one.
# A UDP packet of this file is 28 bytes of IP.
table inet t {
	quota q100 { 100 bytes }
	quota qover { over 100 bytes }
	quota q10 { 10 bytes }
	quota spent { 100 bytes used 90 bytes }
	counter c { }
	limit slow { rate 1/minute }
	limit fast-over { rate over 1/minute }
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 1 quota name "q100" drop
		udp dport 2 quota name "qover" drop
		udp dport 3 quota name "q10" drop
		udp dport 4 quota name "spent" drop
		udp dport 5 counter name "c" drop
		udp dport 6 quota name udp sport map { 7 : "q100", 8 : "q10" } drop
		udp dport 7 last drop
		udp dport 8 limit name "slow" drop
		udp dport 9 limit name "fast-over" drop
	}
}
%%
mode netfilter
ingress device veth0 udp dport 1 ; drop ; 18
ingress device veth0 udp dport 2 ; accept ; policy
ingress device veth0 udp dport 3 ; accept ; policy
ingress device veth0 udp dport 4 ; accept ; policy
ingress device veth0 udp dport 5 ; drop ; 22
ingress device veth0 udp sport 7 udp dport 6 ; drop ; 23
ingress device veth0 udp sport 8 udp dport 6 ; accept ; policy
ingress device veth0 udp sport 9 udp dport 6 ; accept ; policy
ingress device veth0 udp dport 7 ; drop ; 24
ingress device veth0 udp dport 8 ; drop ; 25
ingress device veth0 udp dport 9 ; accept ; policy
# nft-check: last came after nft 1.0.6
