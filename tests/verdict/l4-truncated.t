# SPDX-License-Identifier: GPL-2.0-only
# l4-truncated: an unfragmented packet (or a first fragment,
# fragments4.t, fragments6.t) whose transport header does not fit in the
# IP total / payload length: TCP needs 20 bytes, UDP, ICMP and ICMPv6 8.
# The bytes after the IP packet do not count, even when the frame has
# them (the packets here keep their whole headers after a short length).
# The kernel delivers these to nft's input chain; its transport checks
# come later.
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 22 drop
		udp dport 53 drop
		icmp type echo-request drop
		icmpv6 type echo-request drop
		ip protocol 47 drop
	}
}
%%
ip length 40 tcp dport 22 ; drop ; 12
ip length 39 tcp dport 22 ; drop ; malformed l4-truncated
ip length 39 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip length 20 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip length 28 udp dport 53 ; drop ; 13
ip length 27 udp dport 54 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip length 28 icmp type echo-request ; drop ; 14
ip length 27 icmp type echo-reply ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip6 length 20 tcp dport 22 ; drop ; 12
ip6 length 19 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip6 length 8 udp dport 53 ; drop ; 13
ip6 length 7 udp dport 54 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
ip6 length 8 icmpv6 type echo-request ; drop ; 15
ip6 length 0 icmpv6 type echo-reply ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
# after an extension header
ip6 nexthdr hopopt ip6 length 28 tcp dport 22 ; drop ; 12
ip6 nexthdr hopopt ip6 length 27 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
# after IPv4 options
ip hdrlength 6 ip length 44 tcp dport 22 ; drop ; 12
ip hdrlength 6 ip length 43 tcp dport 23 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain
# other protocols need no header
ip protocol 47 ; drop ; 16
# ICMPv6 in IPv4, ICMP in IPv6: no header bpfwall parses
ip length 20 meta l4proto icmpv6 ; accept ; policy
ip6 length 0 meta l4proto icmp ; accept ; policy
