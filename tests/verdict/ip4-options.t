# SPDX-License-Identifier: GPL-2.0-only
# IPv4 options: the header is IHL * 4 bytes (ip hdrlength; the packets'
# options are NOPs and an end of list); the transport header is found
# after them, so ports and flags still match, up to the largest header
# (hdrlength 15, 40 bytes of options).  Also through the IP stack.
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 22 drop
		udp dport 53 ip hdrlength 6 drop
		tcp flags fin drop
		ip length 64 meta l4proto tcp drop
	}
}
%%
tcp dport 22 ip hdrlength 6 ; drop ; 9
tcp dport 22 ip hdrlength 10 ; drop ; 9
tcp dport 22 ip hdrlength 15 ; drop ; 9
tcp dport 23 ip hdrlength 15 ; accept ; policy
udp dport 53 ip hdrlength 6 ; drop ; 10
udp dport 53 ip hdrlength 7 ; accept ; policy
udp dport 53 ; accept ; policy
tcp dport 23 tcp flags fin,ack ip hdrlength 8 ; drop ; 11
# the total length counts the options: 44 + 20
tcp dport 23 ip hdrlength 11 ; drop ; 12
tcp dport 23 ip hdrlength 12 ; accept ; policy
# the options and the transport header inside the total length, or not
tcp dport 23 ip hdrlength 15 ip length 79 ; drop ; malformed l4-truncated # nft: accept the kernel delivers it to nft's input chain (TCP checks come later)
tcp dport 23 ip hdrlength 15 ip length 59 ; drop ; malformed ipv4-malformed
