# ipsec in|out (nft's xfrm expression) runs in nf_tables: the prerouting
# and output chains go there whole, the input chain stays in BPF.  A
# packet without a secpath (without an IPsec route) matches no ipsec
# expression, != included (nft_xfrm breaks the rule): the interpreter says
# so here; tests/e2e/nft-xfrm.sh checks the kernel with traffic, against
# nft -f.
table inet sec {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		tcp dport 22 ipsec in reqid 1 drop
		tcp dport 22 ipsec in spi != 5 drop
		tcp dport 22 ipsec in spnum 1 ip saddr != 192.0.2.1 drop
		tcp dport 22 ipsec in reqid vmap { 1 : drop, 2 : drop }
		tcp dport 23 ipsec in ip6 daddr != 2001:db8::1 drop
		tcp dport 23 counter drop
	}
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 24 drop
	}
	chain post {
		type filter hook postrouting priority filter; policy accept;
		ipsec out reqid != 7 drop
	}
}
%%
mode netfilter
ingress device veth0 tcp dport 22 ; accept ; policy
ingress device veth0 tcp dport 23 ; drop ; 15
ingress device veth0 tcp dport 24 ; drop ; 19
ingress device veth0 tcp dport 25 ; accept ; policy
