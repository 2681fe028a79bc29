# SPDX-License-Identifier: GPL-2.0-only
# IPv4 fragments.  A first fragment (MF, offset 0) has the transport
# header: ports match.  A later fragment has none: tcp dport never matches
# it (nft's netdev chain reads its payload as if it were a header), while
# meta l4proto and ip protocol do.  A first fragment too short for the
# whole transport header is l4-truncated; TCP at offset 1 (8 bytes, over
# the first fragment's ports and flags) is fragment-bad (RFC 1858, 3128).
# The reserved bit and DF make no fragment.  (netdev only: the kernel
# reassembles before the input hook, and holds a lone fragment.)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 22 drop
		meta l4proto udp ip ttl 2 drop
		ip protocol tcp ip ttl 3 drop
		tcp flags syn ip ttl 4 drop
	}
}
%%
device veth0 ip frag-off 0x2000 tcp dport 22 ; drop ; 13
device veth0 ip frag-off 0x2000 tcp dport 23 ; accept ; policy
# later fragments: no ports, no flags
device veth0 ip frag-off 2 tcp dport 22 ; accept ; policy # nft: drop nft's netdev chain reads a later fragment's payload as the TCP header
device veth0 ip frag-off 0x2002 tcp dport 22 ; accept ; policy # nft: drop nft's netdev chain reads a later fragment's payload as the TCP header
device veth0 ip frag-off 0x1fff tcp dport 22 ; accept ; policy # nft: drop nft's netdev chain reads a later fragment's payload as the TCP header
device veth0 ip frag-off 2 tcp dport 23 ip ttl 4 ; accept ; policy # nft: drop nft's netdev chain reads a later fragment's payload as the TCP header
device veth0 ip frag-off 2 udp dport 53 ip ttl 2 ; drop ; 14
device veth0 ip frag-off 2 ip protocol tcp ip ttl 3 ; drop ; 15
# the reserved bit, DF: no fragment
device veth0 ip frag-off 0x8000 tcp dport 22 ; drop ; 13
device veth0 ip frag-off 0x4000 tcp dport 22 ; drop ; 13
device veth0 ip frag-off 0xc000 tcp dport 23 ip ttl 4 ; drop ; 16
# a first fragment with the whole transport header, one byte less
device veth0 ip frag-off 0x2000 ip length 40 tcp dport 22 ; drop ; 13
device veth0 ip frag-off 0x2000 ip length 39 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip frag-off 0x2000 ip length 28 udp dport 53 ip ttl 2 ; drop ; 14
device veth0 ip frag-off 0x2000 ip length 27 udp dport 54 ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip frag-off 0x2000 ip length 24 icmp type echo-request ; drop ; malformed l4-truncated # nft: accept nft's netdev chain lets a malformed packet reach its rules
# TCP at offset 1: dropped, whatever is in it; offset 2, other protocols
# at offset 1: not
device veth0 ip frag-off 1 tcp dport 23 ; drop ; malformed fragment-bad # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip frag-off 0x2001 meta l4proto tcp ; drop ; malformed fragment-bad # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip frag-off 1 udp dport 53 ip ttl 2 ; drop ; 14
device veth0 ip frag-off 1 udp dport 53 ; accept ; policy
device veth0 ip frag-off 2 tcp dport 23 ; accept ; policy
