# TCP options run in nf_tables (nft_exthdr's walk; the chain goes there
# whole): the interpreter walks them as it does, and tests/e2e/
# nft-tcpopt.sh checks the kernel with the same packets.  The walk: from
# byte 20 of the TCP header to its last byte but one, EOL and NOP one byte
# each (EOL does not end it), a zero length byte one byte; the first option
# of a kind is the one, and a field it is too short for, or that runs past
# the header, is not there (the rule does not match, not even with !=);
# exists is then false, as it is in a packet that is not TCP.
table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 1 tcp option maxseg size 1360 drop
		tcp dport 2 tcp option maxseg size != 1360 drop
		tcp dport 3 tcp option maxseg missing drop
		tcp dport 4 tcp option maxseg exists drop
		tcp dport 5 tcp option maxseg length 3 drop
		tcp dport 6 tcp option sack-perm exists drop
		tcp dport 7 tcp option window count 7 drop
		tcp dport 8 tcp option timestamp tsval 1 tcp option timestamp tsecr 2 drop
		tcp dport 9 tcp option mptcp subtype 1 drop
		tcp dport 10 tcp option sack left 100 tcp option sack right 200 drop
		tcp dport 11 tcp option sack1 right 400 drop
		tcp dport 12 tcp option nop exists drop
		tcp dport 13 tcp option eol exists drop
		udp dport 14 tcp option maxseg missing drop
		udp dport 15 tcp option maxseg size != 1 drop
	}
}
%%
mode netfilter
# a plain MSS option; behind NOPs; behind an EOL (the walk goes on)
ingress device veth0 tcp dport 1 packet tcp-options 2, 4, 0x05, 0x50 ; drop ; 12
ingress device veth0 tcp dport 1 packet tcp-options 1, 1, 2, 4, 0x05, 0x50 ; drop ; 12
ingress device veth0 tcp dport 1 packet tcp-options 0, 2, 4, 0x05, 0x50 ; drop ; 12
ingress device veth0 tcp dport 2 packet tcp-options 2, 4, 0x05, 0xb4 ; drop ; 13
ingress device veth0 tcp dport 2 packet tcp-options 2, 4, 0x05, 0x50 ; accept ; policy
# no option at all: size != 1360 does not match, missing does
ingress device veth0 tcp dport 2 ; accept ; policy
ingress device veth0 tcp dport 3 ; drop ; 14
ingress device veth0 tcp dport 4 ; accept ; policy
# the first MSS is the one: a second one is never looked at
ingress device veth0 tcp dport 1 packet tcp-options 2, 4, 1, 0, 2, 4, 0x05, 0x50 ; accept ; policy
# an MSS that runs past the header (doff 6: 4 option bytes)
ingress device veth0 tcp dport 1 tcp doff 6 packet tcp-options 1, 1, 2, 4 ; accept ; policy
ingress device veth0 tcp dport 2 tcp doff 6 packet tcp-options 1, 1, 2, 4 ; accept ; policy
ingress device veth0 tcp dport 3 tcp doff 6 packet tcp-options 1, 1, 2, 4 ; drop ; 14
ingress device veth0 tcp dport 4 tcp doff 6 packet tcp-options 1, 1, 2, 4 ; accept ; policy
# a kind on the header's last byte is not looked at
ingress device veth0 tcp dport 4 tcp doff 6 packet tcp-options 1, 1, 1, 2 ; accept ; policy
ingress device veth0 tcp dport 4 tcp doff 6 packet tcp-options 1, 1, 2, 2 ; drop ; 15
# an MSS of 3 bytes: its length is there, its size is not
ingress device veth0 tcp dport 5 packet tcp-options 2, 3, 5, 0 ; drop ; 16
ingress device veth0 tcp dport 1 packet tcp-options 2, 3, 5, 0x50 ; accept ; policy
ingress device veth0 tcp dport 2 packet tcp-options 2, 3, 5, 0x50 ; accept ; policy
# a length byte of 0: one byte long, so it exists, but has no size
ingress device veth0 tcp dport 4 packet tcp-options 2, 0 ; drop ; 15
ingress device veth0 tcp dport 2 packet tcp-options 2, 0, 5, 0x50 ; accept ; policy
ingress device veth0 tcp dport 6 packet tcp-options 1, 4, 2 ; drop ; 17
ingress device veth0 tcp dport 6 packet tcp-options 1, 1, 2, 4, 5, 0x50 ; accept ; policy
ingress device veth0 tcp dport 7 packet tcp-options 1, 3, 3, 7 ; drop ; 18
ingress device veth0 tcp dport 7 packet tcp-options 1, 3, 3, 8 ; accept ; policy
ingress device veth0 tcp dport 8 packet tcp-options 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 ; drop ; 19
ingress device veth0 tcp dport 8 packet tcp-options 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 3 ; accept ; policy
# a timestamp cut by the header end (doff 7: 8 option bytes)
ingress device veth0 tcp dport 8 tcp doff 7 packet tcp-options 8, 10, 0, 0, 0, 1, 0, 0 ; accept ; policy
ingress device veth0 tcp dport 9 packet tcp-options 30, 4, 0x10, 0 ; drop ; 20
ingress device veth0 tcp dport 9 packet tcp-options 30, 4, 0x1f, 0 ; drop ; 20
ingress device veth0 tcp dport 9 packet tcp-options 30, 4, 0x20, 0 ; accept ; policy
ingress device veth0 tcp dport 10 packet tcp-options 1, 1, 5, 10, 0, 0, 0, 100, 0, 0, 0, 200 ; drop ; 21
ingress device veth0 tcp dport 11 packet tcp-options 1, 1, 5, 18, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 1, 44, 0, 0, 1, 0x90 ; drop ; 22
# one block only: no second block's right edge
ingress device veth0 tcp dport 11 packet tcp-options 1, 1, 5, 10, 0, 0, 0, 100, 0, 0, 1, 0x90 ; accept ; policy
ingress device veth0 tcp dport 12 packet tcp-options 1, 0 ; drop ; 23
ingress device veth0 tcp dport 12 packet tcp-options 0, 0 ; accept ; policy
ingress device veth0 tcp dport 13 packet tcp-options 1, 0 ; drop ; 24
ingress device veth0 tcp dport 13 packet tcp-options 1, 1, 1, 1 ; accept ; policy
# not TCP: missing holds, a field does not
ingress device veth0 udp dport 14 ; drop ; 25
ingress device veth0 udp dport 15 ; accept ; policy
