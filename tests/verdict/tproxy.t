# tproxy and synproxy run in nf_tables (their chains go there whole); the
# interpreter says what they do where no socket waits: tproxy finds none,
# so its rule stops there and the next rule decides; synproxy (a statement,
# an object by name or through a map) takes a TCP SYN (it answers with a
# cookie SYN-ACK) and an ACK whose cookie it did not send (dropped), lets
# other TCP segments go on, and stops its rule for anything not TCP.
# tests/e2e/nft-tproxy.sh checks the kernel: real sockets, a real SYN-ACK.
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
		tcp dport 80 counter
		udp dport 80 synproxy
		udp dport 80 drop
	}
}
table ip o {
	synproxy s {
		mss 1400
		wscale 3
	}

	chain in {
		type filter hook input priority 10; policy accept;
		tcp dport 81 synproxy name "s"
		synproxy name tcp dport map { 82 : "s" }
		tcp dport 83 counter drop
	}
}
%%
mode netfilter
ingress device veth0 ip daddr 192.0.2.2 tcp dport 6000 ; drop ; 12
ingress device veth0 ip daddr 192.0.2.2 udp dport 5353 ; accept ; policy
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags syn ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags ack ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags syn,ack ; drop ; 17
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags fin ; accept ; policy
ingress device veth0 ip daddr 192.0.2.2 tcp dport 80 tcp flags rst ; accept ; policy
ingress device veth0 ip daddr 192.0.2.2 udp dport 80 ; drop ; 20
ingress device veth0 ip6 daddr 2001:db8::2 tcp dport 80 tcp flags syn ; drop ; 17
ingress device veth0 ip6 daddr 2001:db8::2 udp dport 80 ; drop ; 20
ingress device veth0 ip daddr 192.0.2.2 tcp dport 81 tcp flags syn ; drop ; 31
ingress device veth0 ip daddr 192.0.2.2 tcp dport 81 tcp flags fin ; accept ; policy
ingress device veth0 ip daddr 192.0.2.2 tcp dport 82 tcp flags ack ; drop ; 32
ingress device veth0 ip daddr 192.0.2.2 tcp dport 83 tcp flags syn ; drop ; 33
ingress device veth0 ip daddr 192.0.2.2 udp dport 81 ; accept ; policy
