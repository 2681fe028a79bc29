# meta mark set A and B (or, xor): nft folds the two numbers into one
# (and lists that one); the later hook's chain sees the folded mark.
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 22 meta mark set 0xf0 or 0x0f
		tcp dport 23 meta mark set 0xfffe xor 0x16
		tcp dport 24 meta mark set 0xffffffde and 0x16
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x000000ff drop
		meta mark 0x0000ffe8 drop
		meta mark 0x00000016 drop
	}
}
%%
mode netfilter
ingress device veth0 tcp dport 22 ; drop ; 12
ingress device veth0 tcp dport 23 ; drop ; 13
ingress device veth0 tcp dport 24 ; drop ; 14
ingress device veth0 tcp dport 25 ; accept ; policy
