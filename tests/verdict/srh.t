# SPDX-License-Identifier: GPL-2.0-only
# nft's srh (segment routing header): bytes at fixed offsets of the first
# routing header, as nf_tables' exthdr reads them: no check of the type
# (a type 0 header is read alike), none of the segment index against the
# header's length (sid[2] of a one-segment header reads what follows it);
# no routing header, or the bytes past the packet's end: no match, !=
# included.  The header is found past other extension headers and AH.
table ip6 t {
	chain in {
		type filter hook input priority 0; policy accept;
		srh last-entry 1 srh tag 4660 drop
		srh sid[1] 2001:db8::a drop
		srh flags { 3, 8-9 } drop
		srh sid[2] != 2001:db8::b drop
		udp dport 9 drop
	}
}
%%
packet exthdr ipv6-route rt type 4 srh last-entry 1 srh tag 4660 udp dport 1 ; drop ; 11
packet exthdr ipv6-route rt type 4 srh last-entry 1 srh tag 4661 udp dport 1 ; accept ; policy
packet exthdr ipv6-route rt type 4 srh last-entry 2 srh tag 4660 udp dport 1 ; accept ; policy
# no routing header: no srh field matches, != included
ip6 saddr 2001:db8::1 udp dport 9 ; drop ; 15
ip6 saddr 2001:db8::1 udp dport 1 ; accept ; policy
# a routing header of type 0 (or 2): the same bytes, the same answer
packet exthdr ipv6-route rt type 0 srh last-entry 1 srh tag 4660 udp dport 1 ; drop ; 11
packet exthdr ipv6-route rt type 2 srh flags 9 udp dport 1 ; drop ; 13
# after other extension headers, and after AH (the upper layer here)
packet exthdr hopopt, ipv6-opts, ipv6-route rt type 4 srh sid[1] 2001:db8::a udp dport 1 ; drop ; 12
packet exthdr ah, ipv6-route rt type 4 srh sid[1] 2001:db8::a meta l4proto ipv6-nonxt ; drop ; 12
packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::c srh flags 8 udp dport 1 ; drop ; 13
packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::c srh flags 4 udp dport 1 ; accept ; policy
# one segment (24 bytes), nothing after it: sid[2] lies past the end
packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::c meta l4proto ipv6-nonxt ; accept ; policy
# one segment, then UDP and 8 bytes: sid[2] reads them
packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::c udp dport 1 packet payload "0102030405060708" ; drop ; 14
# two segments
packet exthdr ipv6-route rt type 4 srh sid[2] 2001:db8::b udp dport 9 ; drop ; 15
packet exthdr ipv6-route rt type 4 srh sid[2] 2001:db8::d udp dport 9 ; drop ; 14
packet exthdr ipv6-route rt type 4 srh sid[1] 2001:db8::a srh sid[2] 2001:db8::b ; drop ; 12
