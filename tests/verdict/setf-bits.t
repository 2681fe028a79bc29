# meta mark set meta mark and A xor X (and its short forms or, xor, and):
# nft's one bitwise on the old mark, as iptables' MARK target with a mask
# (--set-xmark, --and-mark, --or-mark, --xor-mark) becomes; the chains of
# the later hooks see the new mark.
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 22 meta mark set meta mark and 0xffff0000 xor 0x1
		tcp dport 23 meta mark set meta mark or 0x10
		tcp dport 24 meta mark set meta mark xor 0x3
		tcp dport 25 meta mark set meta mark and 0xff
		tcp dport 26 meta mark set meta mark
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x12340001 drop
		meta mark 0x12340015 drop
		meta mark 0x12340006 drop
		meta mark 0x00000005 drop
		meta mark 0x12340005 tcp dport 26 drop
	}
}
%%
mode netfilter
ingress device veth0 meta mark 0x12340005 tcp dport 22 ; drop ; 16
ingress device veth0 meta mark 0x12340005 tcp dport 23 ; drop ; 17
ingress device veth0 meta mark 0x12340005 tcp dport 24 ; drop ; 18
ingress device veth0 meta mark 0x12340005 tcp dport 25 ; drop ; 19
ingress device veth0 meta mark 0x12340005 tcp dport 26 ; drop ; 20
ingress device veth0 meta mark 0x12340005 tcp dport 27 ; accept ; policy
