# SPDX-License-Identifier: GPL-2.0-only
# IPv4 and IPv6 header fields: ip id, frag-off (flags and offset, the
# 16-bit word as nft has it), hdrlength, ecn; ip6 version, flowlabel,
# length (the payload length).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip id 0x1234 drop
		ip frag-off & 0x4000 != 0 udp dport 1 drop
		ip frag-off & 0x1fff != 0 drop
		ip hdrlength 6 drop
		ip ecn ce drop
		ip ecn ect0 udp dport 2 drop
		ip6 flowlabel 0x12345 drop
		ip6 flowlabel 1-9 udp dport 3 drop
		ip6 length 100 drop
		ip6 version 6 udp dport 4 drop
		ip length 60 ip frag-off 0x2000 drop
	}
}
%%
device veth0 ip id 0x1234 ; drop ; 8
device veth0 ip id 0x1235 ; accept ; policy
# DF set: a whole packet, not a fragment
device veth0 ip frag-off 0x4000 udp dport 1 ; drop ; 9
device veth0 ip frag-off 0x4000 udp dport 2 ; accept ; policy
device veth0 ip frag-off 0 udp dport 1 ; accept ; policy
# a non-first fragment (offset 3 * 8 bytes); MF alone is offset 0
device veth0 ip frag-off 3 meta l4proto 47 ; drop ; 10
device veth0 ip frag-off 0x2000 meta l4proto 47 ; accept ; policy
device veth0 ip frag-off 0x2000 ip length 60 meta l4proto 47 ; drop ; 18
# 24 bytes of header: 4 of options
device veth0 ip hdrlength 6 ; drop ; 11
device veth0 ip hdrlength 7 ; accept ; policy
device veth0 ip ecn ce ; drop ; 12
device veth0 ip ecn 3 ip dscp 46 ; drop ; 12
device veth0 ip ecn ect0 udp dport 2 ; drop ; 13
device veth0 ip ecn ect1 udp dport 2 ; accept ; policy
device veth0 ip dscp 63 ; accept ; policy
device veth0 ip6 flowlabel 0x12345 ; drop ; 14
device veth0 ip6 flowlabel 0x12346 ; accept ; policy
device veth0 ip6 flowlabel 9 udp dport 3 ; drop ; 15
device veth0 ip6 flowlabel 10 udp dport 3 ; accept ; policy
device veth0 ip6 flowlabel 0 udp dport 3 ; accept ; policy
# ip6 length: the payload after the fixed header (here a UDP header and
# 92 bytes)
device veth0 ip6 length 100 udp dport 9 ; drop ; 16
device veth0 ip6 length 99 udp dport 9 ; accept ; policy
device veth0 ip6 length 100 udp dport 9 ip6 version 6 ; drop ; 16
device veth0 ip6 saddr 2001:db8::1 udp dport 4 ; drop ; 17
device veth0 udp dport 4 ; accept ; policy
# ip fields do not match IPv6 and ip6 fields do not match IPv4
device veth0 ip6 saddr 2001:db8::1 ip6 hoplimit 1 ; accept ; policy
device veth0 ip length 100 ; accept ; policy
