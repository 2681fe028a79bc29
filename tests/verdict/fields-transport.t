# SPDX-License-Identifier: GPL-2.0-only
# TCP and UDP header fields: tcp sequence, ackseq, window, doff (the data
# offset, 4 bits), urgptr; udp length (the UDP header's own, not checked
# against the IP length).
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp sequence 0xdeadbeef drop
		tcp sequence 100-200 tcp dport 1 drop
		tcp ackseq 7 drop
		tcp window 0 drop
		tcp window < 1024 tcp dport 2 drop
		tcp doff 8 drop
		tcp doff != 5 tcp dport 3 drop
		tcp urgptr 9 drop
		udp length 99 drop
		udp length { 8, 1000 } udp dport 4 drop
	}
}
%%
device veth0 tcp sequence 0xdeadbeef ; drop ; 8
device veth0 tcp sequence 0xdeadbeee ; accept ; policy
device veth0 tcp sequence 150 tcp dport 1 ; drop ; 9
device veth0 tcp sequence 201 tcp dport 1 ; accept ; policy
device veth0 tcp ackseq 7 ; drop ; 10
device veth0 tcp ackseq 7 ip6 saddr 2001:db8::1 ; drop ; 10
device veth0 tcp ackseq 8 ; accept ; policy
device veth0 tcp window 0 ; drop ; 11
device veth0 tcp window 1023 tcp dport 2 ; drop ; 12
device veth0 tcp window 1024 tcp dport 2 ; accept ; policy
# the data offset counts 32-bit words: 8 is 12 bytes of options
device veth0 tcp doff 8 ; drop ; 13
device veth0 tcp doff 6 tcp dport 3 ; drop ; 14
device veth0 tcp doff 5 tcp dport 3 ; accept ; policy
device veth0 tcp doff 15 tcp dport 3 ; drop ; 14
device veth0 tcp urgptr 9 tcp flags urg ; drop ; 15
device veth0 tcp urgptr 8 tcp flags urg ; accept ; policy
device veth0 udp length 99 ; drop ; 16
device veth0 udp length 8 udp dport 4 ; drop ; 17
device veth0 udp dport 4 ; drop ; 17
device veth0 udp dport 4 meta length 40 ; accept ; policy
device veth0 udp dport 4 meta length 40 udp length 1000 ; drop ; 17
# no field of one transport matches another
device veth0 udp dport 5 ; accept ; policy
device veth0 tcp dport 5 ; accept ; policy
