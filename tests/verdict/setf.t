# meta mark set runs in nf_tables (the chain goes there whole; the
# interpreter says what it does: tests/e2e/nft-setf.sh checks the kernel
# with traffic): the rules after it, and the chains of the later hooks
# (the input chain here, in BPF), see the new mark; a mark the packet
# comes with is replaced.
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 22 meta mark set 0x10
		tcp dport 23 meta mark set 0x20 meta mark 0x20 counter drop
		tcp dport 24 meta mark set 0x30 meta mark 0x31 drop
		udp dport 53 ct mark set 0x5
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x10 drop
		meta mark 0x30 tcp dport 24 counter drop
	}
}
%%
mode netfilter
ingress device veth0 tcp dport 22 ; drop ; 16
ingress device veth0 tcp dport 23 ; drop ; 10
ingress device veth0 tcp dport 24 ; drop ; 17
ingress device veth0 tcp dport 25 ; accept ; policy
ingress device veth0 udp dport 53 ; accept ; policy
