# value expressions on the mark (meta mark set EXPR, run by nf_tables):
# shifts, a run of & | ^ folded into one bitwise, a constant moved to
# the right of |; the chains of the later hooks see the new mark.
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 22 meta mark set (meta mark | 0x10) << 4
		tcp dport 23 meta mark set meta mark >> 4 & 0xff ^ 0x1
		tcp dport 24 meta mark set 0x2 or meta mark
		tcp dport 25 meta mark set meta mark << 8 | 0x7
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x23400150 drop
		meta mark 0x00000001 drop
		meta mark 0x12340007 drop
		meta mark 0x34000507 drop
	}
}
%%
mode netfilter
ingress device veth0 meta mark 0x12340005 tcp dport 22 ; drop ; 14
ingress device veth0 meta mark 0x12340005 tcp dport 23 ; drop ; 15
ingress device veth0 meta mark 0x12340005 tcp dport 24 ; drop ; 16
ingress device veth0 meta mark 0x12340005 tcp dport 25 ; drop ; 17
ingress device veth0 meta mark 0x12340005 tcp dport 26 ; accept ; policy
# nft-check: a constant on the left of | (0x2 or meta mark) came after nft 1.0.6
