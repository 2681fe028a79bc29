# SPDX-License-Identifier: GPL-2.0-only
# sctp chunk TYPE exists|missing and sctp chunk TYPE FIELD: nf_tables'
# walk over the chunks after the 12-byte common header (the first chunk
# of the type; a chunk of length 0 or a header cut short ends the walk;
# lengths round up to 4).  A field beyond its chunk's length, or a chunk
# beyond the packet, breaks the rule whatever its operator, as nf_tables
# does; in a packet that is not SCTP every chunk is missing.  More than 32 chunks before the answer: dropped (sctp-chunks).
# Packets write their chunks as packet payload "HEX".
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		sctp chunk init initial-tsn 5 drop
		sctp chunk data stream 1337 drop
		sctp chunk sack exists sctp dport 7 drop
		sctp chunk cookie-ack missing sctp dport 8 drop
		sctp chunk shutdown cum-tsn-ack != 65535 sctp dport 9 drop
		sctp chunk init-ack num-outbound-streams { 3, 10-12 } sctp dport 10 drop
		sctp chunk asconf seqno 12345 sctp dport 11 counter drop
		sctp chunk data flags & 3 == 3 sctp dport 12 drop
		sctp chunk abort missing udp dport 99 drop
		sctp chunk data tsn != 1 udp dport 98 drop
	}
}
%%
# the first chunk
sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000006" ; accept ; policy
ip6 saddr 2001:db8::1 sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
# after others: a heartbeat, a sack, a chunk of length 1 (4 with padding)
sctp dport 1 packet payload "0400 0008 01020304 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
sctp dport 1 packet payload "0300 0010 00000001 00000001 0000 0000 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
sctp dport 1 packet payload "0400 0001 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
# only the first init counts
sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000006 0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy
# a chunk of length 0 ends the walk
sctp dport 1 packet payload "0400 0000 0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy
# the field beyond the chunk's length (16 < 20): the rule breaks
sctp dport 1 packet payload "0100 0010 00000001 00010000 0003 0003 00000005" ; accept ; policy
# the chunk beyond the packet: its length says 24, 20 bytes are there
sctp dport 1 packet payload "0100 0018 00000001 00010000 0003 0003 00000005" ; accept ; policy
# a chunk header cut short (2 bytes) after a heartbeat
sctp dport 1 packet payload "0400 0004 0100" ; accept ; policy
# no chunks at all
sctp dport 1 ; accept ; policy
# data stream
sctp dport 2 packet payload "0003 0014 00000005 0539 0000 00000000 61626364" ; drop ; 13
sctp dport 2 packet payload "0003 0014 00000005 0538 0000 00000000 61626364" ; accept ; policy
# exists, missing
sctp dport 7 packet payload "0400 0004 0300 0010 00000001 00000001 0000 0000" ; drop ; 14
sctp dport 7 packet payload "0400 0004" ; accept ; policy
sctp dport 8 packet payload "0400 0004" ; drop ; 15
sctp dport 8 ; drop ; 15
sctp dport 8 packet payload "0400 0004 0b00 0004" ; accept ; policy
# != on a chunk that is not there: no match (nf_tables breaks)
sctp dport 9 ; accept ; policy
sctp dport 9 packet payload "0700 0008 00000001" ; drop ; 16
sctp dport 9 packet payload "0700 0008 0000ffff" ; accept ; policy
# sets and ranges on a chunk field
sctp dport 10 packet payload "0200 0014 00000001 00010000 000b 0003 00000005" ; drop ; 17
sctp dport 10 packet payload "0200 0014 00000001 00010000 0003 0003 00000005" ; drop ; 17
sctp dport 10 packet payload "0200 0014 00000001 00010000 0004 0003 00000005" ; accept ; policy
# a type nft knows past 0x80
sctp dport 11 packet payload "c100 0008 00003039" ; drop ; 18
sctp dport 11 packet payload "c100 0008 0000303a" ; accept ; policy
# flags with a mask
sctp dport 12 packet payload "0007 0010 00000005 0539 0000 00000000" ; drop ; 13
sctp dport 12 packet payload "0007 0010 00000005 0000 0000 00000000" ; drop ; 19
sctp dport 12 packet payload "0002 0010 00000005 0000 0000 00000000" ; accept ; policy
# not SCTP: no chunk, missing holds (nf_tables' walk finds none); a
# field breaks the rule
udp dport 99 ; drop ; 20
udp dport 98 ; accept ; policy
# 31 heartbeats, then the init: the 32nd chunk, the walk's last
sctp dport 1 packet payload "0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; 12
# 32 heartbeats before it: past the bound, dropped
sctp dport 1 packet payload "0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; malformed sctp-chunks
# past the bound but no rule reads chunks of a non-SCTP packet
udp dport 1 packet payload "0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy
# 32 heartbeats and nothing after: the walk ends at the packet's end
sctp dport 1 packet payload "0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004 0400 0004" ; accept ; policy
# not SCTP: the same bytes after a UDP header
udp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy
# frames cut short: the parser drops them before any rule
sctp dport 1 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" packet truncate 60 ; drop ; malformed ipv4-malformed
# the IP length leaves 8 bytes of the chunk: it lies beyond the packet
sctp dport 1 ip length 40 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; accept ; policy
sctp dport 1 ip length 30 packet payload "0100 0014 00000001 00010000 0003 0003 00000005" ; drop ; malformed l4-truncated # nft: accept bpfwall drops a transport header cut short, as the kernel's sctp_rcv does
