# & | ^ with a field on the right (meta mark set meta mark | ip dscp: newer
# nft's bitwise of two registers, run by nf_tables); the chains of the
# later hooks see the new mark.
table inet mangle {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 22 meta mark set meta mark | ip dscp
		tcp dport 23 meta mark set meta mark and 0xffff0000 or tcp dport and 0xff
		tcp dport 24 meta mark set meta mark ^ ip ttl
		tcp dport 25 meta mark set meta mark & ip ttl | 0x100
	}
	chain input {
		type filter hook input priority filter; policy accept;
		meta mark 0x1234000d drop
		meta mark 0x12340017 drop
		meta mark 0x12340045 drop
		meta mark 0x00000100 drop
	}
}
%%
mode netfilter
ingress device veth0 meta mark 0x12340005 ip dscp 8 tcp dport 22 ; drop ; 14
ingress device veth0 meta mark 0x12340005 tcp dport 23 ; drop ; 15
ingress device veth0 meta mark 0x12340005 ip ttl 64 tcp dport 24 ; drop ; 16
ingress device veth0 meta mark 0x12340005 ip ttl 64 tcp dport 25 ; drop ; 17
ingress device veth0 meta mark 0x12340005 ip dscp 4 tcp dport 22 ; accept ; policy
ingress device veth0 meta mark 0x12340005 tcp dport 26 ; accept ; policy
# nft-check: & | ^ with a field on the right came after nft 1.0.6
