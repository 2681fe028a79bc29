# iptables' -m multiport --ports with a range (udp xt-ports, tcp xt-ports:
# the kernel's xt_multiport through nf_tables); tests/nft/
# xt-multiport.ipt is the same as iptables rules, which nft-diff.sh loads
# with iptables-nft-restore and with bpfwall iptables-restore.  The
# source or the destination port in the list; with !, neither.
table ip filter {
	chain INPUT {
		type filter hook input priority 0; policy accept;
		meta l4proto udp udp xt-ports { 53, 1024-65535 } counter drop
		meta l4proto tcp tcp xt-ports != { 1-10, 22, 80-90 } counter drop
		meta l4proto sctp sctp xt-ports { 2000-2010, 3000 } counter drop
		counter
	}
}
%%
mode netfilter
ingress device veth0 udp sport 53 udp dport 9 ; drop ; 9
ingress device veth0 udp sport 9 udp dport 53 ; drop ; 9
ingress device veth0 udp sport 9 udp dport 1024 ; drop ; 9
ingress device veth0 udp sport 65535 udp dport 7 ; drop ; 9
ingress device veth0 udp sport 9 udp dport 1023 ; accept ; policy
ingress device veth0 udp sport 52 udp dport 54 ; accept ; policy
ingress device veth0 tcp sport 22 tcp dport 1000 ; accept ; policy
ingress device veth0 tcp sport 1000 tcp dport 85 ; accept ; policy
ingress device veth0 tcp sport 1000 tcp dport 10 ; accept ; policy
ingress device veth0 tcp sport 11 tcp dport 91 ; drop ; 10
ingress device veth0 tcp sport 1000 tcp dport 2000 ; drop ; 10
ingress device veth0 sctp sport 9 sctp dport 2005 ; drop ; 11
ingress device veth0 sctp sport 3000 sctp dport 9 ; drop ; 11
ingress device veth0 sctp sport 9 sctp dport 2011 ; accept ; policy
