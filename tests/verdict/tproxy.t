# tproxy and synproxy run in nf_tables (their chains go there whole); the
# interpreter says what they do where no socket waits: tproxy finds no
# transparent socket, so its rule stops there and the next rule decides;
# synproxy takes a TCP SYN (it answers with a cookie SYN-ACK) and an ACK
# whose cookie it did not send (dropped), lets other TCP segments go on,
# and stops its rule for anything not TCP.  tests/e2e/nft-tproxy.sh checks
# the kernel with real sockets and a real SYN-ACK.
table inet t {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 6000 tproxy ip to :6001 meta mark set 0x00000001 accept
		tcp dport 6000 counter drop
		udp dport 5353 tproxy to :5354 accept
	}
	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport 80 synproxy mss 1460 wscale 7 timestamp sack-perm
		tcp dport 80 accept
		udp dport 80 synproxy
		udp dport 80 drop
	}
}
%%
mode netfilter
ingress device veth0 ip daddr 192.0.2.2 tcp dport 6000 ; drop ; 12
ingress device veth0 ip daddr 192.0.2.2 udp dport 5353 ; accept ; policy
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags syn ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags ack ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags syn,ack ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags fin ; accept ; 18
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags rst ; accept ; 18
ingress device veth0 ip daddr 192.0.2.2 udp dport 80 ; drop ; 20
ingress device veth0 ip6 daddr 2001:db8::2 tcp dport 80 tcp flags syn ; drop ; 17
ingress device veth0 ip6 daddr 2001:db8::2 udp dport 80 ; drop ; 20
