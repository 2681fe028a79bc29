# iptables' -m tcp --tcp-option K (tcp xt-option K; tests/nft/
# xt-tcpopt.ipt is the same as iptables rules, which nft-diff.sh loads
# with iptables-nft-restore and with bpfwall iptables-restore).  The
# kernel's xt_tcpudp walks the options otherwise than nft's exthdr: the
# kind byte of every option counts, the header's last byte's too, and no
# length is checked; options cut short by the packet drop it.
table ip filter {
	chain INPUT {
		type filter hook input priority 0; policy accept;
		meta l4proto tcp tcp dport 1 tcp xt-option 2 counter drop
		meta l4proto tcp tcp dport 2 tcp xt-option != 2 counter drop
		meta l4proto tcp tcp dport 3 tcp xt-option 4 counter drop
		meta l4proto tcp tcp dport 4 tcp xt-option 8 counter drop
		counter
	}
}
%%
mode netfilter
ingress device veth0 tcp dport 1 packet tcp-options 2, 4, 5, 0xb4 ; drop ; 10
ingress device veth0 tcp dport 1 packet tcp-options 1, 1, 2, 4, 5, 0xb4 ; drop ; 10
ingress device veth0 tcp dport 1 packet tcp-options 0, 2, 4, 5, 0xb4 ; drop ; 10
ingress device veth0 tcp dport 1 ; accept ; policy
ingress device veth0 tcp dport 2 ; drop ; 11
ingress device veth0 tcp dport 2 packet tcp-options 2, 4, 5, 0xb4 ; accept ; policy
# an MSS that runs past the header: its kind byte is enough here (nft's
# exthdr would not see it)
ingress device veth0 tcp dport 1 tcp doff 6 packet tcp-options 1, 1, 2, 4 ; drop ; 10
# a kind on the header's last byte counts
ingress device veth0 tcp dport 1 tcp doff 6 packet tcp-options 1, 1, 1, 2 ; drop ; 10
ingress device veth0 tcp dport 3 tcp doff 6 packet tcp-options 1, 1, 1, 4 ; drop ; 12
# inside another option's bytes it does not: the walk steps over them
ingress device veth0 tcp dport 1 packet tcp-options 8, 10, 2, 2, 2, 2, 2, 2, 2, 2 ; accept ; policy
ingress device veth0 tcp dport 4 packet tcp-options 8, 10, 2, 2, 2, 2, 2, 2, 2, 2 ; drop ; 13
# a length byte of 0 steps by one: the next byte is a kind
ingress device veth0 tcp dport 1 packet tcp-options 3, 0, 2 ; drop ; 10
ingress device veth0 tcp dport 3 packet tcp-options 3, 1, 4, 2 ; drop ; 12
# not TCP: no match, != included
ingress device veth0 udp dport 2 ; accept ; policy
# options cut short by the IP packet's end: xt_tcpudp drops the packet at
# the first rule that reaches the test (its counter does not count it)
ingress device veth0 tcp dport 3 tcp doff 15 ip length 48 ; drop ; 12
ingress device veth0 tcp dport 5 tcp doff 15 ip length 48 ; accept ; policy
