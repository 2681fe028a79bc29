# SPDX-License-Identifier: GPL-2.0-only
# ipv4-malformed: fewer than 20 bytes of header, a version other than 4,
# IHL below 5, a total length below the header length or beyond the frame.
# Each limit with a packet just inside it and one just outside.  nft's
# netdev chain lets these reach its rules (no rule matches them here).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr 198.51.100.1 drop
	}
}
%%
# 34 bytes: Ethernet and a 20-byte header (protocol 253, nothing after it)
device veth0 ip protocol 253 ; accept ; policy
device veth0 ip protocol 253 ip saddr 198.51.100.1 ; drop ; 9
device veth0 ip protocol 253 packet truncate 33 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip protocol 253 packet truncate 15 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip protocol 253 ip version 4 ; accept ; policy
device veth0 ip protocol 253 ip version 5 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip protocol 253 ip version 6 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip protocol 253 ip hdrlength 5 ; accept ; policy
device veth0 ip protocol 253 ip hdrlength 4 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
# (nft drops this one by its rule: it reads the address of any header)
device veth0 ip protocol 253 ip hdrlength 0 ip saddr 198.51.100.1 ; drop ; malformed ipv4-malformed
# total length: the header length, one less
device veth0 ip protocol 253 ip length 20 ; accept ; policy
device veth0 ip protocol 253 ip length 19 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 ip protocol 253 ip hdrlength 6 ip length 24 ; accept ; policy
device veth0 ip protocol 253 ip hdrlength 6 ip length 23 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
# total length: the frame's length, one more
device veth0 ip protocol 253 ip length 60 ; accept ; policy
device veth0 ip protocol 253 ip length 60 packet truncate 73 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
device veth0 udp dport 53 ip length 100 packet truncate 113 ; drop ; malformed ipv4-malformed # nft: accept nft's netdev chain lets a malformed packet reach its rules
# the frame longer than the total length is fine (trailer.t)
device veth0 ip protocol 253 ip length 20 meta length 46 ; accept ; policy
