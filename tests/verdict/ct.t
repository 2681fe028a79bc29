# conntrack: a host firewall of the usual shape on veth0, and what the
# states are for TCP, UDP, ICMP queries and errors; packets run in order
# and share one table, ingress and egress alike
table inet host {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		ct state invalid counter drop
		tcp dport 22 accept
		udp dport 53 ct state new accept
		ip6 nexthdr icmpv6 ct state untracked accept
	}
	chain output {
		type filter hook output priority 0; policy accept;
		ct state invalid counter drop
		tcp dport 25 drop
	}
}
%%
# bpfwall's own connection tracking (the netfilter hooks use the kernel's,
# which BPF_PROG_TEST_RUN does not run)
mode xdp
# the host (192.0.2.1) opens a connection out: SYN, SYN-ACK, ACK
egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40001 tcp dport 80 tcp flags syn ; accept ; policy
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40001 tcp flags syn,ack ; accept ; 7
egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40001 tcp dport 80 tcp flags ack ; accept ; policy
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40001 tcp flags ack ; accept ; 7
# a SYN-ACK that answers nothing is invalid, as is a stray RST or FIN
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40002 tcp flags syn,ack ; drop ; 8
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40002 tcp flags rst ; drop ; 8
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40002 tcp flags fin,ack ; drop ; 8
# a connection whose first SYN was dropped leaves no entry
egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40003 tcp dport 25 tcp flags syn ; drop ; 16
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 25 tcp dport 40003 tcp flags syn,ack ; drop ; 8
# a connection in: the SYN to port 22 is new and accepted, the rest
# established; the reply leaves through egress as established
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50000 tcp dport 22 tcp flags syn ; accept ; 9
egress ip saddr 192.0.2.1 ip daddr 203.0.113.5 tcp sport 22 tcp dport 50000 tcp flags syn,ack ; accept ; policy
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50000 tcp dport 22 tcp flags ack ; accept ; 7
# a retransmitted SYN before the answer is still new: port 23 is closed
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50001 tcp dport 23 tcp flags syn ; drop ; policy
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50001 tcp dport 23 tcp flags syn ; drop ; policy
# an ACK with no entry picks the flow up midstream: new, not invalid
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50002 tcp dport 23 tcp flags ack ; drop ; policy
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50002 tcp dport 22 tcp flags ack ; accept ; 9
egress ip saddr 192.0.2.1 ip daddr 203.0.113.5 tcp sport 22 tcp dport 50002 tcp flags ack ; accept ; policy
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50002 tcp dport 22 tcp flags ack ; accept ; 7
# RST closes, a later segment of the flow still finds it (CLOSE, 10 s)
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50002 tcp dport 22 tcp flags rst ; accept ; 7
# a packet without SYN, FIN, ACK or RST is invalid everywhere
ingress ip saddr 203.0.113.5 ip daddr 192.0.2.1 tcp sport 50000 tcp dport 22 tcp flags psh ; drop ; 8
# UDP: the host's query out, the answer in; an answer to nothing is new
egress ip saddr 192.0.2.1 ip daddr 198.51.100.53 udp sport 40053 udp dport 53 ; accept ; policy
ingress ip saddr 198.51.100.53 ip daddr 192.0.2.1 udp sport 53 udp dport 40053 ; accept ; 7
ingress ip saddr 198.51.100.53 ip daddr 192.0.2.1 udp sport 53 udp dport 40054 ; drop ; policy
ingress ip saddr 198.51.100.9 ip daddr 192.0.2.1 udp sport 40000 udp dport 53 ; accept ; 10
ingress ip saddr 198.51.100.9 ip daddr 192.0.2.1 udp sport 40000 udp dport 53 ; accept ; 10
egress ip saddr 192.0.2.1 ip daddr 198.51.100.9 udp sport 53 udp dport 40000 ; accept ; policy
ingress ip saddr 198.51.100.9 ip daddr 192.0.2.1 udp sport 40000 udp dport 53 ; accept ; 7
# ICMP: an echo reply answers the host's request of the same id only
egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 icmp type echo-request icmp id 7 ; accept ; policy
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 icmp type echo-reply icmp id 7 ; accept ; 7
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 icmp type echo-reply icmp id 8 ; drop ; 8
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 icmp type echo-request icmp id 9 ; drop ; policy
ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 icmp type router-advertisement ; drop ; 8
# ICMP errors: related when they quote a tracked flow, else invalid
ingress ip saddr 203.0.113.1 ip daddr 192.0.2.1 icmp type destination-unreachable icmp code 3 quote ip saddr 192.0.2.1 ip daddr 198.51.100.53 udp sport 40053 udp dport 53 ; accept ; 7
ingress ip saddr 203.0.113.1 ip daddr 192.0.2.1 icmp type time-exceeded quote ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40001 tcp dport 80 tcp flags ack ; accept ; 7
ingress ip saddr 203.0.113.1 ip daddr 192.0.2.1 icmp type destination-unreachable quote ip saddr 192.0.2.1 ip daddr 198.51.100.53 udp sport 40099 udp dport 53 ; drop ; 8
ingress ip saddr 203.0.113.1 ip daddr 192.0.2.1 icmp type destination-unreachable quote ip saddr 192.0.2.1 ip daddr 198.51.100.7 icmp type echo-request icmp id 7 ; accept ; 7
# IPv6: the same, and neighbour discovery untracked
egress ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:1::7 tcp sport 40001 tcp dport 443 tcp flags syn ; accept ; policy
ingress ip6 saddr 2001:db8:1::7 ip6 daddr 2001:db8::1 tcp sport 443 tcp dport 40001 tcp flags syn,ack ; accept ; 7
ingress ip6 saddr 2001:db8:1::7 ip6 daddr 2001:db8::1 icmpv6 type packet-too-big quote ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:1::7 tcp sport 40001 tcp dport 443 tcp flags ack ; accept ; 7
ingress ip6 saddr fe80::7 ip6 daddr 2001:db8::1 icmpv6 type nd-neighbor-solicit ; accept ; 11
ingress ip6 saddr fe80::7 ip6 daddr 2001:db8::1 icmpv6 type nd-router-advert ; accept ; 11
egress ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:1::7 icmpv6 type echo-request icmpv6 id 3 ; accept ; policy
ingress ip6 saddr 2001:db8:1::7 ip6 daddr 2001:db8::1 icmpv6 type echo-reply icmpv6 id 3 ; accept ; 7
ingress ip6 saddr 2001:db8:1::7 ip6 daddr 2001:db8::1 icmpv6 type echo-reply icmpv6 id 4 ; drop ; 8
# trace's `ct state X`: the packet meets X, whatever the table holds
ingress ip saddr 198.51.100.77 ip daddr 192.0.2.1 tcp dport 80 tcp flags ack ct state established ; accept ; 7
ingress ip saddr 198.51.100.77 ip daddr 192.0.2.1 tcp dport 80 ct state invalid ; drop ; 8
# an ICMPv6 error quoting a packet with extension headers: walked to the
# flow, as the kernel does; a quoted later fragment has no ports
egress ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:2::1 udp sport 4000 udp dport 53 packet exthdr ipv6-opts ; accept ; policy
ingress ip6 saddr 2001:db8:2::1 ip6 daddr 2001:db8::1 udp sport 53 udp dport 4000 ; accept ; 7
ingress ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8::1 icmpv6 type packet-too-big quote ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:2::1 udp sport 4000 udp dport 53 packet exthdr ipv6-opts ; accept ; 7
ingress ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8::1 icmpv6 type packet-too-big quote ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:2::1 udp sport 4000 udp dport 53 packet exthdr hopopt,ipv6-route,ipv6-frag,ipv6-opts ; accept ; 7
ingress ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8::1 icmpv6 type packet-too-big quote ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:2::1 udp sport 4000 udp dport 53 packet exthdr ipv6-frag packet frag-off 3 ; drop ; 8
ingress ip6 saddr 2001:db8:9::1 ip6 daddr 2001:db8::1 icmpv6 type packet-too-big quote ip6 saddr 2001:db8::1 ip6 daddr 2001:db8:2::1 udp sport 4000 udp dport 54 packet exthdr ipv6-opts ; drop ; 8
# fragments: a later fragment follows its first, which the input chain
# accepted or not (the kernel filters the reassembled packet once); with
# no first fragment seen it is invalid
ingress ip saddr 198.51.100.60 ip daddr 192.0.2.1 ip id 300 ip frag-off 0x2000 udp sport 4000 udp dport 53 ; accept ; 10
ingress ip saddr 198.51.100.60 ip daddr 192.0.2.1 ip id 300 ip frag-off 0x0003 udp sport 4000 udp dport 53 ; accept ; policy
ingress ip saddr 198.51.100.60 ip daddr 192.0.2.1 ip id 301 ip frag-off 0x2000 udp sport 4000 udp dport 54 ; drop ; policy
ingress ip saddr 198.51.100.60 ip daddr 192.0.2.1 ip id 301 ip frag-off 0x0003 udp sport 4000 udp dport 54 ; drop ; 8
ingress ip saddr 198.51.100.60 ip daddr 192.0.2.1 ip id 302 ip frag-off 0x0003 udp sport 4000 udp dport 53 ; drop ; 8
ingress ip6 saddr 2001:db8:5::1 ip6 daddr 2001:db8::1 udp sport 4000 udp dport 53 packet exthdr ipv6-frag packet more-fragments 1 ; accept ; 10
ingress ip6 saddr 2001:db8:5::1 ip6 daddr 2001:db8::1 udp sport 4000 udp dport 53 packet exthdr ipv6-frag packet frag-off 3 ; accept ; policy
