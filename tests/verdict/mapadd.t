# SPDX-License-Identifier: GPL-2.0-only
# Rules that add to a named map of data (add @m { KEY : VALUE }): the
# chain and the map run in nf_tables (the interpreter says what they do;
# tests/e2e/nft-mapadd.sh checks the kernel with traffic).  A later
# packet's lookup (meta mark set KEY map @m) sees what an earlier one
# added; add keeps the value of a key that is there.
table inet t {
	map marks {
		type ipv4_addr : mark
		elements = { 192.0.2.9 : 0x00000009 }
	}
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		udp dport 58 add @marks { ip saddr : 0x00000005 }
		udp dport 59 meta mark set 0x00000007 update @marks { ip saddr : meta mark }
		meta mark set ip saddr map @marks
		meta mark 0x00000005 udp dport 60 drop
		meta mark 0x00000009 udp dport 60 drop
		meta mark 0x00000007 udp dport 60 drop
	}
}
%%
mode netfilter
ingress device veth0 ip saddr 192.0.2.5 udp dport 60 ; accept ; policy
ingress device veth0 ip saddr 192.0.2.5 udp dport 58 ; accept ; policy
ingress device veth0 ip saddr 192.0.2.5 udp dport 60 ; drop ; 17
ingress device veth0 ip saddr 192.0.2.9 udp dport 60 ; drop ; 18
ingress device veth0 ip saddr 192.0.2.9 udp dport 58 ; accept ; policy
ingress device veth0 ip saddr 192.0.2.9 udp dport 60 ; drop ; 18
ingress device veth0 ip saddr 192.0.2.6 udp dport 60 ; accept ; policy
ingress device veth0 ip saddr 192.0.2.6 udp dport 59 ; accept ; policy
ingress device veth0 ip saddr 192.0.2.6 udp dport 60 ; drop ; 19
