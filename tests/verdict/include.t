# include "file": relative to the including file, nested, in any block
include "inc/defs.inc"
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr $inc_blocked drop
		include "inc/include-chain.inc"
		udp dport 9 drop
	}
}
%%
device veth0 ip saddr 203.0.113.66 ; drop ; 6
device veth0 tcp dport 2222 ; drop ; inc/include-chain.inc:3
device veth0 ip saddr 198.51.100.77 ; drop ; inc/include-more.inc:2
device veth0 udp dport 9 ; drop ; 8
device veth0 tcp dport 2223 ; accept ; policy
