# user chains: jump (back at the next rule), goto (back where the chain
# that went there returns), return, falling off the end, nesting, a rule
# with a counter and a jump
table netdev t {
	chain web {
		tcp dport 80 accept
		tcp dport 81 drop
		ip saddr 198.51.100.9 return
		tcp dport { 82, 83 } jump deeper
		tcp dport 84 goto deeper
		udp dport 1 drop
	}
	chain deeper {
		tcp dport 82 drop
		ip saddr 203.0.113.1 return
		tcp dport 84 accept
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy drop;
		ip saddr 192.0.2.0/24 jump web
		ip saddr 198.51.100.0/24 goto web
		ip saddr 203.0.113.0/24 jump deeper
		udp dport 2 accept
	}
}
%%
device veth0 tcp dport 80 ; accept ; 6
device veth0 tcp dport 81 ; drop ; 7
device veth0 tcp dport 82 ; drop ; 14
device veth0 tcp dport 83 ; drop ; policy
device veth0 tcp dport 84 ; accept ; 16
device veth0 ip saddr 198.51.100.9 tcp dport 80 ; accept ; 6
device veth0 ip saddr 198.51.100.9 tcp dport 81 ; drop ; 7
device veth0 ip saddr 198.51.100.9 udp dport 2 ; drop ; policy
device veth0 ip saddr 192.0.2.7 udp dport 2 ; accept ; 23
device veth0 ip saddr 203.0.113.1 udp dport 2 ; accept ; 23
device veth0 ip saddr 203.0.113.1 tcp dport 84 ; drop ; policy
device veth0 ip saddr 203.0.113.2 tcp dport 84 ; accept ; 16
