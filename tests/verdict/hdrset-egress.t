# header field writes at TC egress (a netdev egress chain) run in BPF:
# the program writes the packet (bpf_skb_store_bytes, the checksums
# updated) and its copy of the header, so the rules after see the new
# value, through the kernel and the interpreter alike; a packet without
# the header stops the rule there (nft's dependency)
table netdev e {
	chain egress {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 7 ip ttl set 9
		ip ttl 9 udp dport 7 counter drop
		udp dport 8 ip dscp set af21
		ip dscp af21 ip ttl 64 udp dport 8 drop
		udp dport 9 udp dport set 10
		udp dport 10 ip dscp cs0 drop
		tcp dport 11 ip ecn set ce tcp flags set fin | ack
		ip ecn ce tcp flags fin,ack tcp dport 11 drop
		tcp dport 12 ip dscp set cs1 ip ecn set ect0
		ip dscp cs1 ip ecn ect0 tcp dport 12 drop
		udp dport 13 ip6 flowlabel set 12345 ip6 hoplimit set 3
		ip6 flowlabel 12345 ip6 hoplimit 3 udp dport 13 drop
		udp dport 16 ip daddr set 203.0.113.7
		ip daddr 203.0.113.7 udp dport 16 drop
	}
}
%%
egress device veth0 udp dport 7 ; drop ; 10
egress device veth0 ip ttl 64 udp dport 8 ; drop ; 12
egress device veth0 udp dport 9 ; drop ; 14
egress device veth0 tcp dport 11 tcp flags syn ; drop ; 16
egress device veth0 tcp dport 12 ; drop ; 18
egress device veth0 ip6 saddr 2001:db8::1 udp dport 13 ; drop ; 20
egress device veth0 ip saddr 192.0.2.1 udp dport 13 ; accept ; policy
egress device veth0 udp dport 16 ; drop ; 22
egress device veth0 udp dport 17 ; accept ; policy
