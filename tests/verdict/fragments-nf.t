# SPDX-License-Identifier: GPL-2.0-only
# Fragments at the netfilter hooks.  Where the network namespace tracks
# no connections, the kernel does not reassemble before prerouting and
# forward (nor before IPv6 input), and the chains meet the fragments one
# by one, as nft's do (tests/e2e/fragments.sh compares it with nft):
# ports on the first fragment only, meta l4proto on every one, so an
# allowlist's policy drops the later fragments.
table inet f {
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		udp dport 54 drop
		meta l4proto udp ip ttl 9 drop
	}
	chain fw {
		type filter hook forward priority 0; policy drop;
		udp dport 53 accept
		meta l4proto udp ip6 hoplimit 9 accept
	}
}
%%
# IPv4: the first fragment has the ports, the later ones none
forward device veth0 device veth1 ip frag-off 0x2000 udp dport 53 ; accept ; 16
forward device veth0 device veth1 ip frag-off 0x20b9 udp dport 53 ; drop ; policy
forward device veth0 device veth1 ip frag-off 185 udp dport 53 ; drop ; policy
forward device veth0 device veth1 ip frag-off 0x2000 udp dport 54 ; drop ; 11
forward device veth0 device veth1 ip frag-off 185 udp dport 54 ; drop ; policy
forward device veth0 device veth1 ip frag-off 185 udp dport 54 ip ttl 9 ; drop ; 12
ingress device veth0 ip frag-off 185 udp dport 54 ; accept
ingress device veth0 ip frag-off 185 udp dport 54 ip ttl 9 ; drop ; 12
# IPv6: the same
forward device veth0 device veth1 ip6 nexthdr ipv6-frag packet more-fragments 1 udp dport 53 ; accept ; 16
forward device veth0 device veth1 ip6 nexthdr ipv6-frag packet frag-off 185 packet more-fragments 1 udp dport 53 ; drop ; policy
forward device veth0 device veth1 ip6 nexthdr ipv6-frag packet frag-off 185 udp dport 53 ; drop ; policy
forward device veth0 device veth1 ip6 nexthdr ipv6-frag packet frag-off 185 udp dport 53 ip6 hoplimit 9 ; accept ; 17
ingress device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 udp dport 54 ; drop ; 11
ingress device veth0 ip6 nexthdr ipv6-frag packet frag-off 185 udp dport 54 ; accept
