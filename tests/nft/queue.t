# queue runs in nf_tables (the chain goes there whole); the interpreter
# says what happens when no program listens on the queue (a number, a
# range, or one computed: numgen, jhash, a map): the packet is
# dropped, or accepted with bypass (tests/e2e/nft-queue.sh checks the
# kernel, where it has nft_queue).  Not among tests/verdict/*.t: those
# rulesets must pass `nft -c` and the nft differential, which need the
# kernel's nft_queue, missing on the machines this project is tested on.
table inet t {
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		udp dport 1 queue num 3
		udp dport 2 queue num 3 bypass
		udp dport 3 queue flags bypass,fanout to 1-2
		udp dport 4 counter
		udp dport 5 queue flags bypass to numgen inc mod 4
		udp dport 6 queue to jhash ip saddr . udp sport mod 2
		udp dport 7 queue flags bypass to udp sport map { 53 : 1, * : 2 }
	}
}
%%
mode netfilter
ingress device veth0 udp dport 1 ; drop ; 11
ingress device veth0 udp dport 2 ; accept ; 12
ingress device veth0 udp dport 3 ; accept ; 13
ingress device veth0 udp dport 4 ; accept ; policy
ingress device veth0 udp dport 5 ; accept ; 15
ingress device veth0 udp dport 6 ; drop ; 16
ingress device veth0 udp dport 7 ; accept ; 17
