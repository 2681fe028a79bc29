# queue runs in nf_tables (the chain goes there whole); the interpreter
# says what happens when no program listens on the queue: the packet is
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
	}
}
%%
mode netfilter
ingress device veth0 udp dport 1 ; drop ; 10
ingress device veth0 udp dport 2 ; accept ; 11
ingress device veth0 udp dport 3 ; accept ; 12
ingress device veth0 udp dport 4 ; accept ; policy
