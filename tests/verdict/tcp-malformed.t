# SPDX-License-Identifier: GPL-2.0-only
# tcp-malformed: a TCP data offset below 5 (a header shorter than its
# fixed part).  5 to 15 are fine; the data offset is not checked against
# the IP length beyond the 20 fixed bytes.  The kernel delivers these to
# nft's input chain; TCP itself drops them later.
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 22 drop
		tcp doff 15 ip6 hoplimit 2 drop
	}
}
%%
tcp dport 22 tcp doff 5 ; drop ; 9
tcp dport 22 tcp doff 4 ; drop ; malformed tcp-malformed
tcp dport 23 tcp doff 4 ; drop ; malformed tcp-malformed # nft: accept the kernel delivers it to nft's input chain
tcp dport 23 tcp doff 0 ; drop ; malformed tcp-malformed # nft: accept the kernel delivers it to nft's input chain
tcp dport 23 tcp doff 4 ip6 hoplimit 3 ; drop ; malformed tcp-malformed # nft: accept the kernel delivers it to nft's input chain
tcp dport 23 tcp doff 15 ; accept ; policy
tcp dport 23 tcp doff 15 ip6 hoplimit 2 ; drop ; 10
# 60 bytes of header said, 20 inside the IP packet: not checked
tcp dport 22 tcp doff 15 ip length 40 ; drop ; 9
