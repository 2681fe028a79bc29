# SPDX-License-Identifier: GPL-2.0-only
# IPv6 fragments (a fragment header, packet frag-off in 8-byte units and
# packet more-fragments).  A first fragment (offset 0, M) has the
# transport header; a later one has none: meta l4proto still matches.  An
# atomic fragment (offset 0, no M) is an unfragmented packet.  A first
# fragment too short for the transport header is l4-truncated (RFC 7112).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 drop
		meta l4proto tcp ip6 hoplimit 2 drop
		udp dport 53 drop
	}
}
%%
device veth0 ip6 nexthdr ipv6-frag tcp dport 22 ; drop ; 10
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 tcp dport 22 ; drop ; 10
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 tcp dport 23 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag packet frag-off 1 tcp dport 22 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag packet frag-off 1 packet more-fragments 1 tcp dport 22 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag packet frag-off 8191 udp dport 53 ; accept ; policy
device veth0 ip6 nexthdr ipv6-frag packet frag-off 1 tcp dport 23 ip6 hoplimit 2 ; drop ; 11
# after other headers
device veth0 packet exthdr hopopt, ipv6-frag, ipv6-opts packet more-fragments 1 tcp dport 22 ; drop ; 10
device veth0 packet exthdr hopopt, ipv6-frag, ipv6-opts packet frag-off 3 tcp dport 22 ; accept ; policy
# a first fragment with the whole transport header, one byte less
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 ip6 length 28 tcp dport 22 ; drop ; 10
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 ip6 length 27 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 ip6 length 16 udp dport 53 ; drop ; 12
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 ip6 length 15 udp dport 54 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip6 nexthdr ipv6-frag packet more-fragments 1 ip6 length 8 udp dport 54 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
