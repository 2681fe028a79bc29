# statements in order: limit (nft's token bucket, burst 5 by default),
# log, counter; a match after a statement; limit over
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 limit rate 2/day burst 2 packets accept
		tcp dport 22 counter log prefix "ssh over " drop
		udp dport 53 limit rate over 1/day burst 2 packets drop
		counter ip saddr 192.0.2.77 log drop
		udp dport 54 limit rate 1/day accept
		udp dport 54 drop
	}
}
%%
device veth0 tcp dport 22 ; accept ; 6
device veth0 tcp dport 22 ; accept ; 6
device veth0 tcp dport 22 ; drop ; 7
device veth0 udp dport 53 ; accept ; policy
device veth0 udp dport 53 ; accept ; policy
device veth0 udp dport 53 ; drop ; 8
device veth0 ip saddr 192.0.2.77 ; drop ; 9
# the default burst is 5 packets
device veth0 udp dport 54 ; accept ; 10
device veth0 udp dport 54 ; accept ; 10
device veth0 udp dport 54 ; accept ; 10
device veth0 udp dport 54 ; accept ; 10
device veth0 udp dport 54 ; accept ; 10
device veth0 udp dport 54 ; drop ; 11
