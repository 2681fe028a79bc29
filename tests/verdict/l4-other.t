# SPDX-License-Identifier: GPL-2.0-only
# Transport headers of other protocols: sctp, dccp, udplite, esp, comp,
# ah (IPv4's).  A header cut short is dropped before any rule, as TCP's
# and UDP's are (l4-truncated; nft sees it, its rules on the fields
# there match).  In an inet table each brings its meta
# l4proto dependency, as in nft.  (nft 1.0.6 aborts on comp nexthdr and
# ah nexthdr equalities: != here.)
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		sctp dport 5060 drop
		sctp sport { 100-200 } sctp vtag 0x01020304 drop
		sctp checksum 7 drop
		dccp dport 5004 dccp type request drop
		dccp type { reset, sync } drop
		udplite dport 53 udplite csumcov 8 drop
		udplite sport 9 drop
		esp spi 0x100 drop
		esp sequence > 1000 drop
		comp cpi 0x1234 drop
		comp nexthdr != tcp comp flags 2 drop
		ah spi 7 ah nexthdr != udp drop
		ah sequence 9 drop
	}
}
%%
sctp dport 5060 ; drop ; 11
sctp dport 5061 ; accept ; policy
ip6 saddr 2001:db8::1 sctp dport 5060 ; drop ; 11
sctp sport 150 sctp vtag 0x01020304 ; drop ; 12
sctp sport 150 sctp vtag 0x01020305 ; accept ; policy
sctp sport 201 sctp vtag 0x01020304 ; accept ; policy
sctp checksum 7 ; drop ; 13
# cut short: 8 bytes of the 12 inside the IP packet (20 + 8)
sctp dport 5060 ip length 28 ; drop ; malformed l4-truncated
sctp dport 5061 ip length 28 ; drop ; malformed l4-truncated # nft: accept bpfwall drops a transport header cut short, as the kernel's sctp_rcv does
esp spi 0x100 ip length 27 ; drop ; malformed l4-truncated
esp spi 0x100 ip length 28 ; drop ; 18
dccp dport 5004 dccp type request ; drop ; 14
dccp dport 5004 dccp type response ; accept ; policy
dccp type sync ; drop ; 15
dccp type reset ; drop ; 15
dccp type 10 ; accept ; policy
udplite dport 53 udplite csumcov 8 ; drop ; 16
udplite dport 53 udplite csumcov 0 ; accept ; policy
udplite sport 9 ; drop ; 17
# udp's ports are not udplite's
udp sport 9 ; accept ; policy
esp spi 0x100 ; drop ; 18
esp spi 0x101 ; accept ; policy
esp sequence 1001 ; drop ; 19
esp sequence 1000 ; accept ; policy
comp cpi 0x1234 ; drop ; 20
comp nexthdr udp comp flags 2 ; drop ; 21
comp nexthdr tcp comp flags 2 ; accept ; policy
ah spi 7 ah nexthdr tcp ; drop ; 22
ah spi 7 ah nexthdr udp ; accept ; policy
ah sequence 9 ; drop ; 23
